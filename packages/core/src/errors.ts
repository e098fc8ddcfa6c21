/**
 * An error meant for a person: one line, no stack, saying what to do. The CLI and the web app
 * print `message` alone for these and treat anything else as a bug.
 */
export class WarehouseError extends Error {
  override readonly name = 'WarehouseError';
  constructor(message: string, readonly code: WarehouseErrorCode, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type WarehouseErrorCode =
  | 'not_a_warehouse'
  | 'corrupt'
  | 'newer_schema'
  | 'locked'
  | 'missing'
  | 'read_only';

/** Maps DuckDB's open errors to the few cases a user can act on. */
export function explainOpenError(path: string, error: unknown): WarehouseError {
  const text = error instanceof Error ? error.message : String(error);
  if (/lock/i.test(text) && /conflicting|Could not set lock/i.test(text)) {
    return new WarehouseError(
      `${path} is in use by another helpdesk process (DuckDB allows one writer per file); stop it, or send the job to the running server.`,
      'locked',
      { cause: error },
    );
  }
  if (/not a valid DuckDB database|database file .* is not|Invalid Input Error|Serialization|Corrupt|checksum|IO Error/i.test(text)) {
    return new WarehouseError(
      `${path} is not a readable helpdesk warehouse (not a DuckDB file, or damaged); pass another --db or delete it to start afresh.`,
      'corrupt',
      { cause: error },
    );
  }
  return new WarehouseError(`could not open ${path}: ${firstLine(text)}`, 'corrupt', { cause: error });
}

export function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}
