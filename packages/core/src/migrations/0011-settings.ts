/**
 * Version 11: the operating model people set (targets, SLA policies, business calendars, costs,
 * thresholds, intent rules), stored as versions. Each save appends the whole validated document
 * with who saved it, from where, and the list of changed paths; the newest version is the one in
 * force, and an export's manifest names the version its numbers were computed with. The schema of
 * the document lives with its reader (packages/metrics/src/settings.ts), so adding a setting needs
 * no migration.
 */
export const settingsTables = /* sql */ `
CREATE TABLE settings_versions (
  version INTEGER PRIMARY KEY,
  created_at TIMESTAMPTZ NOT NULL,
  changed_by VARCHAR,
  role VARCHAR,
  source VARCHAR NOT NULL,
  summary VARCHAR NOT NULL,
  changes JSON NOT NULL,
  document JSON NOT NULL
);
`;
