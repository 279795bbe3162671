/** The command line was used wrongly (unknown county, missing flag): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
