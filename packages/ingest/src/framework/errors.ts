/** A failure a user can act on (bad credentials, unreachable vendor, bad options): one readable line. */
export class IngestError extends Error {
  override readonly name = 'IngestError';
  constructor(
    message: string,
    readonly code: 'options' | 'auth' | 'http' | 'network' | 'payload' | 'from_dir' = 'http',
  ) {
    super(message);
  }
}
