import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adapters } from '@helpdesk/ingest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { helpdesk, helpdeskAsync, tempDir } from './run-cli.ts';

const dir = tempDir('helpdesk-ingest-options-');

/** The section of `helpdesk ingest --help` that lists one source's options (up to the next source). */
function sourceSection(help: string, source: string): string {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => l === `  ${source}` || l.startsWith(`  ${source} (`));
  expect(start, `no section for ${source}`).toBeGreaterThan(-1);
  const end = lines.findIndex((l, i) => i > start && /^\S|^ {2}\S/.test(l));
  return lines.slice(start + 1, end).join('\n');
}

describe('helpdesk ingest: flags, usage and help come from the adapters\' declared options', () => {
  const help = helpdesk(['ingest', '--help']);

  test('the usage summary names all nine sources, each with a usage line', () => {
    expect(help.status).toBe(0);
    const nine = ['zendesk', 'hubspot', 'aircall', 'intercom', 'salesforce', 'twilio', 'servicenow', 'twcs', 'csv'];
    expect(Object.keys(adapters).sort()).toEqual([...nine].sort());
    const usage = help.stdout.slice(help.stdout.indexOf('Usage:'), help.stdout.indexOf('Options:'));
    for (const source of nine) expect(usage).toContain(`helpdesk ingest ${source}`);
    const summary = help.stdout.split('\n')[0];
    for (const source of nine) expect(summary).toContain(source);
    // File sources name their required file flag unbracketed: there is no environment variable for it.
    expect(usage).toContain('helpdesk ingest csv --file PATH --mapping FILE');
    expect(usage).toContain('helpdesk ingest servicenow --file PATH [--time-zone ZONE]');
  });

  test('every declared option of every adapter appears in its source\'s section, by flag or environment variable, with its description', () => {
    let checked = 0;
    for (const adapter of Object.values(adapters)) {
      const section = sourceSection(help.stdout, adapter.name);
      for (const [name, meta] of Object.entries(adapter.optionMeta)) {
        const line = section.split('\n').find((l) => l.includes(meta.description));
        expect(line, `${adapter.name}.${name}`).toBeDefined();
        if (meta.flag) expect(line).toContain(`--${meta.flag} `);
        if (meta.env) expect(line).toContain(`$${meta.env}`);
        if (meta.secret) expect(line).toMatch(/secret/);
        if (meta.required) expect(line).toMatch(/required/);
        checked++;
      }
    }
    // 4 zendesk + 3 hubspot + 3 aircall + 3 intercom + 14 salesforce + 5 twilio + 2 servicenow + 1 twcs + 2 csv.
    expect(checked).toBe(37);
  });

  test('every flag that existed before the flags were derived is still accepted, for the same sources', () => {
    const options = help.stdout.slice(help.stdout.indexOf('Options:'), help.stdout.indexOf('Sources and their options'));
    const contract: Record<string, string[]> = {
      'from-dir': [], url: ['zendesk', 'hubspot', 'aircall', 'intercom', 'salesforce', 'twilio'], email: ['zendesk'], config: [], since: [],
      'full-refresh': [], 'no-resolve': [], file: ['servicenow', 'twcs', 'csv'], mapping: ['csv'], 'time-zone': ['servicenow'],
      'tier-field': ['salesforce'], 'account-sid': ['twilio'], 'workspace-sid': ['twilio'],
    };
    for (const [flag, sources] of Object.entries(contract)) {
      const line = options.split('\n').find((l) => l.startsWith(`  --${flag} `));
      expect(line, flag).toBeDefined();
      if (sources.length) expect(line).toContain(`${sources.join(', ')}:`);
    }
  });

  test('a source flag of another source is refused with the sources it belongs to, not ignored', () => {
    const run = helpdesk(['ingest', 'zendesk', '--tier-field', 'Tier__c', '--db', join(dir, 'refused.duckdb')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--tier-field is not an option of zendesk (it is one of salesforce)');
  });
});

describe('a flag given on the command line reaches the adapter\'s options', () => {
  const requests: { path: string; authorization: string | undefined }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    // Refused: the run stops at its first request, which is all these tests look at.
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Couldn\'t authenticate you"}');
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('zendesk: --url is where it calls, --email is the API-token user (with the token from the environment)', async () => {
    requests.length = 0;
    const run = await helpdeskAsync(['ingest', 'zendesk', '--url', base, '--email', 'agent@example.com', '--db', join(dir, 'zendesk.duckdb')], {
      env: { ZENDESK_API_TOKEN: 'tok123', ZENDESK_EMAIL: 'env@example.com', ZENDESK_URL: 'http://127.0.0.1:9' },
    });
    expect(run.status).toBe(1);
    expect(requests.length).toBeGreaterThan(0);
    // Basic auth of "agent@example.com/token:tok123": the flag's email won over ZENDESK_EMAIL.
    expect(requests[0].authorization).toBe(`Basic ${Buffer.from('agent@example.com/token:tok123').toString('base64')}`);
    expect(run.stdout + run.stderr).not.toContain('tok123');
  });

  test('twilio: --account-sid is the account of the path and the Basic user, --workspace-sid the TaskRouter workspace', async () => {
    requests.length = 0;
    const account = `AC${'0123456789abcdef'.repeat(2)}`;
    const workspace = `WS${'fedcba9876543210'.repeat(2)}`;
    const run = await helpdeskAsync(['ingest', 'twilio', '--url', base, '--account-sid', account, '--workspace-sid', workspace, '--db', join(dir, 'twilio.duckdb')], {
      env: { TWILIO_AUTH_TOKEN: 'secret456' },
    });
    expect(run.status).toBe(1);
    expect(requests.length).toBeGreaterThan(0);
    // Queues are read first, from the workspace; TaskRouter shares a non-default base URL.
    expect(requests[0].path).toContain(`/Workspaces/${workspace}/`);
    expect(requests[0].authorization).toBe(`Basic ${Buffer.from(`${account}:secret456`).toString('base64')}`);
  });

  test('twcs: a --file path is read from the directory the command was run in', () => {
    // One customer tweet and the company's reply: one thread, read from ./tweets.csv of the caller's folder.
    writeFileSync(join(dir, 'tweets.csv'), [
      'tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id',
      '1,115712,True,Tue Oct 31 22:10:47 +0000 2017,@sprintcare my phone is broken,2,',
      '2,sprintcare,False,Tue Oct 31 22:15:00 +0000 2017,@115712 sorry to hear that,,1',
    ].join('\n') + '\n');
    const run = helpdesk(['ingest', 'twcs', '--file', 'tweets.csv', '--db', 'twcs.duckdb', '--no-resolve', '--json'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { stats: Record<string, { fetched: number }> };
    expect(Object.values(result.stats).reduce((n, s) => n + s.fetched, 0)).toBe(1);
  });
});
