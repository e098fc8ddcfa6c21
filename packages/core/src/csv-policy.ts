/**
 * The one CSV policy of the product, for every CSV it writes: the server's exports (DuckDB COPY,
 * through `csvGuardSql`) and the browser's downloads (through `guardCsvCell`). No imports, so the
 * browser bundle can use it too.
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`, `+`,
 * `-` or `@` as a formula, and a leading tab or carriage return can hide such a start from a
 * naive check. Customer text (message bodies, subjects, names) is hostile input, so every text
 * cell starting with one of those six characters gets a single quote in front (`'=HYPERLINK(...)`),
 * which spreadsheets show as text. A list of text is one cell, its values joined by `; `, and every
 * value is guarded (a tool that splits the cell meets no formula either).
 * Numbers, booleans and timestamps are not text and stay as they are (a negative number stays a
 * number). Analysts who need the stored value byte for byte ask for it explicitly (`exact`):
 * `?csv=exact` on the export endpoint, `--csv-exact` on `helpdesk export`; Parquet and Arrow are
 * always exact (typed columns, no spreadsheet reads them as formulas).
 */
export const csvFormulaStarts = ['=', '+', '-', '@', '\t', '\r'] as const;

/** `guard`: the OWASP prefix (the default); `exact`: values as stored. */
export type CsvValues = 'guard' | 'exact';
export const csvValueModes = ['guard', 'exact'] as const;

const risky = /^[=+\-@\t\r]/;

/**
 * A text cell under the policy (before CSV quoting).
 *
 * @example
 * guardCsvCell('=HYPERLINK("http://x")') // `'=HYPERLINK("http://x")`
 * guardCsvCell('\t=1+1') // `'\t=1+1`
 * guardCsvCell('hello') // 'hello'
 */
export function guardCsvCell(text: string, mode: CsvValues = 'guard'): string {
  return mode === 'guard' && risky.test(text) ? `'${text}` : text;
}

/**
 * The same rule in DuckDB SQL over a text expression, for `COPY ... (FORMAT csv)`.
 *
 * @example
 * csvGuardSql('e.body') // "CASE WHEN left(e.body, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || e.body ELSE e.body END"
 */
export function csvGuardSql(expression: string): string {
  // chr(9) and chr(13) rather than escapes inside the pattern: DuckDB's RE2 reads \t and \r too,
  // but the characters themselves cannot be mistaken for anything else.
  return `CASE WHEN left(${expression}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || ${expression} ELSE ${expression} END`;
}
