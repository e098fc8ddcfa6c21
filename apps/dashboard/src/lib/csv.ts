import { guardCsvCell, type CsvValues } from '@helpdesk/core/csv';

/**
 * CSV text (RFC 4180): fields with commas, quotes or line breaks are quoted and quotes doubled.
 * Text cells follow the product's one CSV policy (@helpdesk/core/csv, the same as the server's
 * exports): a cell starting with = + - @ tab or carriage return gets a leading single quote, so a
 * spreadsheet never runs it as a formula (message text is hostile input). A list is one text cell
 * (`a; b`) whose every value is guarded the same way. `exact` writes values as they are, for those who ask.
 *
 * @example
 * toCsv(['id', 'note'], [['a', 'x, "y"']]) // 'id,note\r\na,"x, ""y"""\r\n'
 * toCsv(['tags'], [[['b', '=cmd']]]) // "tags\r\nb; '=cmd\r\n"
 */
export function toCsv(header: string[], rows: Array<Array<unknown>>, values: CsvValues = 'guard'): string {
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    // Each value of a list is guarded (a tool that splits the cell meets no formula either).
    const text = Array.isArray(value)
      ? value.map((v) => (v === null || v === undefined ? '' : typeof v === 'string' ? guardCsvCell(v, values) : String(v))).join('; ')
      : typeof value === 'string' ? guardCsvCell(value, values) : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header.map((h) => cell(h)), ...rows.map((r) => r.map(cell))].map((r) => r.join(',')).join('\r\n') + '\r\n';
}

/** Starts a browser download of `text` as `filename` (client side only). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
