/**
 * JSON text DuckDB's JSON reader accepts. `JSON.stringify` writes an unpaired surrogate (half of an
 * emoji cut in two) as an escape that DuckDB refuses, failing a whole batch; such strings become
 * U+FFFD instead, as they would on any other way into DuckDB. `value` is what `text` encodes, when
 * the caller still has it (saves parsing the text again).
 *
 * @example
 * wellFormedJson(JSON.stringify({ a: 'x\ud83d' })) // '{"a":"x\ufffd"}' (the replacement character itself)
 */
export function wellFormedJson(text: string, value?: unknown): string {
  if (!text.includes('\\ud') && !text.includes('\\uD')) return text;
  return JSON.stringify(value === undefined ? JSON.parse(text) : value, (_key, v) => (typeof v === 'string' ? v.replace(loneSurrogate, '\ufffd') : v));
}
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
