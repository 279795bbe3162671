import './zod-mini-locale';
import * as z from 'zod/mini';

/**
 * An S3 event notification (the body of an SQS message), as Powertools'
 * `S3Schema` (@aws-lambda-powertools/parser/schemas/s3) checks it, field for
 * field. Ours because that module imports `{ z }` from zod, which keeps the
 * whole of zod's classic API (and every locale) in the ingest bundle and
 * costs its cold start; this one is on zod/mini, whose functions tree-shake. The glacier and EventBridge variants are left out: ingest
 * receives neither.
 */
const S3Identity = z.object({ principalId: z.string() });

const S3RecordSchema = z.object({
  eventVersion: z.string(),
  eventSource: z.literal('aws:s3'),
  awsRegion: z.string(),
  eventTime: z.iso.datetime(),
  eventName: z.string(),
  userIdentity: S3Identity,
  requestParameters: z.object({ sourceIPAddress: z.union([z.ipv4(), z.literal('s3.amazonaws.com')]) }),
  responseElements: z.object({ 'x-amz-request-id': z.string(), 'x-amz-id-2': z.string() }),
  s3: z.object({
    s3SchemaVersion: z.string(),
    configurationId: z.string(),
    object: z.object({
      key: z.string(),
      size: z.optional(z.number()),
      urlDecodedKey: z.optional(z.string()),
      eTag: z.optional(z.string()),
      sequencer: z.optional(z.string()),
      versionId: z.optional(z.string()),
    }),
    bucket: z.object({ name: z.string(), ownerIdentity: S3Identity, arn: z.string() }),
  }),
});

export const S3NotificationSchema = z.object({ Records: z.array(S3RecordSchema).check(z.minLength(1)) });
export type S3Notification = z.infer<typeof S3NotificationSchema>;
