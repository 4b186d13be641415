/** A mistake in what the user asked for (flag, config, folder): printed as one message, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Ctrl-C: finished seeds are kept, exit code 130. */
export class Interrupted extends Error {
  override name = 'Interrupted';
}
