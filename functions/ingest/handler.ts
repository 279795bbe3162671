import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients';
import { DynamoSubmissionRepository } from '../../shared/adapters/dynamo-submission-repository';
import { COMMON_ENV, readEnvironment } from '../../shared/adapters/environment';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { loadCatalogue } from '../../shared/core/catalogue/load';
import { loadCounty } from '../../shared/core/county/load';
import { formatErrorReport, MAX_SUBMISSION_BYTES, parseSubmissionFile } from '../../shared/core/submission/parse';
import { decodeS3EventKey } from '../../shared/core/s3-event-key';
import { ingestObject } from '../../shared/usecases/ingest-object';

/**
 * SQS batch of S3 ObjectCreated notifications → ingest each object version.
 * A record that fails transiently is reported in batchItemFailures and comes
 * back from SQS (then the DLQ); a bad file is quarantined with an error report
 * and acknowledged.
 */
const env = readEnvironment(COMMON_ENV);
const logger = new Logger({ serviceName: 'ingest', persistentKeys: { county: env.COUNTY_ID } });
const county = loadCounty(env.COUNTY_CONFIG_DIR);
const catalogue = loadCatalogue();
const deps = {
  county,
  catalogue,
  objects: new S3ObjectStore(createS3Client()),
  repo: new DynamoSubmissionRepository(createDocumentClient(), env.TABLE_NAME),
  parse: parseSubmissionFile,
  formatErrorReport,
  maxBytes: MAX_SUBMISSION_BYTES,
  now: () => new Date(),
};
const processor = new BatchProcessor(EventType.SQS);

async function processRecord(record: SQSRecord): Promise<void> {
  const body: unknown = JSON.parse(record.body);
  if (isS3TestEvent(body)) {
    logger.info('s3:TestEvent acknowledged');
    return;
  }
  const notification = S3Schema.parse(body);
  for (const s3Record of notification.Records) {
    if (!s3Record.eventName.startsWith('ObjectCreated')) continue;
    const key = decodeS3EventKey(s3Record.s3.object.key);
    const outcome = await ingestObject(
      {
        bucket: s3Record.s3.bucket.name,
        key,
        versionId: s3Record.s3.object.versionId,
        eTag: s3Record.s3.object.eTag,
        sequencer: s3Record.s3.object.sequencer,
        size: s3Record.s3.object.size,
        eventTime: s3Record.eventTime,
        principal: s3Record.userIdentity?.principalId,
      },
      deps,
    );
    logger.info('ingested', { objectKey: key, versionId: s3Record.s3.object.versionId, outcome: outcome.kind, ...('unitId' in outcome ? { unit: outcome.unitId, year: outcome.year } : {}) });
  }
}

function isS3TestEvent(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { Event?: unknown }).Event === 's3:TestEvent';
}

export const handler = middy(async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, processRecord, processor, { context }),
).use(injectLambdaContext(logger));
