import { describe, expect, it } from 'vitest';
import { scoreAgainstTruth, Warehouse } from '../src/index.ts';

describe('scoring resolved customers against a known truth', () => {
  it('gives pairwise and B-cubed scores and the hard cases, computed by hand', async () => {
    const wh = await Warehouse.open(':memory:');
    try {
      await wh.run('CREATE TABLE demo_truth (contact_id VARCHAR NOT NULL, person_id VARCHAR NOT NULL)');
      await wh.run(`INSERT INTO demo_truth VALUES ('c1', 'p1'), ('c2', 'p1'), ('c3', 'p2'), ('c4', 'p2'), ('c5', 'p3')`);
      // c6 is a family mailbox user that p3 and p4 share, resolved with p3's c5: no single true
      // customer, so it is left out of the pairwise and B-cubed scores, and merging it with one of
      // its own people merges nobody (c6's people include p3).
      await wh.run(`INSERT INTO demo_truth VALUES ('c6', 'p3'), ('c6', 'p4')`);
      // [contact, source, kind, raw, value, customer]
      const ids: [string, string, string, string, string, string][] = [
        ['c1', 'crm', 'name', 'Anna Berg', 'anna berg', 'A'],
        ['c2', 'crm', 'name', 'Ana Berg', 'ana berg', 'A'],
        ['c2', 'crm', 'email', 'family@example.com', 'family@example.com', 'A'],
        ['c3', 'helpdesk', 'email', 'family@example.com', 'family@example.com', 'A'],
        ['c3', 'helpdesk', 'phone', '030 1234567', '+49301234567', 'A'],
        ['c4', 'phone', 'phone', '+49 30 1234567', '+49301234567', 'B'],
        ['c5', 'phone', 'phone', '+44 20 7946 0000', '+442079460000', 'C'],
        ['c5', 'phone', 'email', 'home@example.org', 'home@example.org', 'C'],
        ['c6', 'helpdesk', 'email', 'home@example.org', 'home@example.org', 'C'],
      ];
      for (const [i, [contact, source, kind, raw, value, customer]] of ids.entries()) {
        await wh.run(`INSERT INTO identities (id, contact_id, source, kind, raw_value, value, verified, customer_id, first_seen_at, last_seen_at)
          VALUES ($1, $2, $3, $4, $5, $6, false, $7, TIMESTAMPTZ '2026-01-01 00:00:00+00', TIMESTAMPTZ '2026-01-01 00:00:00+00')`, [`i${i}`, contact, source, kind, raw, value, customer]);
      }
      const s = await scoreAgainstTruth(wh, 'demo_truth');
      expect({ contacts: s.contacts, sharedRecords: s.sharedRecords, people: s.people, customers: s.customers }).toEqual({ contacts: 5, sharedRecords: 1, people: 3, customers: 3 });
      // Predicted pairs: A holds c1, c2, c3 -> 3 pairs; true pairs: c1-c2, c3-c4 -> 2; both: c1-c2.
      expect(s.pairwise.precision).toBeCloseTo(1 / 3, 12);
      expect(s.pairwise.recall).toBeCloseTo(1 / 2, 12);
      expect(s.pairwise.f1).toBeCloseTo(0.4, 12); // 2 x 1/3 x 1/2 / (1/3 + 1/2)
      // B-cubed precision: c1, c2: 2/3 each, c3: 1/3, c4: 1, c5: 1 -> 11/15; recall: c1, c2: 1, c3, c4: 1/2, c5: 1 -> 4/5.
      expect(s.bcubed.precision).toBeCloseTo(11 / 15, 12);
      expect(s.bcubed.recall).toBeCloseTo(4 / 5, 12);
      expect(s.hardCases).toEqual({
        // family@ (c2 of p1, c3 of p2) ended in one customer: it merged two people. home@ (c5 of
        // p3, c6 of p3 and p4) is held by two people, but its holders share p3: not a merge.
        sharedMailboxes: { identifiers: 2, merging: 1 },
        // The Berlin number belongs to p2 only: not shared.
        sharedPhones: { identifiers: 0, merging: 0 },
        // c3 and c4: one number, national and international: apart (A, B).
        phoneFormats: { pairs: 1, recall: 0 },
        // c1 and c2: Anna / Ana: together.
        nameTypos: { pairs: 1, recall: 1 },
        nicknames: { pairs: 0, recall: 1 },
        // c1 and c2 are both in the CRM: together.
        sameSourceDuplicates: { pairs: 1, recall: 1 },
      });
    } finally {
      wh.close();
    }
  });
});
