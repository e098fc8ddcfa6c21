import { hubspotObject } from './encoders/hubspot.ts';
import { prng } from './prng.ts';
import type { DataFaults } from './zendesk-world.ts';

/** A HubSpot portal: contacts and companies as CRM v3 objects, with property history. */
export interface HubSpotWorld {
  contacts: any[];
  companies: any[];
  /** history[objectId][property] = [{ value, timestamp }], oldest first. */
  history: Map<string, Record<string, { value: string; timestamp: string }[]>>;
  /** Identity and attribute rows the adapter must write, counted while generating. */
  expectedIdentities: number;
  expectedAttributes: number;
  badIds: Set<string>;
  faults: DataFaults;
  updateServed(servedIds: string[]): string[];
}

const T0 = Date.UTC(2025, 6, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const tiers = ['bronze', 'silver', 'gold', 'platinum'];

/**
 * @example
 * const world = hubspotWorld({ seed: 3, contacts: 120 });
 */
export function hubspotWorld({ seed, contacts: count, faults = {} }: { seed: number; contacts: number; faults?: DataFaults }): HubSpotWorld {
  const rnd = prng(seed);
  const history = new Map<string, Record<string, { value: string; timestamp: string }[]>>();
  let expectedIdentities = 0;
  let expectedAttributes = 0;
  const companies: any[] = Array.from({ length: Math.max(2, Math.ceil(count / 10)) }, (_, i) => {
    const id = String(7_000_000 + i);
    const created = T0 + i * 3_600_000;
    const tierHistory = [{ value: rnd.pick(tiers), timestamp: iso(created) }];
    history.set(id, { account_tier: tierHistory });
    expectedIdentities += 2; // account id and name
    expectedAttributes += 1;
    const modified = created + rnd.int(1, 1000) * 60_000;
    return hubspotObject({
      type: 'companies', id, createdAt: created, updatedAt: modified, properties: { name: `Company ${i}`, domain: `company${i}.example`, account_tier: tierHistory[0].value },
    });
  });
  const contacts: any[] = Array.from({ length: count }, (_, i) => {
    const id = String(1000 + i * 3);
    const created = T0 + i * 600_000 + rnd.int(0, 599) * 1000;
    const changes = rnd.int(1, 3);
    const tierHistory = Array.from({ length: changes }, (_, k) => ({ value: tiers[Math.min(3, k + rnd.int(0, 1))], timestamp: iso(created + k * 86_400_000 * rnd.int(1, 20)) }));
    const stages = [{ value: 'lead', timestamp: iso(created) }, ...(rnd.chance(0.6) ? [{ value: 'customer', timestamp: iso(created + 86_400_000 * 3) }] : [])];
    const company = companies[rnd.int(0, companies.length - 1)];
    const companyHistory = [{ value: company.id, timestamp: iso(created) }];
    history.set(id, { account_tier: tierHistory, lifecyclestage: stages, associatedcompanyid: companyHistory });
    const lastChange = Math.max(...[...tierHistory, ...stages].map((h) => Date.parse(h.timestamp)));
    const modified = lastChange + rnd.int(1, 100) * 1000;
    const phone = rnd.chance(0.7) ? `+49 30 ${String(200000 + i)}` : null;
    const mobile = rnd.chance(0.5) ? `+49 170 ${String(300000 + i)}` : null;
    expectedIdentities += 4 + (phone ? 1 : 0) + (mobile ? 1 : 0); // crm id, email, name, company account, phones
    expectedAttributes += tierHistory.length + stages.length + 1;
    return hubspotObject({
      type: 'contacts', id, createdAt: created, updatedAt: modified,
      properties: {
        email: `Contact${i}@Example.org`, phone, mobilephone: mobile, firstname: `First${i}`, lastname: `Last${i}`,
        lifecyclestage: stages[stages.length - 1].value, associatedcompanyid: company.id, account_tier: tierHistory[tierHistory.length - 1].value,
      },
    });
  });
  const badIds = new Set<string>();
  if (faults.missingOptional) {
    for (const c of contacts.filter((_, i) => i % 3 === 0)) {
      if (c.properties.phone) expectedIdentities--;
      if (c.properties.mobilephone) expectedIdentities--;
      delete c.properties.phone;
      delete c.properties.mobilephone;
    }
  }
  if (faults.wrongTypes) {
    for (let i = 0; i < faults.wrongTypes; i++) {
      const c = contacts[Math.floor((i + 0.5) * (contacts.length / faults.wrongTypes))];
      if (i % 2 === 0) c.properties.email = 12345;
      else c.updatedAt = Date.parse(c.updatedAt);
      badIds.add(c.id);
      const h = history.get(c.id)!;
      expectedIdentities -= 4 + (c.properties.phone ? 1 : 0) + (c.properties.mobilephone ? 1 : 0);
      expectedAttributes -= h.account_tier.length + h.lifecyclestage.length + 1;
    }
  }
  if (faults.extraFields) for (const o of [...contacts, ...companies]) o.x_replica_unknown = { nested: [1, 'two'] };
  let updated = false;
  return {
    contacts, companies, history, expectedIdentities, badIds, faults,
    get expectedAttributes() {
      return expectedAttributes;
    },
    updateServed(servedIds) {
      if (updated || !faults.updateBetweenPages) return [];
      updated = true;
      const last = Math.max(...contacts.map((c) => Date.parse(c.properties.lastmodifieddate)));
      const touched = servedIds.filter((id) => !badIds.has(id)).slice(0, faults.updateBetweenPages);
      touched.forEach((id, i) => {
        const c = contacts.find((x) => x.id === id);
        const at = iso(last + 60_000 * (i + 1));
        c.properties.account_tier = 'platinum';
        c.properties.lastmodifieddate = at;
        c.updatedAt = at;
        history.get(id)!.account_tier.push({ value: 'platinum', timestamp: at });
        expectedAttributes += 1;
      });
      return touched;
    },
  };
}
