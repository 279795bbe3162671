import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients';
import { DynamoPortalStore } from '../../shared/adapters/dynamo-portal-store';
import { DynamoSubmissionRepository } from '../../shared/adapters/dynamo-submission-repository';
import { DynamoUploadTokenStore } from '../../shared/adapters/dynamo-upload-token-store';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import type { PortalStorage } from '../../shared/usecases/portal/ports';
import { presignUpload } from '../upload-api/presign';
import type { UploadGrant } from '../../shared/core/upload-access/request-upload';

/** The portal's adapters over one county's table and buckets, for the Lambda and the local server alike. */
export function portalStorage(names: { table: string; submissionsBucket: string; reportsBucket: string }) {
  const documentClient = createDocumentClient();
  const s3 = createS3Client();
  const storage: PortalStorage = {
    repo: new DynamoSubmissionRepository(documentClient, names.table),
    objects: new S3ObjectStore(s3),
    portal: new DynamoPortalStore(documentClient, names.table),
    links: new DynamoUploadTokenStore(documentClient, names.table),
    submissionsBucket: names.submissionsBucket,
    reportsBucket: names.reportsBucket,
  };
  // The same presigned POST the upload API grants: this key, this type, this size, a few minutes.
  const presign = (grant: UploadGrant) => presignUpload(s3, names.submissionsBucket, grant);
  return { storage, presign, close: () => s3.destroy() };
}
