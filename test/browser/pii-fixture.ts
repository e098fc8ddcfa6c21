import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { artifactsDir } from './paths.ts';

export const piiWalkFile = join(artifactsDir, 'pii-walk.json');

/** What the PII walk looks for, read from the warehouse with our own SQL before the server owns it. */
export interface PiiWalk {
  /** Every email and phone of the demo's customers, as written and normalized (at least 6 characters). */
  values: string[];
  /** Staff emails: sign-in accounts and QA reviewers (not customer data). */
  staffEmails: string[];
  /** A phone interaction whose caller reached the IVR (its contact id and from_value hold the number). */
  phoneInteractionId: string;
  customerId: string;
  /** The case with the most interactions (a customer's, across channels). */
  caseId: string;
}

export async function writePiiWalk(path: string): Promise<PiiWalk> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY', autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  try {
    const all = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>;
    const values = await all(`
      SELECT DISTINCT v FROM (
        SELECT raw_value AS v FROM identities WHERE kind IN ('email', 'phone')
        UNION ALL SELECT value FROM identities WHERE kind IN ('email', 'phone')
        UNION ALL SELECT primary_email FROM customers UNION ALL SELECT primary_phone FROM customers
        UNION ALL SELECT from_value FROM events WHERE type = 'ivr_enter'
        UNION ALL SELECT to_value FROM events WHERE type = 'callback_requested')
      WHERE v IS NOT NULL AND length(v) >= 6`);
    // Staff: sign-in accounts and QA reviewers (a reviewer's id is their work email).
    const staff = await all(`SELECT email FROM users UNION SELECT reviewer_id FROM qa_assignments UNION SELECT reviewer_id FROM qa_reviews
      UNION SELECT unnest(reviewer_ids) FROM qa_calibration_sessions`);
    const [phone] = await all(`SELECT e.interaction_id AS id FROM events e WHERE e.type = 'ivr_enter' AND e.from_value IS NOT NULL ORDER BY e.interaction_id LIMIT 1`);
    const [customer] = await all('SELECT id FROM customers ORDER BY id LIMIT 1');
    const [kase] = await all('SELECT case_id AS id FROM interactions WHERE case_id IS NOT NULL AND customer_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1');
    const walk: PiiWalk = {
      values: values.map((r) => String(r.v)),
      staffEmails: staff.map((r) => String(r.email).toLowerCase()),
      phoneInteractionId: String(phone.id),
      customerId: String(customer.id),
      caseId: String(kase.id),
    };
    writeFileSync(piiWalkFile, JSON.stringify(walk));
    return walk;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
