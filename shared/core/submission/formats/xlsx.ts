import type { SubmissionBuilder } from '../builder';
import type { ParseOutcome } from '../normalized';

export async function parseXlsxSubmission(_bytes: Uint8Array, builder: SubmissionBuilder): Promise<ParseOutcome> {
  builder.report('FILE_TYPE_UNSUPPORTED', {}, 'XLSX parser not yet available');
  return builder.finish();
}
