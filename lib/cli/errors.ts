/** A mistake in what the user asked for (flag, config, folder): printed as one message, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Ctrl-C (SIGINT) or SIGTERM (Slurm, `timeout`): finished seeds are kept; exit code 128 + the signal's number. */
export class Interrupted extends Error {
  override name = 'Interrupted';
  constructor(
    message: string,
    readonly exitCode = 130,
  ) {
    super(message);
  }
}
