import type { Command } from '../command.ts';
import { UsageError } from '../context.ts';
import { withWarehouse } from './users.ts';
import { ensureDemoAccounts, isDemoWarehouse } from '../../lib/server/auth/demo-accounts.ts';
import { apiDatasets, createToken, listTokens, parseDatasets, revokeToken, type ApiToken } from '../../lib/server/api/tokens.ts';

/**
 * `helpdesk tokens add|list|revoke`: personal API tokens for /api/v1. The secret is printed once by
 * `add` (in --json as `secret`) and is not stored: only its SHA-256 is.
 */
export const tokensCommand: Command = {
  name: 'tokens',
  summary: 'personal API tokens for /api/v1: add, list, revoke',
  usage: [
    'helpdesk tokens add --user EMAIL [--name N] [--datasets metrics,interactions,...]',
    '       helpdesk tokens list [--user EMAIL]',
    '       helpdesk tokens revoke <token id or prefix>',
    `  datasets: ${apiDatasets.join(', ')} (default: all the user's role may read)`,
  ].join('\n'),
  allowPositionals: true,
  options: {
    user: { type: 'string', description: 'the account the token acts as (its role decides what it may read)', valueName: 'EMAIL' },
    name: { type: 'string', description: 'a label to recognise the token by', valueName: 'N' },
    datasets: { type: 'string', description: `narrow the token to these API datasets: ${apiDatasets.join(', ')}`, valueName: 'list' },
  },
  async run(ctx, values, positionals) {
    const [action, ...rest] = positionals;
    const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
    switch (action) {
      case 'add': {
        if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
        const email = text('user') ?? fail('tokens add needs --user');
        return withWarehouse(ctx, async (wh) => {
          // The demo's accounts are made by the server on first use; a token for one may come first.
          if (ctx.io.env.HELPDESK_DEMO_ACCOUNTS !== '0' && email.trim().toLowerCase().endsWith('@demo.local') && (await isDemoWarehouse(wh))) await ensureDemoAccounts(wh);
          const { token, secret } = await createToken(wh, { email, name: text('name'), datasets: parseDatasets(text('datasets')) });
          if (ctx.json) ctx.emit({ ...token, secret });
          else {
            ctx.say(`token ${token.id} for ${token.userEmail}${token.datasets ? ` (datasets: ${token.datasets.join(', ')})` : ''}`);
            ctx.say(`secret (shown only now): ${secret}`);
            ctx.say('use it as: curl -H "Authorization: Bearer <secret>" http://localhost:3000/api/v1/metrics');
          }
          return 0;
        });
      }
      case 'list':
        if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
        return withWarehouse(ctx, async (wh) => {
          let tokens = await listTokens(wh);
          const user = text('user')?.trim().toLowerCase();
          if (user) tokens = tokens.filter((t) => t.userEmail === user);
          if (ctx.json) ctx.emit(tokens);
          else if (tokens.length === 0) ctx.say('no API tokens; add one with `helpdesk tokens add --user EMAIL`');
          else for (const t of tokens) ctx.say(line(t));
          return 0;
        });
      case 'revoke': {
        if (rest.length !== 1) throw new UsageError('tokens revoke needs one token id or prefix');
        return withWarehouse(ctx, async (wh) => {
          const token = await revokeToken(wh, rest[0]);
          if (ctx.json) ctx.emit(token);
          else ctx.say(`revoked ${token.id} (${token.userEmail})`);
          return 0;
        });
      }
      case undefined:
        throw new UsageError('say what to do: add, list or revoke');
      default:
        throw new UsageError(`unknown action "${action}"; use add, list or revoke`);
    }
  },
};

function line(t: ApiToken): string {
  const state = t.revokedAt ? `revoked ${t.revokedAt.slice(0, 16)}` : t.lastUsedAt ? `used ${t.lastUsedAt.slice(0, 16)}` : 'never used';
  return `${t.id}  ${t.prefix}…  ${t.userEmail.padEnd(28)} ${(t.datasets?.join(',') ?? 'all').padEnd(24)} ${state}  ${t.name}`;
}

function fail(message: string): never {
  throw new UsageError(message);
}
