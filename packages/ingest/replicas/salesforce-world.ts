import { prng } from './prng.ts';
import type { DataFaults } from './zendesk-world.ts';

/** A Salesforce org: Accounts (with their tier field history), Contacts, and Service Cloud's objects, as SOQL rows. */
export interface SalesforceWorld {
  accounts: any[];
  contacts: any[];
  users: any[];
  groups: any[];
  cases: any[];
  caseHistory: any[];
  emailMessages: any[];
  caseComments: any[];
  chatTranscripts: any[];
  /** Events and interactions the adapter must write, counted while generating (not by the adapter's rules). */
  expectedEvents: number;
  expectedInteractions: number;
  /** Marks a case deleted (recycle bin): queryAll returns it with IsDeleted and a new SystemModstamp. */
  deleteCase(id: string): void;
  /** tierHistory[accountId] = [{ value, at }] oldest first: the value from creation, then each change. */
  tierHistory: Map<string, { value: string; at: string }[]>;
  /** Identity and attribute rows the adapter must write, counted while generating. */
  expectedIdentities: number;
  expectedAttributes: number;
  badIds: Set<string>;
  faults: DataFaults;
  updateServed(servedIds: string[]): string[];
}

const T0 = Date.UTC(2025, 9, 1);
/** Salesforce's datetime form: milliseconds and a colon-less offset. */
export const sfTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const tiers = ['Bronze', 'Silver', 'Gold', 'Platinum'];
export const sfId = (prefix: string, n: number) => `${prefix}RO${String(n).padStart(13, '0')}`;
const origins = ['Email', 'Email', 'Web', 'Phone', 'Chat', 'Social'];
const attributes = (type: string, id: string) => ({ type, url: `/services/data/v62.0/sobjects/${type}/${id}` });

/**
 * @example
 * const world = salesforceWorld({ seed: 3, contacts: 120 });
 */
