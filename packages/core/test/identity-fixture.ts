import type { Warehouse } from '../src/index.ts';

/** A small seeded PRNG (mulberry32), so fixtures are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface IdentityRow {
  id: string;
  contact_id: string;
  source: string;
  kind: string;
  raw_value: string;
  verified?: boolean;
}

const firstNames = ['anna', 'ben', 'carla', 'dmitri', 'elif', 'farid', 'greta', 'hiro', 'ines', 'jonas', 'kemal', 'lena', 'mateo', 'nora', 'oskar', 'priya', 'quinn', 'rosa', 'sven', 'tara'];
const surnames = ['schmidt', 'okafor', 'nakamura', 'garcia', 'novak', 'lindqvist', 'moreau', 'rossi', 'kowalski', 'haddad', 'oconnor', 'silva', 'yilmaz', 'peters', 'fischer', 'dubois', 'jensen', 'costa', 'horvat', 'weber'];

/**
 * Synthetic people, each seen as 1-3 contact records in different sources with different spellings:
 * an email (sometimes upper-cased, sometimes with a +tag), a phone (E.164 or national format), a name
 * (sometimes with a typo or a nickname). Person `p` is the truth; contact ids say nothing about it.
 */
export function syntheticPeople(seed: number, people: number, offset = 0): { rows: IdentityRow[]; truth: Map<string, number> } {
  const rand = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const rows: IdentityRow[] = [];
  const truth = new Map<string, number>();
  let n = 0;
  for (let p = offset; p < offset + people; p++) {
    const first = firstNames[p % firstNames.length];
    const last = surnames[Math.floor(p / firstNames.length) % surnames.length] + (p >= 400 ? String(p) : '');
    const email = `${first}.${last}${p}@example.com`;
    const national = `(415) 555-${String(1000 + p).padStart(4, '0')}`;
    const records = 1 + Math.floor(rand() * 3);
    for (let r = 0; r < records; r++) {
      const source = pick(['zendesk', 'hubspot', 'aircall', 'intercom']);
      const contact = `${source}:contact:${seed}-${p}-${r}`;
      truth.set(contact, p);
      const add = (kind: string, raw: string, verified = false) =>
        rows.push({ id: `${contact}:${n++}`, contact_id: contact, source, kind, raw_value: raw, verified });
      const typo = rand() < 0.2;
      const name = `${first[0].toUpperCase()}${first.slice(1)} ${last[0].toUpperCase()}${last.slice(1)}`;
      add('name', typo ? name.replace(/(.)(.)$/, '$2$1') : name);
      if (rand() < 0.8) add('email', rand() < 0.3 ? email.toUpperCase() : rand() < 0.3 ? email.replace('@', '+support@') : email, source === 'hubspot');
      if (rand() < 0.6) add('phone', rand() < 0.5 ? national : `+1 415 555 ${String(1000 + p).padStart(4, '0')}`);
      if (rand() < 0.4) add('dob', `19${50 + (p % 50)}-0${1 + (p % 9)}-1${p % 10}`);
    }
  }
  return { rows, truth };
}

/** Inserts identity rows (first and last seen at a fixed instant). */
export async function insertIdentities(wh: Warehouse, rows: IdentityRow[]): Promise<void> {
  await wh.run('CREATE OR REPLACE TABLE fixture_identities (id VARCHAR, contact_id VARCHAR, source VARCHAR, kind VARCHAR, raw_value VARCHAR, verified BOOLEAN)');
  const { appender, close } = await wh.appender('fixture_identities');
  try {
    for (const r of rows) {
      for (const v of [r.id, r.contact_id, r.source, r.kind, r.raw_value]) appender.appendVarchar(v);
      appender.appendBoolean(r.verified ?? false);
      appender.endRow();
    }
  } finally {
    close();
  }
  await wh.run(`INSERT INTO identities (id, contact_id, source, kind, raw_value, value, verified, customer_id, first_seen_at, last_seen_at)
    SELECT id, contact_id, source, kind, raw_value, raw_value, verified, NULL, TIMESTAMPTZ '2026-01-05 10:00:00+00', TIMESTAMPTZ '2026-01-05 10:00:00+00'
    FROM fixture_identities`);
  await wh.run('DROP TABLE fixture_identities');
}
