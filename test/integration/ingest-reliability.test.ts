import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients';
import { batchWrite } from '../../shared/adapters/batch-writer';
import { DynamoSubmissionRepository } from '../../shared/adapters/dynamo-submission-repository';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { loadCatalogue } from '../../shared/core/catalogue/load';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { StorageRejectedError, TransientError } from '../../shared/core/errors';
import { formatErrorReport, MAX_SUBMISSION_BYTES, parseSubmissionFile } from '../../shared/core/submission/parse';
import type { LocalPipeline } from '../../shared/local/local-pipeline';
import type { S3EventRecordLike } from '../../shared/local/s3-event-delivery';
import { decodeS3EventKey } from '../../shared/core/s3-event-key';
import { versionToken } from '../../shared/core/version-order';
import { IngestDeps, ingestObject } from '../../shared/usecases/ingest-object';
import { replayYear } from '../../shared/usecases/replay-year';
import type { CurrentPointer, ObjectVersionRef } from '../../shared/usecases/ports';
import { startPipeline, submissionFile } from './helpers';

/**
 * Ingest under the faults S3, SQS and DynamoDB really produce: repeated and
 * late notifications, crashes between steps, throttling, unreadable objects.
 * Each test checks the table's final state and the figure the report shows.
 */
let pipeline: LocalPipeline;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ pipeline, cleanup } = await startPipeline());
});
afterAll(async () => cleanup());

const county = loadCounty(countyDirInRepo('lingshou'));
const catalogue = county.catalogue;
const deps = (repo = pipeline.repo): IngestDeps => ({
  county,
  catalogue,
  objects: new S3ObjectStore(createS3Client()),
  repo,
  parse: parseSubmissionFile,
  formatErrorReport,
  maxBytes: MAX_SUBMISSION_BYTES,
  now: () => new Date(),
});
const refOf = (r: S3EventRecordLike): ObjectVersionRef => ({
  bucket: r.s3.bucket.name,
  key: r.s3.object.key,
  eTag: r.s3.object.eTag,
  sequencer: r.s3.object.sequencer,
  versionId: r.s3.object.versionId,
  eventTime: r.eventTime,
});
const versionTokenOf = (r: S3EventRecordLike) => versionToken(r.s3.object.versionId, r.s3.object.eTag, r.s3.object.sequencer);
const at = (record: S3EventRecordLike, iso: string): S3EventRecordLike => ({ ...record, eventTime: iso });

/** Collects the JSON log lines the handler's Powertools logger writes (errors go to stderr). */
function captureStdout(): { stop: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const collect = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(collect), jest.spyOn(process.stderr, 'write').mockImplementation(collect)];
  return {
    stop: () => {
      for (const spy of spies) spy.mockRestore();
      return lines.flatMap((l) => l.split('\n')).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    },
  };
}

async function figure(indicatorId: string): Promise<number | null | undefined> {
  const response = await pipeline.aggregate({ trigger: 'manual', county: 'lingshou', year: 2021 });
  const report = await readReport(response.reportsBucket, response.latestPrefix);
  return report.figures.find((f: { indicatorId: string }) => f.indicatorId === indicatorId)?.value;
}