export function salesforceWorld({ seed, contacts: count, cases: caseCount, faults = {} }: { seed: number; contacts: number; cases?: number; faults?: DataFaults }): SalesforceWorld {
  const rnd = prng(seed);
  const tierHistory = new Map<string, { value: string; at: string }[]>();
  let expectedIdentities = 0;
  let expectedAttributes = 0;
  const accounts: any[] = Array.from({ length: Math.max(2, Math.ceil(count / 5)) }, (_, i) => {
    const Id = sfId('001', i + 1);
    const created = T0 + i * 3_600_000;
    const history = [{ value: rnd.pick(tiers), at: sfTime(created) }];
    for (let k = rnd.int(0, 2); k > 0; k--) history.push({ value: rnd.pick(tiers), at: sfTime(Date.parse(history[history.length - 1].at) + rnd.int(1, 30) * 86_400_000) });
    tierHistory.set(Id, history);
    expectedIdentities += 2; // the account id and its name
    expectedAttributes += history.length; // one interval per value: the first from creation, then one per change
    const modified = Date.parse(history[history.length - 1].at) + rnd.int(1, 600) * 1000;
    return {
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${Id}` },
      Id, Name: `Account ${i}`, Website: `https://account${i}.example`, Phone: `+1 415 555 ${String(1000 + i).slice(-4)}`,
      Tier__c: history[history.length - 1].value, CreatedDate: sfTime(created), SystemModstamp: sfTime(modified), IsDeleted: false,
      Histories: history.length > 1
        ? { totalSize: history.length - 1, done: true, records: history.slice(1).map((h, k) => ({ attributes: { type: 'AccountHistory' }, Field: 'Tier__c', OldValue: history[k].value, NewValue: h.value, CreatedDate: h.at })) }
        : null,
    };
  });
  const contacts: any[] = Array.from({ length: count }, (_, i) => {
    const Id = sfId('003', i + 1);
    const created = T0 + i * 600_000 + rnd.int(0, 599) * 1000;
    const modified = created + rnd.int(1, 40 * 86_400) * 1000;
    const account = rnd.chance(0.9) ? accounts[rnd.int(0, accounts.length - 1)] : null;
    const phone = rnd.chance(0.7) ? `(415) 555-${String(2000 + i).slice(-4)}` : null;
    const mobile = rnd.chance(0.5) ? `+44 7700 ${String(900000 + i)}` : null;
    expectedIdentities += 3 + (account ? 1 : 0) + (phone ? 1 : 0) + (mobile ? 1 : 0); // crm id, email, name, account, phones
    return {
      attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${Id}` },
      Id, FirstName: `First${i}`, LastName: `Last${i}`, Name: `First${i} Last${i}`, Email: `Contact${i}@Example.COM`, Phone: phone, MobilePhone: mobile,
      AccountId: account?.Id ?? null, Title: 'Buyer', CreatedDate: sfTime(created), SystemModstamp: sfTime(modified), IsDeleted: false,
    };
  });
  const service = serviceObjects(seed + 1, contacts, caseCount ?? Math.ceil(count / 2));
  const badIds = new Set<string>();
  if (faults.missingOptional) {
    for (const c of service.cases.filter((_, i) => i % 3 === 1)) {
      delete c.Type;
      delete c.Reason;
    }
    for (const c of contacts.filter((_, i) => i % 3 === 0)) {
      if (c.Phone) expectedIdentities--;
      if (c.MobilePhone) expectedIdentities--;
      delete c.Phone;
      delete c.MobilePhone;
      delete c.Title;
    }
    for (const a of accounts.filter((_, i) => i % 2 === 0)) delete a.Website;
  }
  if (faults.wrongTypes) {
    for (let i = 0; i < faults.wrongTypes; i++) {
      const c = contacts[Math.floor((i + 0.5) * (contacts.length / faults.wrongTypes))];
      if (i % 2 === 0) c.Email = 12345;
      else c.SystemModstamp = Date.parse(c.SystemModstamp);
      badIds.add(c.Id);
      expectedIdentities -= 3 + (c.AccountId ? 1 : 0) + (c.Phone ? 1 : 0) + (c.MobilePhone ? 1 : 0);
    }
  }
  if (faults.extraFields) {
    for (const r of [...contacts, ...accounts, ...service.cases, ...service.emailMessages, ...service.caseHistory]) r.X_Replica_Unknown__c = { nested: [1, 'two'] };
  }
  let updated = false;
  return {
    accounts, contacts, tierHistory, expectedIdentities, badIds, faults,
    users: service.users, groups: service.groups, cases: service.cases, caseHistory: service.caseHistory, emailMessages: service.emailMessages,
    caseComments: service.caseComments, chatTranscripts: service.chatTranscripts, deleteCase: service.deleteCase,
    get expectedEvents() {
      return service.expectedEvents;
    },
    get expectedInteractions() {
      return service.expectedInteractions;
    },
    get expectedAttributes() {
      return expectedAttributes;
    },
    updateServed(servedIds) {
      if (updated || !faults.updateBetweenPages) return [];
      updated = true;
      const last = Math.max(...service.cases.map((c) => Date.parse(c.SystemModstamp)));
      const touched = servedIds.filter((id) => !badIds.has(id)).slice(0, faults.updateBetweenPages);
      touched.forEach((id, i) => {
        const c = service.cases.find((x) => x.Id === id);
        c.Subject = `${c.Subject} (updated)`;
        c.SystemModstamp = sfTime(last + 60_000 * (i + 1));
      });
      return touched;
    },
  };
}

/**
 * Agents (Standard users) and two portal users, three queues and a public group, and cases with
 * their history, emails, comments and chat transcripts, each as Salesforce returns it. Every
 * case starts in a queue; most are taken by an agent (an Owner history row), some are escalated,
 * closed, and a few reopened and closed again; chat cases have a transcript; a few transcripts
 * have no case (one of them missed). The expected canonical counts are tallied here, from the
 * generated facts, so the test compares the adapter with an independent count.
 */
function serviceObjects(seed: number, contacts: any[], caseCount: number) {
  const rnd = prng(seed);
  const users: any[] = [];
  const agentCount = Math.max(3, Math.ceil(caseCount / 25));
  for (let i = 0; i < agentCount; i++) {
    const Id = sfId('005', i + 1);
    users.push({ attributes: attributes('User', Id), Id, Name: `Agent ${i}`, Email: `agent${i}@org.example`, IsActive: i !== 1, UserType: 'Standard', CreatedDate: sfTime(T0 - 86_400_000), SystemModstamp: sfTime(T0 - 86_400_000 + i * 1000) });
  }
  const portal = [1, 2].map((k) => {
    const Id = sfId('005', 900 + k);
    users.push({ attributes: attributes('User', Id), Id, Name: `Portal ${k}`, Email: `portal${k}@customer.example`, IsActive: true, UserType: 'PowerCustomerSuccess', CreatedDate: sfTime(T0 - 86_400_000), SystemModstamp: sfTime(T0 - 3_600_000 + k * 1000) });
    return Id;
  });
  const agents = users.filter((u) => u.UserType === 'Standard').map((u) => u.Id);
  const groups: any[] = ['Tier 1', 'Tier 2', 'Billing'].map((name, i) => ({
    attributes: attributes('Group', sfId('00G', i + 1)), Id: sfId('00G', i + 1), Name: `${name} Queue`, DeveloperName: `${name.replace(/\W/g, '_')}_Queue`, Type: 'Queue',
    CreatedDate: sfTime(T0 - 86_400_000), SystemModstamp: sfTime(T0 - 86_400_000 + i * 1000),
  }));
  groups.push({ attributes: attributes('Group', sfId('00G', 9)), Id: sfId('00G', 9), Name: 'All Internal', DeveloperName: 'All_Internal', Type: 'Regular', CreatedDate: sfTime(T0 - 86_400_000), SystemModstamp: sfTime(T0 - 86_400_000) });
  const queues = groups.filter((g) => g.Type === 'Queue').map((g) => g.Id);
  const cases: any[] = [];
  const caseHistory: any[] = [];
  const emailMessages: any[] = [];
  const caseComments: any[] = [];
  const chatTranscripts: any[] = [];
  let expectedEvents = 0;
  let h = 0;
  let m = 0;
  const history = (caseId: string, at: number, by: string | null, Field: string, OldValue: unknown, NewValue: unknown, DataType = 'Text') => {
    const Id = sfId('017', ++h);
    caseHistory.push({ attributes: attributes('CaseHistory', Id), Id, CaseId: caseId, Field, DataType, OldValue, NewValue, CreatedById: by, CreatedDate: sfTime(at), IsDeleted: false });
  };
  const eventsOf = new Map<string, number>();
  for (let i = 0; i < caseCount; i++) {
    const Id = sfId('500', i + 1);
    const eventsBefore = expectedEvents;
    const contact = contacts.length ? contacts[rnd.int(0, contacts.length - 1)] : null;
    const created = T0 + i * 900_000 + rnd.int(0, 899) * 1000;
    const origin = rnd.pick(origins);
    const queue = rnd.pick(queues);
    const agent = rnd.pick(agents);
    let t = created;
    let owner: string = queue;
    let status = 'New';
    const taken = rnd.chance(0.85);
    if (taken) {
      t += rnd.int(60, 3600) * 1000;
      history(Id, t, agent, 'Owner', `Queue ${queue}`, `Agent ${agent}`, 'Text'); // the name row: ignored
      history(Id, t, agent, 'Owner', queue, agent, 'EntityId');
      history(Id, t, agent, 'Status', 'New', 'Working');
      expectedEvents += 2;
      owner = agent;
      status = 'Working';
    }
    if (origin === 'Email' || origin === 'Web') {
      const Id2 = sfId('02s', ++m);
      emailMessages.push({ attributes: attributes('EmailMessage', Id2), Id: Id2, ParentId: Id, Incoming: true, MessageDate: sfTime(created), Status: '1', Subject: `Help ${i}`, TextBody: `Customer writes about case ${i}`, FromAddress: contact?.Email ?? `visitor${i}@example.com`, ToAddress: 'support@org.example', CreatedById: agents[0], CreatedDate: sfTime(created), SystemModstamp: sfTime(created + 1000), IsDeleted: false });
      expectedEvents++;
    }
    if (taken && rnd.chance(0.8)) {
      const at = t + rnd.int(60, 7200) * 1000;
      const Id2 = sfId('02s', ++m);
      const draft = rnd.chance(0.1);
      emailMessages.push({ attributes: attributes('EmailMessage', Id2), Id: Id2, ParentId: Id, Incoming: false, MessageDate: sfTime(at), Status: draft ? '5' : '3', Subject: `Re: Help ${i}`, TextBody: `Agent answers case ${i}`, FromAddress: 'support@org.example', ToAddress: contact?.Email ?? 'visitor@example.com', CreatedById: agent, CreatedDate: sfTime(at), SystemModstamp: sfTime(at + 1000), IsDeleted: false });
      if (!draft) expectedEvents++;
      t = at;
    }
    if (rnd.chance(0.5)) {
      const at = t + rnd.int(60, 600) * 1000;
      const Id2 = sfId('00a', caseComments.length + 1);
      const byPortal = rnd.chance(0.2);
      caseComments.push({ attributes: attributes('CaseComment', Id2), Id: Id2, ParentId: Id, IsPublished: byPortal || rnd.chance(0.5), CommentBody: `Note ${i}`, CreatedById: byPortal ? rnd.pick(portal) : agent, CreatedDate: sfTime(at), SystemModstamp: sfTime(at), IsDeleted: false });
      expectedEvents++;
      t = at;
    }
    if (origin === 'Chat') {
      const Id2 = sfId('570', chatTranscripts.length + 1);
      const wait = rnd.int(5, 300);
      chatTranscripts.push({ attributes: attributes('LiveChatTranscript', Id2), Id: Id2, CaseId: Id, ContactId: contact?.Id ?? null, OwnerId: agent, Status: 'Completed', RequestTime: sfTime(created), StartTime: sfTime(created + wait * 1000), EndTime: sfTime(created + (wait + 600) * 1000), WaitTime: wait, Abandoned: null, ChatDuration: 600, Body: `<p>chat ${i}</p>`, CreatedDate: sfTime(created + (wait + 600) * 1000), SystemModstamp: sfTime(created + (wait + 601) * 1000), IsDeleted: false });
      expectedEvents += 4; // queue_enter, the request message, the acceptance, the agent's message
    }
    const escalated = rnd.chance(0.15);
    if (escalated) {
      t += rnd.int(60, 600) * 1000;
      history(Id, t, agent, 'IsEscalated', false, true);
      expectedEvents++;
    }
    let closedAt: number | null = null;
    if (taken && rnd.chance(0.7)) {
      t += rnd.int(600, 86_400) * 1000;
      history(Id, t, agent, 'Status', status, 'Closed');
      expectedEvents++;
      status = 'Closed';
      closedAt = t;
      if (rnd.chance(0.2)) {
        t += rnd.int(3600, 86_400) * 1000;
        history(Id, t, agent, 'Status', 'Closed', 'Working');
        expectedEvents += 2; // the status change and the reopen
        status = 'Working';
        closedAt = null;
        if (rnd.chance(0.5)) {
          t += rnd.int(600, 86_400) * 1000;
          history(Id, t, agent, 'Status', 'Working', 'Closed');
          expectedEvents++;
          status = 'Closed';
          closedAt = t;
        }
      }
    }
    cases.push({
      attributes: attributes('Case', Id), Id, CaseNumber: String(1000 + i).padStart(8, '0'), Subject: `Help ${i}`, Status: status, IsClosed: status === 'Closed',
      ClosedDate: closedAt ? sfTime(closedAt) : null, IsEscalated: escalated, Priority: rnd.pick(['Low', 'Medium', 'High']), Origin: origin, Type: rnd.pick(['Question', 'Problem']),
      Reason: 'Other', OwnerId: owner, ContactId: contact?.Id ?? null, AccountId: contact?.AccountId ?? null, ParentId: i > 0 && rnd.chance(0.05) ? sfId('500', i) : null,
      CreatedDate: sfTime(created), SystemModstamp: sfTime(t + rnd.int(1, 60) * 1000), IsDeleted: false,
    });
    eventsOf.set(Id, expectedEvents - eventsBefore);
  }
  // Chats that never became a case: one answered, one missed after 45 s in the queue.
  const lastCase = T0 + caseCount * 900_000;
  for (const [k, missed] of [[1, false], [2, true]] as const) {
    const Id = sfId('570', chatTranscripts.length + 1);
    const requested = lastCase + k * 3_600_000;
    chatTranscripts.push({
      attributes: attributes('LiveChatTranscript', Id), Id, CaseId: null, ContactId: null, OwnerId: missed ? queues[0] : agents[0], Status: missed ? 'Missed' : 'Completed',
      RequestTime: sfTime(requested), StartTime: missed ? null : sfTime(requested + 30_000), EndTime: sfTime(requested + (missed ? 45_000 : 330_000)), WaitTime: missed ? null : 30,
      Abandoned: missed ? 45 : null, ChatDuration: missed ? null : 300, Body: missed ? null : '<p>quick question</p>', CreatedDate: sfTime(requested), SystemModstamp: sfTime(requested + 400_000), IsDeleted: false,
    });
    expectedEvents += missed ? 3 : 4; // missed: queue_enter, the request, queue_leave
  }
  const world = {
    users, groups, cases, caseHistory, emailMessages, caseComments, chatTranscripts,
    expectedEvents, expectedInteractions: cases.length + 2,
    deleteCase(id: string) {
      const c = cases.find((x) => x.Id === id);
      const stamp = Math.max(...cases.map((x) => Date.parse(x.SystemModstamp))) + 60_000;
      c.IsDeleted = true;
      c.SystemModstamp = sfTime(stamp);
      // Salesforce deletes a case's emails and comments with it; its history goes with it.
      world.expectedInteractions--;
      world.expectedEvents -= eventsOf.get(id) ?? 0;
      for (const list of [emailMessages, caseComments, chatTranscripts]) {
        for (const r of list.filter((x) => (x.ParentId ?? x.CaseId) === id)) {
          r.IsDeleted = true;
          r.SystemModstamp = sfTime(stamp);
        }
      }
      for (let k = caseHistory.length - 1; k >= 0; k--) if (caseHistory[k].CaseId === id) caseHistory.splice(k, 1);
    },
  };
  return world;
}
