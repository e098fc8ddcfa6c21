/**
 * CSV text (RFC 4180): fields with commas, quotes or line breaks are quoted and quotes doubled.
 * Cells starting with = + - @ get a leading apostrophe, so a spreadsheet never runs them as formulas
 * (message text is hostile input).
 *
 * @example
 * toCsv(['id', 'note'], [['a', 'x, "y"']]) // 'id,note\r\na,"x, ""y"""\r\n'
 */
export function toCsv(header: string[], rows: Array<Array<unknown>>): string {
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    let text = Array.isArray(value) ? value.join('; ') : String(value);
    if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
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