async function readReport(bucket: string, prefix: string) {
  const s3 = new S3Client({ forcePathStyle: true });
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}report.json` }));
  const text = await out.Body!.transformToString();
  s3.destroy();
  return JSON.parse(text);
}

describe('out-of-order delivery', () => {
  it('keeps the newer upload current when the older one is processed last', async () => {
    const older = at(await pipeline.put({ year: 2021, unitId: 'market_regulation', fileName: '第一版.json', bytes: submissionFile('市场监管局', { random_inspections: 5 }) }), '2022-01-05T01:00:00.000Z');
    const newer = at(await pipeline.put({ year: 2021, unitId: 'market_regulation', fileName: '第二版.json', bytes: submissionFile('市场监管局', { random_inspections: 8 }) }), '2022-01-06T01:00:00.000Z');

    expect((await pipeline.deliver([newer])).batchItemFailures).toEqual([]);
    expect((await pipeline.deliver([older])).batchItemFailures).toEqual([]);

    expect((await pipeline.repo.getCurrent(2021, 'market_regulation'))?.s3Key).toBe('submissions/2021/market_regulation/第二版.json');
    expect((await pipeline.outcomeOf(older)).record?.status).toBe('superseded');
    expect(await figure('random_inspections')).toBe(8);
  });
});

describe('the same notification twice in one batch', () => {
  it('ingests the version once; a delivery that found it in progress is retried and then counted as a duplicate', async () => {
    const record = await pipeline.put({ year: 2021, unitId: 'petition_bureau', fileName: 'petition.json', bytes: submissionFile('信访局', { legal_advisers_engaged: 2 }) });
    const first = await pipeline.deliver([record, record]);
    expect(first.batchItemFailures.length).toBeLessThanOrEqual(1);
    const retry = await pipeline.deliver(first.batchItemFailures.map(() => record));
    expect(retry.batchItemFailures).toEqual([]);
    const outcomes = (await pipeline.repo.listAudit(2021)).filter((a) => a.unitId === 'petition_bureau').map((a) => a.outcome).sort();
    expect(outcomes).toEqual(['accepted', 'duplicate']);
  });
});

describe('a crash between writing rows and moving the pointer', () => {
  class CrashOnce extends DynamoSubmissionRepository {
    crashed = false;
    override async moveCurrent(pointer: CurrentPointer): Promise<boolean> {
      if (!this.crashed) {
        this.crashed = true;
        throw new Error('Lambda timed out');
      }
      return super.moveCurrent(pointer);
    }
  }

  it('leaves readers on the previous state, and a redelivery completes the submission exactly once', async () => {
    const record = await pipeline.put({ year: 2021, unitId: 'approval_bureau', fileName: 'approval.json', bytes: submissionFile('行政审批局', { services_fully_online: 517, instant_cases_handled: 404 }) });
    const crashing = new CrashOnce(createDocumentClient(), pipeline.names.table);
    const ref = { ...refOf(record), key: decodeS3EventKey(record.s3.object.key) };
    await expect(ingestObject(ref, deps(crashing))).rejects.toThrow('Lambda timed out');

    expect(await pipeline.repo.getCurrent(2021, 'approval_bureau')).toBeUndefined();
    expect(await figure('services_fully_online')).toBeNull();

    expect((await pipeline.deliver([record])).batchItemFailures).toEqual([]);
    const current = await pipeline.repo.getCurrent(2021, 'approval_bureau');
    const stored = await pipeline.repo.readSubmission(2021, 'approval_bureau', current!.versionToken);
    expect(stored.indicators.map((i) => [i.indicatorId, i.value]).sort()).toEqual([['instant_cases_handled', 404], ['services_fully_online', 517]]);
    expect(await figure('services_fully_online')).toBe(517);
  });
});

describe('DynamoDB throttling', () => {
  const items = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { pk: `THROTTLE#${prefix}`, sk: String(i).padStart(4, '0'), year: 1999 } } }));

  it('retries UnprocessedItems and ProvisionedThroughputExceededException with backoff until every item is written', async () => {
    const real = createDocumentClient();
    const flaky = createDocumentClient();
    const mock = mockClient(flaky);
    const requests = items(60, 'retry');
    let calls = 0;
    mock.on(BatchWriteCommand).callsFake(async (input) => {
      calls++;
      if (calls === 1) return { UnprocessedItems: input.RequestItems };
      if (calls === 2) throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ProvisionedThroughputExceededException' });
      return real.send(new BatchWriteCommand(input));
    });
    const delays: number[] = [];
    await batchWrite(flaky, pipeline.names.table, requests, { concurrency: 1, sleep: async (ms) => void delays.push(ms) });

    const stored = await real.send(new QueryCommand({ TableName: pipeline.names.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'THROTTLE#retry' } }));
    expect(stored.Count).toBe(60);
    expect(delays).toHaveLength(2);
    mock.restore();
  });

  it('gives the record back to the queue (TransientError) when throttling does not stop, and leaves no current pointer', async () => {
    const real = createDocumentClient();
    const throttled = createDocumentClient();
    const mock = mockClient(throttled);
    mock.on(GetCommand).callsFake((input) => real.send(new GetCommand(input)));
    mock.on(QueryCommand).callsFake((input) => real.send(new QueryCommand(input)));
    mock.on(BatchWriteCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    const repo = new DynamoSubmissionRepository(throttled, pipeline.names.table, { maxAttempts: 3, sleep: async () => undefined });
    const record = await pipeline.put({ year: 2021, unitId: 'education_bureau', fileName: 'edu.json', bytes: submissionFile('教育局', { school_law_lectures: 48 }) });

    await expect(ingestObject(refOf(record), deps(repo))).rejects.toThrow(TransientError);
    expect(await pipeline.repo.getCurrent(2021, 'education_bureau')).toBeUndefined();
    expect(await pipeline.repo.getVersion(record.s3.object.key, versionTokenOf(record))).toBeUndefined();
    mock.restore();

    // SQS delivers it again once DynamoDB has capacity: nothing was lost.
    expect((await pipeline.deliver([record])).batchItemFailures).toEqual([]);
    expect(await figure('school_law_lectures')).toBe(48);
  });
});

