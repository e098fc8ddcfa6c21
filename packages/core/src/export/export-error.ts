/** A dataset name that is not registered, a registration that clashes, or a bad export request. */
export class ExportError extends Error {
  override readonly name = 'ExportError';
}
