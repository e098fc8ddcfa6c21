import { parseArgs } from 'node:util';
import { WarehouseError, firstLine } from '@helpdesk/core';
import type { Command, OptionSpec } from './command.ts';
import { commands } from './commands/index.ts';
import {
  CliError,
  UsageError,
  defaultDbPath,
  findRepoRoot,
  resolveUserPath,
  type CliIo,
  type CommandContext,
} from './context.ts';

const globalOptions: Record<string, OptionSpec> = {
  db: { type: 'string', description: 'warehouse file (default data/helpdesk.duckdb)', valueName: 'path' },
  json: { type: 'boolean', description: 'machine-readable output on stdout' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

/**
 * Runs one `helpdesk` invocation and returns its exit code: 0 success, 1 failure, 2 usage error.
 * Expected failures print one line; only a bug prints a stack, and only with HELPDESK_DEBUG=1.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(topLevelHelp());
    return name ? 0 : 2;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`helpdesk: unknown command "${name}"; run \`helpdesk --help\` for the list\n`);
    return 2;
  }
  let command: Command | undefined;
  try {
    command = await entry.load();
    const parsed = parseArgs({
      args: rest,
      options: { ...globalOptions, ...command.options },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    if (values.help) {
      io.stdout.write(commandHelp(command));
      return 0;
    }
    const repoRoot = findRepoRoot();
    const json = values.json === true;
    const ctx: CommandContext = {
      db: typeof values.db === 'string' ? resolveUserPath(io, values.db) : defaultDbPath(repoRoot),
      json,
      io,
      repoRoot,
      say: (line) => {
        if (!json) io.stdout.write(line + '\n');
      },
      emit: (value) => {
        io.stdout.write(JSON.stringify(value, null, 2) + '\n');
      },
    };
    return await command.run(ctx, values, parsed.positionals);
  } catch (error) {
    return report(error, io, command?.name ?? entry.name);
  }
}

function report(error: unknown, io: CliIo, name: string): number {
  if (error instanceof UsageError || (error as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS')) {
    io.stderr.write(`helpdesk ${name}: ${firstLine((error as Error).message)}\n  (see \`helpdesk ${name} --help\`)\n`);
    return 2;
  }
  if (error instanceof WarehouseError || error instanceof CliError) {
    io.stderr.write(`helpdesk ${name}: ${firstLine(error.message)}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`helpdesk ${name}: unexpected error: ${firstLine(message)}\n`);
  if (io.env.HELPDESK_DEBUG) io.stderr.write(String((error as Error)?.stack ?? error) + '\n');
  else io.stderr.write('  (set HELPDESK_DEBUG=1 to see the stack trace)\n');
  return 1;
}

function formatOptions(options: Record<string, OptionSpec>): string {
  return Object.entries(options)
    .map(([name, spec]) => {
      const flag = `--${name}${spec.type === 'string' ? ` <${spec.valueName ?? 'value'}>` : ''}`;
      return `  ${flag.padEnd(30)} ${spec.description}`;
    })
    .join('\n');
}

function commandHelp(command: Command): string {
  const details = command.details ? `\n${command.details}\n` : '';
  return `${command.summary}\n\nUsage: ${command.usage}\n\nOptions:\n${formatOptions(command.options)}\n${details}\nGlobal options:\n${formatOptions(globalOptions)}\n`;
}

function topLevelHelp(): string {
  const list = commands.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`).join('\n');
  return `helpdesk: the omnichannel helpdesk analytics and QA workbench\n\nUsage: helpdesk <command> [options]\n       npm run helpdesk -- <command> [options]\n\nCommands:\n${list}\n\nGlobal options:\n${formatOptions(globalOptions)}\n\nRun \`helpdesk <command> --help\` for a command's options.\n`;
}
