import middy from '@middy/core';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { S3NotificationSchema } from '../../shared/core/s3-notification';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createDocumentClient, createDynamoClient, createS3Client } from '../../shared/adapters/aws-clients';
import { DynamoSubmissionRepository } from '../../shared/adapters/dynamo-submission-repository';
import { DynamoUploadTokenStore } from '../../shared/adapters/dynamo-upload-token-store';
import { INGEST_ENV, readEnvironment } from '../../shared/adapters/environment';
import { TABLE_DESIGN } from '../../shared/storage/layout';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { loadCounty } from '../../shared/core/county/load';
import { formatErrorReport } from '../../shared/core/submission/error-report';
import { MAX_SUBMISSION_BYTES } from '../../shared/core/submission/limits';
import type { parseSubmissionFile } from '../../shared/core/submission/parse';
import { decodeS3EventKey } from '../../shared/core/s3-event-key';
import { versionToken } from '../../shared/core/version-order';
import { ingestObject } from '../../shared/usecases/ingest-object';
import { PermanentError } from '../../shared/core/errors';
import type { ObjectVersionRef } from '../../shared/usecases/ports';

/**
 * SQS batch of S3 ObjectCreated notifications → ingest each object version.
 * A record that fails transiently is reported in batchItemFailures and comes
 * back from SQS (then the DLQ); a bad file is quarantined with an error report
 * and acknowledged.
 */
const env = readEnvironment(INGEST_ENV);
const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'yearly-report-ingest', persistentKeys: { county: env.COUNTY_ID } });
const metrics = new Metrics({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'yearly-report-ingest', defaultDimensions: { county: env.COUNTY_ID } });
// The bundle's folder is always county/, so the id to expect comes from the stack.
const county = loadCounty(env.COUNTY_CONFIG_DIR, { expectedId: env.COUNTY_ID });
const catalogue = county.catalogue;
// One DynamoDB client for the repository and Powertools' idempotency store: each client costs the cold start.
const dynamo = createDynamoClient();
const documentClient = createDocumentClient(dynamo);
const deps = {
  county,
  catalogue,
  objects: new S3ObjectStore(createS3Client()),
  repo: new DynamoSubmissionRepository(documentClient, env.TABLE_NAME),
  // An object that came with an upload grant is checked against it and its unit link (core/upload-access/grant.ts).
  uploadGrants: new DynamoUploadTokenStore(documentClient, env.TABLE_NAME),
  // The parsers load on the first upload, not in the cold start of a batch that may hold none.
  parse: async (input: Parameters<typeof parseSubmissionFile>[0]) => (await import('../../shared/core/submission/parse')).parseSubmissionFile(input),
  formatErrorReport,
  maxBytes: MAX_SUBMISSION_BYTES,
  now: () => new Date(),
};
const processor = new BatchProcessor(EventType.SQS);

/**
 * One object version is processed once, even when its notification arrives
 * twice at the same moment: Powertools keeps an in-progress record in the
 * county's table. (Versions processed earlier are also recognised by their
 * outcome record, which does not expire.)
 */
const idempotency = new IdempotencyConfig({ eventKeyJmesPath: '[bucket, key, versionToken]', expiresAfterSeconds: 24 * 3600 });
type Delivery = ObjectVersionRef & { versionToken: string; deliveryId: string };
/** Deliveries that really ran ingest; any other got Powertools' stored outcome and was a duplicate. */
const executedDeliveries = new Set<string>();
const ingestOnce = makeIdempotent((delivery: Delivery) => {
  executedDeliveries.add(delivery.deliveryId);
  return ingestObject(delivery, deps);
}, {
  persistenceStore: new DynamoDBPersistenceLayer({
    tableName: env.TABLE_NAME,
    keyAttr: TABLE_DESIGN.partitionKey.name,
    sortKeyAttr: TABLE_DESIGN.sortKey.name,
    staticPkValue: 'IDEMPOTENCY',
    expiryAttr: TABLE_DESIGN.timeToLiveAttribute,
    awsSdkV3Client: dynamo,
  }),
  config: idempotency,
});

