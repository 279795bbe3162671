import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { viaService } from '../partition';
import { PREFIX } from '../../shared/storage/layout';
import type { CountyNames } from '../names';
import type { StageSettings } from '../settings';
import { acknowledgePrefixGrant } from '../nag';
import { CountyFunction } from './county-function';
import type { SubmissionStorage } from './submission-storage';
import type { SubmissionTable } from './submission-table';

export interface IngestProps {
  countyId: string;
  names: CountyNames;
  settings: StageSettings;
  key: kms.IKey;
  storage: SubmissionStorage;
  table: SubmissionTable;
}

/** A message that failed this many times is a poison message: it waits in the DLQ for a person. */
export const MAX_RECEIVE_COUNT = 5;
const INGEST_TIMEOUT = Duration.minutes(2);

/**
 * S3 ObjectCreated (submissions/ only) → SQS → ingest Lambda, with a DLQ.
 * The function reports partial batch failures, so one bad file does not
 * send its batch-mates back to the queue.
 */
export class Ingest extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly handler: CountyFunction;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const { names, settings, storage, key } = props;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: names.queue('ingest-dlq'),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: settings.removalPolicy,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: names.queue('ingest'),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      // AWS's advice for Lambda event sources: six times the function timeout.
      visibilityTimeout: Duration.seconds(INGEST_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
      removalPolicy: settings.removalPolicy,
    });
    storage.sendSubmissionEventsTo(this.queue);

    this.handler = new CountyFunction(this, 'Handler', {
      handlerFolder: 'ingest',
      description: 'Validates a submitted file and stores its normalized figures',
      countyId: props.countyId,
      names,
      settings,
      timeout: INGEST_TIMEOUT,
      memorySize: 1024,
    });
    const role = this.handler.role;
    const { submissionsBucket } = storage;

    this.handler.setEnvironment('SUBMISSIONS_BUCKET', submissionsBucket.bucketName);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadSubmittedFiles',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [submissionsBucket.arnForObjects(`${PREFIX.submissions}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteErrorReports',
        actions: ['s3:PutObject'],
        resources: [submissionsBucket.arnForObjects(`${PREFIX.errorReports}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseTheKeyThroughS3',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': viaService(this, 's3') } },
      }),
    );
    this.handler.useTable(props.table, 'readWrite');
    acknowledgePrefixGrant(role, submissionsBucket, PREFIX.submissions, 'Ingest reads only the files under submissions/, the prefix whose events it receives.');
    acknowledgePrefixGrant(role, submissionsBucket, PREFIX.errorReports, 'Ingest writes only the error reports it produces, under error-reports/ (outside the notification filter).');

    this.handler.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
        // Leaves concurrency for the rest of the account during a deadline-day rush.
        maxConcurrency: 5,
      }),
    );
  }
}