describe('an object that cannot be read', () => {
  it('fails only its own message, every time, so SQS moves it to the DLQ while the rest of the batch is ingested', async () => {
    const poison = await pipeline.put({ year: 2021, unitId: 'health_commission', fileName: 'gone.json', bytes: submissionFile('卫健局', { legal_advisers_engaged: 3 }) });
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new DeleteObjectCommand({ Bucket: pipeline.names.submissionsBucket, Key: poison.s3.object.key }));
    s3.destroy();
    const good = await pipeline.put({ year: 2021, unitId: 'civil_affairs', fileName: 'civil.json', bytes: submissionFile('民政局', { legal_advisers_engaged: 4 }) });

    const logged = captureStdout();
    for (let receive = 1; receive <= 3; receive++) {
      const response = await pipeline.deliver(receive === 1 ? [poison, good] : [poison]);
      expect(response.batchItemFailures).toHaveLength(1);
    }
    // Each failure is logged with the object's key and the error, not collected silently.
    const failures = logged.stop().filter((l) => l.message === 'record failed; returned to the queue for retry');
    expect(failures).toHaveLength(3);
    expect(failures[0]).toEqual(expect.objectContaining({ level: 'ERROR', objectKeys: [poison.s3.object.key], error: expect.objectContaining({ name: expect.any(String), message: expect.any(String) }) }));
    expect((await pipeline.outcomeOf(good)).record?.status).toBe('accepted');
    expect((await pipeline.outcomeOf(poison)).record).toBeUndefined();
    expect(await pipeline.repo.getCurrent(2021, 'health_commission')).toBeUndefined();
  });
});

describe('replay', () => {
  it('rebuilds the same current submissions, outcomes and figures from the raw uploads alone', async () => {
    const rejected = await pipeline.put({ year: 2021, unitId: 'finance_bureau', fileName: 'finance.json', bytes: submissionFile('财政局', { legal_advisers_engaged: '很多' }) });
    await pipeline.deliver([rejected]);

    const before = await snapshot();
    expect(before.current.length).toBeGreaterThanOrEqual(4);
    expect(before.latest).toContainEqual(expect.objectContaining({ unitId: 'finance_bureau', status: 'rejected' }));

    expect(await pipeline.repo.wipeYear(2021)).toBeGreaterThan(0);
    expect(await pipeline.repo.listCurrent(2021)).toEqual([]);

    const result = await replayYear(2021, pipeline.names.submissionsBucket, deps());
    expect(result.versions).toBeGreaterThanOrEqual(before.current.length);
    expect(await snapshot()).toEqual(before);
  });

  /** The state a reader sees, without processing times or version tokens (an unversioned emulator bucket cannot reproduce those). */
  async function snapshot() {
    const current = await Promise.all(
      (await pipeline.repo.listCurrent(2021)).map(async (p) => ({
        unitId: p.unitId,
        s3Key: p.s3Key,
        rowCount: p.rowCount,
        submission: await pipeline.repo.readSubmission(2021, p.unitId, p.versionToken),
      })),
    );
    const latest = (await pipeline.repo.listLatest(2021)).map((v) => ({ unitId: v.unitId, s3Key: v.s3Key, status: v.status, problemCount: v.problemCount }));
    const response = await pipeline.aggregate({ trigger: 'manual', county: 'lingshou', year: 2021 });
    const report = await readReport(response.reportsBucket, response.latestPrefix);
    const figures = report.figures.map((f: { indicatorId: string; value: number | null; approximate: boolean }) => [f.indicatorId, f.value, f.approximate]);
    return { current, latest, figures, completeness: report.completeness.units.map((u: { unitId: string; status: string }) => [u.unitId, u.status]) };
  }
});

