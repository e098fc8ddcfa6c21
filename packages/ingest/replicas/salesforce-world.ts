import { prng } from './prng.ts';
import type { DataFaults } from './zendesk-world.ts';

/** A Salesforce org: Accounts (with their tier field history) and Contacts, as SOQL rows. */
export interface SalesforceWorld {
  accounts: any[];
  contacts: any[];
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
const sfId = (prefix: string, n: number) => `${prefix}RO${String(n).padStart(13, '0')}`;

/**
 * @example
 * const world = salesforceWorld({ seed: 3, contacts: 120 });
 */
export function salesforceWorld({ seed, contacts: count, faults = {} }: { seed: number; contacts: number; faults?: DataFaults }): SalesforceWorld {
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
  const badIds = new Set<string>();
  if (faults.missingOptional) {
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
  if (faults.extraFields) for (const r of [...contacts, ...accounts]) r.X_Replica_Unknown__c = { nested: [1, 'two'] };
  let updated = false;
  return {
    accounts, contacts, tierHistory, expectedIdentities, badIds, faults,
    get expectedAttributes() {
      return expectedAttributes;
    },
    updateServed(servedIds) {
      if (updated || !faults.updateBetweenPages) return [];
      updated = true;
      const last = Math.max(...contacts.map((c) => (typeof c.SystemModstamp === 'string' ? Date.parse(c.SystemModstamp) : c.SystemModstamp)));
      const touched = servedIds.filter((id) => !badIds.has(id)).slice(0, faults.updateBetweenPages);
      touched.forEach((id, i) => {
        const c = contacts.find((x) => x.Id === id);
        c.Title = 'Head of Support';
        c.SystemModstamp = sfTime(last + 60_000 * (i + 1));
      });
      return touched;
    },
  };
}