/**
 * Every failed record is logged with its message id, object key and error
 * (the batch processor alone would collect them silently). A PermanentError
 * fails the same way on every retry: it is counted as a PermanentFailure
 * (alarmed) and acknowledged instead of cycling through the DLQ; the raw
 * upload stays in S3 for replay. Anything else goes back to SQS.
 */
async function processRecord(record: SQSRecord): Promise<void> {
  const keys: string[] = [];
  try {
    await ingestRecord(record, keys);
  } catch (err) {
    const permanent = err instanceof PermanentError;
    logger.error(permanent ? 'record failed permanently; acknowledged' : 'record failed; returned to the queue for retry', { messageId: record.messageId, objectKeys: keys, error: err as Error });
    if (!permanent) throw err;
    metrics.addMetric('PermanentFailures', MetricUnit.Count, 1);
  }
}

async function ingestRecord(record: SQSRecord, keys: string[]): Promise<void> {
  const body: unknown = JSON.parse(record.body);
  if (isS3TestEvent(body)) {
    logger.info('s3:TestEvent acknowledged');
    return;
  }
  const notification = S3NotificationSchema.parse(body);
  for (const s3Record of notification.Records) {
    if (!s3Record.eventName.startsWith('ObjectCreated')) continue;
    const key = decodeS3EventKey(s3Record.s3.object.key);
    keys.push(key);
    const { versionId, eTag, sequencer, size } = s3Record.s3.object;
    const outcome = await ingestOnce({
      bucket: s3Record.s3.bucket.name,
      key,
      versionId,
      eTag,
      sequencer,
      size,
      eventTime: s3Record.eventTime,
      principal: s3Record.userIdentity?.principalId,
      versionToken: versionToken(versionId, eTag, sequencer),
      deliveryId: `${record.messageId}/${key}`,
    });
    if (!executedDeliveries.delete(`${record.messageId}/${key}`) && 'unitId' in outcome) {
      await deps.repo.appendAudit({ at: new Date().toISOString(), year: outcome.year, unitId: outcome.unitId, s3Key: key, versionToken: versionToken(versionId, eTag, sequencer), outcome: 'duplicate', principal: s3Record.userIdentity?.principalId, detail: `delivered again; already ${outcome.kind}` });
    }
    countOutcome(outcome);
    logger.info('ingested', { objectKey: key, versionId: s3Record.s3.object.versionId, outcome: outcome.kind, ...('unitId' in outcome ? { unit: outcome.unitId, year: outcome.year } : {}) });
  }
}

/** Submissions accepted and rejected, rows ingested: the figures the county's dashboard and alarms use. */
function countOutcome(outcome: Awaited<ReturnType<typeof ingestObject>>): void {
  const name = { accepted: 'SubmissionsAccepted', rejected: 'SubmissionsRejected', superseded: 'SubmissionsSuperseded', duplicate: 'DuplicateDeliveries', ignored: 'IgnoredObjects' }[outcome.kind];
  metrics.addMetric(name, MetricUnit.Count, 1);
  if (outcome.kind === 'accepted') metrics.addMetric('RowsIngested', MetricUnit.Count, outcome.rows);
  if (outcome.kind === 'rejected' && outcome.permanentFailure) {
    metrics.addMetric('PermanentFailures', MetricUnit.Count, 1);
    logger.error('storage refused an accepted file; rejected with a report', { unit: outcome.unitId, year: outcome.year, errorReportKey: outcome.errorReportKey, error: outcome.permanentFailure });
  }
}

function isS3TestEvent(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { Event?: unknown }).Event === 's3:TestEvent';
}

export const handler = middy(async (event: SQSEvent, context: Context) => {
  idempotency.registerLambdaContext(context);
  // A batch whose every record failed is reported record by record too, like any partial failure.
  return processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false });
}).use(injectLambdaContext(logger)).use(logMetrics(metrics));
