/**
 * Lets other work of the process run every `every` items of a long loop: a sync's stages run
 * inside the web server, where seconds of JavaScript in one go would hold every request.
 *
 * @example
 * for (const [i, row] of rows.entries()) {
 *   await breathe(i);
 *   handle(row);
 * }
 */
export async function breathe(i: number, every = 256): Promise<void> {
  if (i > 0 && i % every === 0) await new Promise<void>((resolve) => setImmediate(resolve));
}
