import { randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { encodeS3EventKey } from '../core/s3-event-key';

/**
 * Wraps S3 notifications the way AWS delivers them through SQS: each S3
 * event is the JSON body of one SQS message, and the object key inside is
 * URL-encoded (spaces as "+", UTF-8 percent-escapes), as S3 sends it.
 * s3rver's in-process events carry raw keys, so they are encoded here.
 */
export interface S3EventRecordLike {
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity?: { principalId: string };
  s3: {
    s3SchemaVersion: string;
    configurationId: string;
    bucket: { name: string; arn: string; ownerIdentity?: { principalId: string } };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer?: string };
  };
  [more: string]: unknown;
}

export function withEncodedKey(record: S3EventRecordLike): S3EventRecordLike {
  return { ...record, s3: { ...record.s3, object: { ...record.s3.object, key: encodeS3EventKey(record.s3.object.key) } } };
}

export function toSqsEvent(records: readonly S3EventRecordLike[], queueArn = 'arn:aws:sqs:us-east-1:000000000000:local-ingest'): SQSEvent {
  return {
    Records: records.map(
      (record): SQSRecord => ({
        messageId: randomUUID(),
        receiptHandle: randomUUID(),
        body: JSON.stringify({ Records: [record] }),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'AIDAIENQZJOLO23YVJ4VO',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: record.awsRegion,
      }),
    ),
  };
}