describe('storage refusing what validation accepted', () => {
  it('rejects the file with a report instead of retrying it, and leaves no rows behind (ValidationException)', async () => {
    const real = createDocumentClient();
    const refusing = createDocumentClient();
    const mock = mockClient(refusing);
    mock.on(GetCommand).callsFake((input) => real.send(new GetCommand(input)));
    mock.on(PutCommand).callsFake((input) => real.send(new PutCommand(input)));
    mock.on(QueryCommand).callsFake((input) => real.send(new QueryCommand(input)));
    let batches = 0;
    mock.on(BatchWriteCommand).callsFake((input) => {
      // The first batch is written, the second refused: the written rows must be removed again.
      if (++batches === 2) throw Object.assign(new Error('Item size has exceeded the maximum allowed size'), { name: 'ValidationException' });
      return real.send(new BatchWriteCommand(input));
    });
    const repo = new DynamoSubmissionRepository(refusing, pipeline.names.table, { concurrency: 1 });
    const staff = Array.from({ length: 60 }, (_, i) => ({ 姓名: `执法人员${i}`, 执法证号: `13012600${String(i).padStart(4, '0')}`, 年度培训课时: 40 }));
    const record = await pipeline.put({ year: 2021, unitId: 'natural_resources', fileName: 'staff.json', bytes: submissionFile('自然资源和规划局', {}, { ledgers: { enforcement_staff: staff } }) });

    const outcome = await ingestObject(refOf(record), deps(repo));
    mock.restore();

    expect(outcome).toEqual(expect.objectContaining({ kind: 'rejected', permanentFailure: expect.stringContaining('ValidationException') }));
    const seen = await pipeline.outcomeOf(record);
    expect(seen.record).toEqual(expect.objectContaining({ status: 'rejected' }));
    expect(seen.errorReport).toContain('文件内容无法保存');
    const rows = await real.send(new QueryCommand({ TableName: pipeline.names.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `DATA#2021#natural_resources#${versionTokenOf(record)}` } }));
    expect(rows.Count).toBe(0);
    expect(await pipeline.repo.getCurrent(2021, 'natural_resources')).toBeUndefined();
  });

  it('refuses, as permanent, a number the marshaller cannot write and an item over 400 KB in UTF-8 bytes that dynalite would accept', async () => {
    const base = { schemaVersion: 1 as const, county: 'lingshou', year: 2021, unitId: 'justice_bureau', format: 'json' as const, ledgers: {}, warnings: [] };
    await expect(pipeline.repo.writeSubmission(2021, 'justice_bureau', 'marshal', { ...base, indicators: [{ indicatorId: 'x', value: 1e20, approximate: false, source: {} }], narratives: [] })).rejects.toThrow(StorageRejectedError);
    // 150,000 CJK characters: 150 K characters (under dynalite's count) but 450 KB in UTF-8.
    const huge = { section: 'decision_making', text: '法'.repeat(150_000) };
    await expect(pipeline.repo.writeSubmission(2021, 'justice_bureau', 'bytes', { ...base, indicators: [], narratives: [huge] })).rejects.toThrow(StorageRejectedError);
  });
});
