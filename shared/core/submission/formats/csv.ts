import type { SubmissionBuilder } from '../builder';
import type { ParseOutcome } from '../normalized';

export async function parseCsvSubmission(_bytes: Uint8Array, _fileName: string, builder: SubmissionBuilder): Promise<ParseOutcome> {
  builder.report('FILE_TYPE_UNSUPPORTED', {}, 'CSV parser not yet available');
  return builder.finish();
}
