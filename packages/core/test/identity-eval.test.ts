import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { evaluateIdentity, loadMatcherConfig } from '../src/index.ts';

/** The repository root (the package.json with workspaces); the datasets sit beside it in ../shared. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!(existsSync(join(dir, 'package.json')) && JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).workspaces)) dir = dirname(dir);
  return dir;
}
const root = repoRoot();
const datasets = join(root, '../shared/datasets');
const configs = join(root, 'packages/core/src/identity/configs');
const febrlMap = { given_name: 'first_name', date_of_birth: 'dob', soc_sec_id: 'account_id', street_number: 'address', address_1: 'address', suburb: 'city' };

describe('evaluation on labelled record-linkage datasets', () => {
  test('fake_1000 (Splink demo): pairwise F1 above Splink\'s best 0.862, with the people-email config', async () => {
    const result = await evaluateIdentity({
      datasets: [join(datasets, 'splink_fake_1000/fake_1000.csv')], idColumn: 'unique_id', truthColumn: 'cluster',
      config: loadMatcherConfig(join(configs, 'people-email.json')),
    });
    expect(result.records).toBe(1000);
    expect(result.entities).toBe(251); // SOURCES.md: 251 distinct clusters
    expect(result.pairwise.f1).toBeGreaterThan(0.88); // 0.892 measured; Splink 0.806 at p 0.5, 0.862 at best
    expect(result.bcubed.f1).toBeGreaterThan(0.92);
  });

  test('Febrl dataset 1 (1,000 records, 500 pairs): pairwise F1 above 0.99 with the febrl-dedupe config', async () => {
    const result = await evaluateIdentity({
      datasets: [join(datasets, 'febrl/febrl_dataset1.csv')], idColumn: 'rec_id', truthPattern: 'rec-(\\d+)', map: febrlMap,
      config: loadMatcherConfig(join(configs, 'febrl-dedupe.json')),
    });
    expect(result.records).toBe(1000);
    expect(result.entities).toBe(500);
    expect(result.pairwise.precision).toBeGreaterThan(0.99); // 1.0000 measured
    expect(result.pairwise.f1).toBeGreaterThan(0.99); // 0.9990 measured
  });

  test('the truth column never reaches the matcher', async () => {
    await expect(evaluateIdentity({
      datasets: [join(datasets, 'splink_fake_1000/fake_1000.csv')], idColumn: 'unique_id', truthColumn: 'cluster', map: { cluster: 'account_id' },
      config: loadMatcherConfig(join(configs, 'people-email.json')),
    })).rejects.toThrow(/truth column "cluster" cannot also be a matching column/);
  });

  test('a record without any truth is an error, not a silent drop', async () => {
    await expect(evaluateIdentity({
      datasets: [join(datasets, 'splink_fake_1000/fake_1000.csv')], idColumn: 'unique_id', truthPattern: '^(x)',
      config: loadMatcherConfig(join(configs, 'people-email.json')),
    })).rejects.toThrow(/1000 records have no truth entity/);
  });
});
