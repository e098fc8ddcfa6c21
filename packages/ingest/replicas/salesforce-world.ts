import {
  salesforceAccount, salesforceCase, salesforceCaseComment, salesforceCaseHistory, salesforceChatTranscript, salesforceContact, salesforceEmailMessage, salesforceGroup,
  salesforceUser, sfId, sfTime,
} from './encoders/salesforce.ts';
import { prng } from './prng.ts';

export { sfId, sfTime };
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
const tiers = ['Bronze', 'Silver', 'Gold', 'Platinum'];
const origins = ['Email', 'Email', 'Web', 'Phone', 'Chat', 'Social'];

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
    return salesforceAccount({
      id: Id, name: `Account ${i}`, website: `https://account${i}.example`, phone: `+1 415 555 ${String(1000 + i).slice(-4)}`,
      custom: { Tier__c: history[history.length - 1].value }, createdAt: created, modifiedAt: modified,
      histories: history.length > 1 ? history.slice(1).map((h, k) => ({ field: 'Tier__c', oldValue: history[k].value, newValue: h.value, at: Date.parse(h.at) })) : null,
    });
  });
  const contacts: any[] = Array.from({ length: count }, (_, i) => {
    const Id = sfId('003', i + 1);
    const created = T0 + i * 600_000 + rnd.int(0, 599) * 1000;
    const modified = created + rnd.int(1, 40 * 86_400) * 1000;
    const account = rnd.chance(0.9) ? accounts[rnd.int(0, accounts.length - 1)] : null;
    const phone = rnd.chance(0.7) ? `(415) 555-${String(2000 + i).slice(-4)}` : null;
    const mobile = rnd.chance(0.5) ? `+44 7700 ${String(900000 + i)}` : null;
    expectedIdentities += 3 + (account ? 1 : 0) + (phone ? 1 : 0) + (mobile ? 1 : 0); // crm id, email, name, account, phones
    return salesforceContact({
      id: Id, firstName: `First${i}`, lastName: `Last${i}`, name: `First${i} Last${i}`, email: `Contact${i}@Example.COM`, phone, mobilePhone: mobile,
      accountId: account?.Id ?? null, title: 'Buyer', createdAt: created, modifiedAt: modified,
    });
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
    users.push(salesforceUser({ id: Id, name: `Agent ${i}`, email: `agent${i}@org.example`, isActive: i !== 1, userType: 'Standard', createdAt: T0 - 86_400_000, modifiedAt: T0 - 86_400_000 + i * 1000 }));
  }
  const portal = [1, 2].map((k) => {
    const Id = sfId('005', 900 + k);
    users.push(salesforceUser({ id: Id, name: `Portal ${k}`, email: `portal${k}@customer.example`, isActive: true, userType: 'PowerCustomerSuccess', createdAt: T0 - 86_400_000, modifiedAt: T0 - 3_600_000 + k * 1000 }));
    return Id;
  });
  const agents = users.filter((u) => u.UserType === 'Standard').map((u) => u.Id);
  const groups: any[] = ['Tier 1', 'Tier 2', 'Billing'].map((name, i) => salesforceGroup({
    id: sfId('00G', i + 1), name: `${name} Queue`, developerName: `${name.replace(/\W/g, '_')}_Queue`, type: 'Queue', createdAt: T0 - 86_400_000, modifiedAt: T0 - 86_400_000 + i * 1000,
  }));
  groups.push(salesforceGroup({ id: sfId('00G', 9), name: 'All Internal', developerName: 'All_Internal', type: 'Regular', createdAt: T0 - 86_400_000, modifiedAt: T0 - 86_400_000 }));
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
    caseHistory.push(salesforceCaseHistory({ id: Id, caseId, field: Field, dataType: DataType, oldValue: OldValue, newValue: NewValue, by, at }));
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
      emailMessages.push(salesforceEmailMessage({ id: Id2, parentId: Id, incoming: true, messageAt: created, status: '1', subject: `Help ${i}`, textBody: `Customer writes about case ${i}`, fromAddress: contact?.Email ?? `visitor${i}@example.com`, toAddress: 'support@org.example', createdById: agents[0], createdAt: created, modifiedAt: created + 1000 }));
      expectedEvents++;
    }
    if (taken && rnd.chance(0.8)) {
      const at = t + rnd.int(60, 7200) * 1000;
      const Id2 = sfId('02s', ++m);
      const draft = rnd.chance(0.1);
      emailMessages.push(salesforceEmailMessage({ id: Id2, parentId: Id, incoming: false, messageAt: at, status: draft ? '5' : '3', subject: `Re: Help ${i}`, textBody: `Agent answers case ${i}`, fromAddress: 'support@org.example', toAddress: contact?.Email ?? 'visitor@example.com', createdById: agent, createdAt: at, modifiedAt: at + 1000 }));
      if (!draft) expectedEvents++;
      t = at;
    }
    if (rnd.chance(0.5)) {
      const at = t + rnd.int(60, 600) * 1000;
      const Id2 = sfId('00a', caseComments.length + 1);
      const byPortal = rnd.chance(0.2);
      caseComments.push(salesforceCaseComment({ id: Id2, parentId: Id, isPublished: byPortal || rnd.chance(0.5), body: `Note ${i}`, createdById: byPortal ? rnd.pick(portal) : agent, createdAt: at, modifiedAt: at }));
      expectedEvents++;
      t = at;
    }
    if (origin === 'Chat') {
      const Id2 = sfId('570', chatTranscripts.length + 1);
      const wait = rnd.int(5, 300);
      chatTranscripts.push(salesforceChatTranscript({ id: Id2, caseId: Id, contactId: contact?.Id ?? null, ownerId: agent, status: 'Completed', requestedAt: created, startedAt: created + wait * 1000, endedAt: created + (wait + 600) * 1000, waitTime: wait, abandoned: null, chatDuration: 600, body: `<p>chat ${i}</p>`, createdAt: created + (wait + 600) * 1000, modifiedAt: created + (wait + 601) * 1000 }));
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
    cases.push(salesforceCase({
      id: Id, caseNumber: String(1000 + i).padStart(8, '0'), subject: `Help ${i}`, status, isClosed: status === 'Closed',
      closedAt, isEscalated: escalated, priority: rnd.pick(['Low', 'Medium', 'High']), origin, type: rnd.pick(['Question', 'Problem']),
      reason: 'Other', ownerId: owner, contactId: contact?.Id ?? null, accountId: contact?.AccountId ?? null, parentId: i > 0 && rnd.chance(0.05) ? sfId('500', i) : null,
      createdAt: created, modifiedAt: t + rnd.int(1, 60) * 1000,
    }));
    eventsOf.set(Id, expectedEvents - eventsBefore);
  }
  // Chats that never became a case: one answered, one missed after 45 s in the queue.
  const lastCase = T0 + caseCount * 900_000;
  for (const [k, missed] of [[1, false], [2, true]] as const) {
    const Id = sfId('570', chatTranscripts.length + 1);
    const requested = lastCase + k * 3_600_000;
    chatTranscripts.push(salesforceChatTranscript({
      id: Id, caseId: null, contactId: null, ownerId: missed ? queues[0] : agents[0], status: missed ? 'Missed' : 'Completed',
      requestedAt: requested, startedAt: missed ? null : requested + 30_000, endedAt: requested + (missed ? 45_000 : 330_000), waitTime: missed ? null : 30,
      abandoned: missed ? 45 : null, chatDuration: missed ? null : 300, body: missed ? null : '<p>quick question</p>', createdAt: requested, modifiedAt: requested + 400_000,
    }));
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
