import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient } from '../adapters/aws-clients';
import { DynamoSubmissionRepository } from '../adapters/dynamo-submission-repository';
import { downloadPrefix } from '../adapters/s3-download';
import { countyDirInRepo } from '../core/county/load';
import { submissionKey } from '../core/submission-key';
import { versionToken } from '../core/version-order';
import { physicalNames } from '../storage/layout';
import type { VersionRecord } from '../usecases/ports';
import { ensureCountyResources } from './county-resources';
import { LocalAws, startLocalAws } from './emulators';
import { S3EventRecordLike, toSqsEvent, withEncodedKey } from './s3-event-delivery';

/**
 * The whole pipeline on one machine: emulators, the county's resources, and
 * the real Lambda handlers invoked with the events AWS would send them.
 *
 * Handlers read their environment when first loaded, so one process runs one
 * county (the CLI does; jest gives each test file its own module registry).
 */
export interface LocalPipelineOptions {
  countyId: string;
  /** Emulator state; reuse a folder to keep state between commands. */
  stateDir: string;
  /** Where the county's config lives; the repository's shared/counties/<id> by default. */
  countyConfigDir?: string;
  /**
   * The time the emulated S3 notifications report as eventTime. Unset means
   * now; the demo replays a past year's uploads as received in that year's
   * collection window, so lateness is judged as it was then.
   */
  uploadTime?: () => Date;
  /**
   * Deliver every ObjectCreated notification to ingest as soon as S3 emits it,
   * as the deployed S3 → SQS → Lambda wiring does; for uploads that do not go
   * through `upload()` (e.g. a presigned POST from the upload API).
   */
  autoDeliver?: boolean;
}

export interface UploadInput {
  year: number;
  unitId: string;
  fileName: string;
  bytes: Uint8Array | string;
}

export interface UploadResult {
  key: string;
  record?: VersionRecord;
  /** The readable error report when the file was rejected. */
  errorReport?: string;
  batchItemFailures: number;
}

