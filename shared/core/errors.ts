/**
 * Named errors decide what happens to a record (STYLE.md, rule 3):
 * - a PermanentError will fail the same way on every retry, so the file is
 *   quarantined with a report and the SQS message is acknowledged;
 * - a TransientError (throttling, timeouts, a flaky network) is rethrown so
 *   the record goes back to SQS and is retried, then lands in the DLQ.
 * Anything else is treated as transient: retrying an unknown failure is
 * safer than dropping a submission.
 */
export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';
}

export class TransientError extends Error {
  override readonly name: string = 'TransientError';
}

/** A county config, template or catalogue file is wrong. Names the file and the field. */
export class ConfigError extends PermanentError {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: ${field}: ${detail}`);
  }
}

/** The uploaded file cannot be accepted; `errors` says where and why, per cell. */
export class SubmissionRejectedError extends PermanentError {
  override readonly name = 'SubmissionRejectedError';
  constructor(
    message: string,
    readonly errors: readonly import('./submission/problems').SubmissionProblem[],
  ) {
    super(message);
  }
}

/** The upload is larger than a submission may be; it is rejected, never read whole. */
export class FileTooLargeError extends PermanentError {
  override readonly name = 'FileTooLargeError';
  constructor(
    readonly key: string,
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`${key} is ${size} bytes; the limit is ${maxBytes}`);
  }
}

/** The object key is not a submission (e.g. a folder marker); acknowledged and ignored. */
export class NotASubmissionError extends PermanentError {
  override readonly name = 'NotASubmissionError';
}

/**
 * The database refused an item that the parser accepted (DynamoDB's
 * ValidationException, an item over 400 KB, a value the marshaller cannot
 * write). Retrying changes nothing: the file is rejected with a report, and
 * the PermanentFailures metric raises an alarm, because the parser's limits
 * should have caught it.
 */
export class StorageRejectedError extends PermanentError {
  override readonly name = 'StorageRejectedError';
}

/** Out of disk space or file handles: the machine's fault, not the file's, so the record is retried. */
const RESOURCE_EXHAUSTED = new Set(['ENOSPC', 'EMFILE', 'ENFILE', 'EDQUOT']);

export function isResourceExhausted(err: unknown): boolean {
  return typeof err === 'object' && err !== null && RESOURCE_EXHAUSTED.has((err as { code?: string }).code ?? '');
}

/** Environment variables are missing or malformed; fails a Lambda at module load. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}
