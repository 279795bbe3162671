import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../shared/adapters/aws-clients';
import { submissionKey } from '../shared/core/submission-key';
import { versionToken } from '../shared/core/version-order';
import type { UploadResult } from '../shared/local/local-pipeline';
import type { CountyTarget } from './county-target';

/**
 * Puts a file into a deployed county's submissions bucket and polls the
 * table until ingest has recorded that version's outcome.
 */
export async function uploadToAws(
  target: CountyTarget,
  input: { year: number; unitId: string; fileName: string; bytes: Uint8Array },
  waitMs: number,
): Promise<UploadResult> {
  const s3 = createS3Client();
  try {
    const key = submissionKey(input.year, input.unitId, input.fileName);
    const put = await s3.send(new PutObjectCommand({ Bucket: target.names.submissionsBucket, Key: key, Body: input.bytes }));
    const token = versionToken(put.VersionId, put.ETag?.replaceAll('"', ''), undefined);
    const until = Date.now() + waitMs;
    while (Date.now() < until) {
      const record = await target.repo.getVersion(key, token);
      if (record) {
        let errorReport: string | undefined;
        if (record.errorReportKey) {
          const out = await s3.send(new GetObjectCommand({ Bucket: target.names.submissionsBucket, Key: `${record.errorReportKey}.txt` }));
          errorReport = await out.Body!.transformToString('utf8');
        }
        return { key, record, errorReport, batchItemFailures: 0 };
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    return { key, batchItemFailures: 0 };
  } finally {
    s3.destroy();
  }
}