const LAMBDA_CONTEXT = {
  functionName: 'local',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:local',
  memoryLimitInMB: '1024',
  awsRequestId: 'local',
  logGroupName: 'local',
  logStreamName: 'local',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 900_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as unknown as Context; // a Lambda Context has no public constructor; these are the fields handlers read

export class LocalPipeline {
  private readonly pendingEvents = new Map<string, S3EventRecordLike[]>();
  private readonly waiters = new Map<string, () => void>();
  private readonly s3: S3Client;
  /** Auto-delivered notifications, one after another, as one SQS poller would hand them over. */
  private autoDelivery: Promise<void> = Promise.resolve();
  readonly repo: DynamoSubmissionRepository;

  private constructor(
    readonly aws: LocalAws,
    readonly names: ReturnType<typeof physicalNames>,
    private options: LocalPipelineOptions,
  ) {
    aws.onObjectCreated((record) => {
      const key = record.s3.object.key;
      this.pendingEvents.set(key, [...(this.pendingEvents.get(key) ?? []), record]);
      this.waiters.get(key)?.();
      const { autoDeliver, uploadTime } = this.options;
      if (autoDeliver) {
        // The received time is the pipeline's clock, as for put(): a replayed year's portal judges lateness and locks in that year.
        const received = uploadTime ? { ...record, eventTime: uploadTime().toISOString() } : record;
        this.autoDelivery = this.autoDelivery.then(() => this.deliver([received])).then(() => undefined);
      }
    });
    this.s3 = new S3Client({ forcePathStyle: true });
    this.repo = new DynamoSubmissionRepository(createDocumentClient(), names.table);
  }

  static async start(options: LocalPipelineOptions): Promise<LocalPipeline> {
    const aws = await startLocalAws(options.stateDir);
    const names = physicalNames(options.countyId, 'local');
    Object.assign(process.env, aws.env, {
      COUNTY_ID: options.countyId,
      COUNTY_CONFIG_DIR: options.countyConfigDir ?? countyDirInRepo(options.countyId),
      SUBMISSIONS_BUCKET: names.submissionsBucket,
      REPORTS_BUCKET: names.reportsBucket,
      TABLE_NAME: names.table,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    await ensureCountyResources({ buckets: [names.submissionsBucket, names.reportsBucket], table: names.table });
    return new LocalPipeline(aws, names, options);
  }

  /**
   * From now on, delivers every notification to ingest as it arrives (as
   * `autoDeliver`), received at `uploadTime` (now when unset): `demo --serve`
   * serves the portal over the demo's own pipeline, since the handlers it
   * loaded keep their clients on this pipeline's emulators for the process's life.
   */
  deliverAutomatically(uploadTime?: () => Date): void {
    this.options = { ...this.options, autoDeliver: true, uploadTime };
  }

  /** Puts each file into the submissions bucket and delivers the notifications to ingest in SQS batches of 10. */
  async upload(files: readonly UploadInput[], onProgress?: (done: number) => void): Promise<UploadResult[]> {
    const results: UploadResult[] = [];
    for (let i = 0; i < files.length; i += 10) {
      const records: S3EventRecordLike[] = [];
      for (const file of files.slice(i, i + 10)) records.push(await this.put(file));
      const response = await this.deliver(records);
      for (const record of records) {
        results.push(await this.outcomeOf(record, response.batchItemFailures.length));
        onProgress?.(results.length);
      }
    }
    return results;
  }

  /** Stores a file and returns its S3 notification without delivering it (tests deliver late, twice, or out of order). */
  async put(file: UploadInput): Promise<S3EventRecordLike> {
    const key = submissionKey(file.year, file.unitId, file.fileName);
    const before = this.eventsFor(key).length;
    const arrived = new Promise<void>((resolve) => this.waiters.set(key, resolve));
    await this.s3.send(new PutObjectCommand({ Bucket: this.names.submissionsBucket, Key: key, Body: file.bytes, ContentType: contentTypeOf(file.fileName) }));
    if (this.eventsFor(key).length === before) await arrived;
    this.waiters.delete(key);
    const record = this.eventsFor(key).at(-1)!;
    return this.options.uploadTime ? { ...record, eventTime: this.options.uploadTime().toISOString() } : record;
  }

  /** Delivers S3 notifications to the ingest handler as one SQS batch, keys URL-encoded as S3 sends them. */
  async deliver(records: readonly S3EventRecordLike[]): Promise<SQSBatchResponse> {
    const { handler } = await import('../../functions/ingest/handler');
    return (await handler(toSqsEvent(records.map(withEncodedKey)), LAMBDA_CONTEXT)) as SQSBatchResponse;
  }

  /** What ingest recorded for a notification's object version, with the readable error report if rejected. */
  async outcomeOf(event: S3EventRecordLike, failures = 0): Promise<UploadResult> {
    const { key, eTag, sequencer, versionId } = event.s3.object;
    const record = await this.repo.getVersion(key, versionToken(versionId, eTag, sequencer));
    let errorReport: string | undefined;
    if (record?.errorReportKey) {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.names.submissionsBucket, Key: `${record.errorReportKey}.txt` }));
      errorReport = await out.Body!.transformToString('utf8');
    }
    return { key, record, errorReport, batchItemFailures: failures };
  }

  /** Delivers an SQS event as given (e.g. a sample from events/). */
  async redeliverRaw(event: SQSEvent): Promise<SQSBatchResponse> {
    const { handler } = await import('../../functions/ingest/handler');
    return (await handler(event, LAMBDA_CONTEXT)) as SQSBatchResponse;
  }

  eventsFor(key: string): S3EventRecordLike[] {
    return this.pendingEvents.get(key) ?? [];
  }

  async aggregate(event: Record<string, unknown>) {
    const { handler } = await import('../../functions/aggregate/handler');
    return handler(event, LAMBDA_CONTEXT);
  }

  /** Copies every object under a prefix of the reports bucket into a folder. */
  download(prefix: string, outDir: string): Promise<string[]> {
    return downloadPrefix(this.s3, this.names.reportsBucket, prefix, outDir);
  }

  async stop(): Promise<void> {
    await this.autoDelivery;
    this.s3.destroy();
    await this.aws.stop();
  }
}

function contentTypeOf(fileName: string): string {
  if (fileName.endsWith('.json')) return 'application/json';
  if (fileName.endsWith('.csv')) return 'text/csv';
  if (fileName.endsWith('.xlsx')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return 'application/octet-stream';
}
