import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients';
import { DynamoRowStream, DynamoSubmissionRepository, ROW_QUEUE_CAPACITY } from '../../shared/adapters/dynamo-submission-repository';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { formatErrorReport, MAX_SUBMISSION_BYTES, parseSubmissionFile } from '../../shared/core/submission/parse';
import type { ParseOutcome } from '../../shared/core/submission/normalized';
import { versionToken } from '../../shared/core/version-order';
import type { LocalPipeline } from '../../shared/local/local-pipeline';
import type { S3EventRecordLike } from '../../shared/local/s3-event-delivery';
import { TransientError } from '../../shared/core/errors';
import { IngestDeps, ingestObject, ParseInput } from '../../shared/usecases/ingest-object';
import type { ObjectVersionRef, SubmissionRepository } from '../../shared/usecases/ports';
import { fillWorkbook, templateFor } from '../fixtures/submissions/make-fixtures';
import { TEMPLATE_INDICATOR_COLUMN } from '../../shared/core/submission/layout';
import { startPipeline } from './helpers';

/**
 * Issue 16, ingest end to end: an .xlsx ledger's rows stream from the parser
 * into BatchWriteItem while the file is still being read, through a bounded
 * queue. What is observed: rows in the table before parsing ends (a parse
 * spy that counts them when the parser returns, before ingest writes
 * anything itself), a file rejected after rows were written leaving no rows
 * and no pointer, throttling mid-stream retried, and the queue's high-water
 * mark. No timing: the back-pressure bound decides how many rows must be in.
 */
let pipeline: LocalPipeline;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ pipeline, cleanup } = await startPipeline());
});
afterAll(async () => cleanup());

const YEAR = 2021;
const UNIT = 'justice_bureau';
const ROWS = 3_000;
const county = loadCounty(countyDirInRepo('lingshou'));
const catalogue = county.catalogue;
const documents = createDocumentClient();

const refOf = (r: S3EventRecordLike): ObjectVersionRef => ({ bucket: r.s3.bucket.name, key: r.s3.object.key, eTag: r.s3.object.eTag, sequencer: r.s3.object.sequencer, versionId: r.s3.object.versionId, eventTime: r.eventTime });
const tokenOf = (r: S3EventRecordLike) => versionToken(r.s3.object.versionId, r.s3.object.eTag, r.s3.object.sequencer);

/** The justice bureau's template with `rows` lawsuits; `duplicateLast` repeats the first case number in the last row (an error found at the very end). */
async function lawsuitWorkbook(rows: number, options: { duplicateLast?: boolean } = {}): Promise<Buffer> {
  return fillWorkbook(await templateFor(UNIT), (wb) => {
    const indicators = wb.getWorksheet('指标')!;
    indicators.eachRow((row, n) => {
      if (n === 1) return;
      const id = String(row.getCell(TEMPLATE_INDICATOR_COLUMN.code).value);
      // lawsuits_received 2 against thousands of rows: a LEDGER_SUMMARY_DISAGREE warning, worked out from the streamed tally.
      const values: Record<string, number> = { legality_review_meeting_items: 125, enforcement_staff_trained: 900, civil_code_booklets: 3000, lawsuits_received: 2 };
      if (id in values) row.getCell(TEMPLATE_INDICATOR_COLUMN.value).value = values[id]!;
    });
    const sheet = wb.getWorksheet('行政诉讼案件台账')!;
    for (let i = 1; i <= rows; i++) {
      const n = options.duplicateLast && i === rows ? 1 : i;
      sheet.getRow(i + 1).values = [`(2021)冀0126行初${n}号`, new Date(Date.UTC(2021, i % 12, 1 + (i % 28))), '灵寿县自然资源和规划局', i % 3 === 0 ? '审理中' : '已结案', i % 2 === 0 ? '是' : '否', i % 3 === 0 ? null : '胜诉'];
    }
  });
}

let accepted: Buffer;
let rejected: Buffer;
beforeAll(async () => {
  [accepted, rejected] = await Promise.all([lawsuitWorkbook(ROWS), lawsuitWorkbook(ROWS, { duplicateLast: true })]);
}, 60_000);

const parseWhole = (bytes: Buffer): Promise<ParseOutcome> => parseSubmissionFile({ bytes, fileName: '司法局.xlsx', county, catalogue, year: YEAR, unitId: UNIT });

async function storedLedgerRows(token: string): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await documents.send(
      new QueryCommand({ TableName: pipeline.names.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :led)', ExpressionAttributeValues: { ':pk': `DATA#${YEAR}#${UNIT}#${token}`, ':led': 'LED#' }, Select: 'COUNT', ExclusiveStartKey }),
    );
    count += out.Count ?? 0;
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

async function storedItems(token: string): Promise<number> {
  const out = await documents.send(new QueryCommand({ TableName: pipeline.names.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `DATA#${YEAR}#${UNIT}#${token}` }, Select: 'COUNT' }));
  return out.Count ?? 0;
}

/** The repository, keeping every row stream it opens so a test can read its queue. */
class WatchedRepository extends DynamoSubmissionRepository {
  readonly streams: DynamoRowStream[] = [];
  override openRowStream(year: number, unitId: string, token: string): DynamoRowStream {
    const stream = super.openRowStream(year, unitId, token);
    this.streams.push(stream);
    return stream;
  }
}

/** Ingest with the real parser, counting the ledger rows already in the table at the moment the parser returns. */
function depsWithSpy(repo: SubmissionRepository, token: string, seen: { atParseEnd?: number }): IngestDeps {
  return {
    county,
    catalogue,
    objects: new S3ObjectStore(createS3Client()),
    repo,
    parse: async (input: ParseInput) => {
      const outcome = await parseSubmissionFile(input);
      seen.atParseEnd = await storedLedgerRows(token);
      return outcome;
    },
    formatErrorReport,
    maxBytes: MAX_SUBMISSION_BYTES,
    now: () => new Date(),
  };
}

/** Rows that may not be in the table yet when the parser returns: the queue's bound plus the batches in flight (8 writers × 25). */
const NOT_YET_WRITTEN_AT_MOST = ROW_QUEUE_CAPACITY + 8 * 25;

describe('an .xlsx ledger streams into DynamoDB while it is parsed', () => {
  it('writes rows before parsing ends, keeps the queue within its bound, and stores exactly what parse-then-write stored', async () => {
    const record = await pipeline.put({ year: YEAR, unitId: UNIT, fileName: '司法局.xlsx', bytes: accepted });
    const token = tokenOf(record);
    const repo = new WatchedRepository(documents, pipeline.names.table);
    const seen: { atParseEnd?: number } = {};

    const outcome = await ingestObject(refOf(record), depsWithSpy(repo, token, seen));

    const whole = await parseWhole(accepted);
    if (!whole.ok) throw new Error('the fixture must be valid');
    const indicators = whole.submission.indicators.length;
    const narratives = whole.submission.narratives.length;
    expect(outcome).toEqual({ kind: 'accepted', unitId: UNIT, year: YEAR, rows: ROWS + indicators + narratives, warnings: whole.submission.warnings.length });
    expect(whole.submission.warnings.map((w) => w.code)).toContain('LEDGER_SUMMARY_DISAGREE');
    // Parse-then-write would have 0 here.
    expect(seen.atParseEnd).toBeGreaterThanOrEqual(ROWS - NOT_YET_WRITTEN_AT_MOST);

    expect(repo.streams).toHaveLength(1);
    const stream = repo.streams[0]!;
    expect(stream.taken).toBe(ROWS);
    expect(stream.queue.highWater).toBeGreaterThan(0);
    expect(stream.queue.highWater).toBeLessThanOrEqual(ROW_QUEUE_CAPACITY);

    // What readers get is what the whole-file parse gives (indicators come back in key order, as they always have).
    const byId = (s: { indicators: { indicatorId: string }[] }) => ({ ...s, indicators: [...s.indicators].sort((a, b) => a.indicatorId.localeCompare(b.indicatorId)) });
    const current = await pipeline.repo.getCurrent(YEAR, UNIT);
    expect(current).toMatchObject({ versionToken: token, rowCount: outcome.kind === 'accepted' ? outcome.rows : -1 });
    const stored = await pipeline.repo.readSubmission(YEAR, UNIT, token);
    expect(byId(stored)).toEqual(byId(whole.submission));
    expect(stored.ledgers.lawsuit_cases).toHaveLength(ROWS);
  }, 120_000);

  it('deletes the rows of a file found bad after they were written, and never moves the pointer to it', async () => {
    const before = await pipeline.repo.getCurrent(YEAR, UNIT);
    const record = await pipeline.put({ year: YEAR, unitId: UNIT, fileName: '司法局.xlsx', bytes: rejected });
    const token = tokenOf(record);
    const seen: { atParseEnd?: number } = {};

    const outcome = await ingestObject(refOf(record), depsWithSpy(new DynamoSubmissionRepository(documents, pipeline.names.table), token, seen));

    const whole = await parseWhole(rejected);
    expect(whole.ok).toBe(false);
    expect(outcome).toMatchObject({ kind: 'rejected', problems: whole.ok ? [] : whole.problems });
    expect(outcome.kind === 'rejected' && outcome.problems.map((p) => p.code)).toContain('DUPLICATE_LEDGER_KEY');
    // Rows were in the table when the last row turned out bad…
    expect(seen.atParseEnd).toBeGreaterThan(0);
    // …and are gone: no item of the version, the pointer still on the version before.
    expect(await storedItems(token)).toBe(0);
    expect(await pipeline.repo.getCurrent(YEAR, UNIT)).toEqual(before);
    expect(await pipeline.repo.getVersion(record.s3.object.key, token)).toMatchObject({ status: 'rejected' });
  }, 120_000);

  it('retries throttled and unprocessed batches mid-stream and ends with every row stored', async () => {
    const faults = { throttled: 0, unprocessed: 0 };
    const { client, restore } = faultyClient(async (call, input, real) => {
      // Well inside the stream (3,000 rows are 120 batches): one refusal, one half-written batch.
      if (call === 20) {
        faults.throttled++;
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ProvisionedThroughputExceededException' });
      }
      if (call === 40) {
        faults.unprocessed++;
        const [table, requests] = Object.entries(input.RequestItems!)[0]! as [string, unknown[]];
        const half = Math.floor(requests.length / 2);
        await real.send(new BatchWriteCommand({ RequestItems: { [table]: requests.slice(0, half) as never } }));
        return { UnprocessedItems: { [table]: requests.slice(half) } };
      }
      return real.send(new BatchWriteCommand(input));
    });
    try {
      const record = await pipeline.put({ year: YEAR, unitId: UNIT, fileName: '司法局.xlsx', bytes: accepted });
      const token = tokenOf(record);
      const repo = new DynamoSubmissionRepository(client, pipeline.names.table, { sleep: async () => undefined });

      const outcome = await ingestObject(refOf(record), depsWithSpy(repo, token, {}));

      expect(faults).toEqual({ throttled: 1, unprocessed: 1 });
      expect(outcome).toMatchObject({ kind: 'accepted' });
      expect(await storedLedgerRows(token)).toBe(ROWS);
      expect(await pipeline.repo.getCurrent(YEAR, UNIT)).toMatchObject({ versionToken: token });
    } finally {
      restore();
    }
  }, 120_000);

  it('gives the record back for a retry when throttling mid-stream does not stop; the redelivery stores every row once', async () => {
    const before = await pipeline.repo.getCurrent(YEAR, UNIT);
    const record = await pipeline.put({ year: YEAR, unitId: UNIT, fileName: '司法局.xlsx', bytes: accepted });
    const token = tokenOf(record);
    const { client, restore } = faultyClient(async (call, input, real) => {
      if (call > 30) throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      return real.send(new BatchWriteCommand(input));
    });
    try {
      const repo = new DynamoSubmissionRepository(client, pipeline.names.table, { maxAttempts: 3, sleep: async () => undefined });
      await expect(ingestObject(refOf(record), depsWithSpy(repo, token, {}))).rejects.toThrow(TransientError);
    } finally {
      restore();
    }
    // As after a crash: some rows in the version's partition, no pointer to them, the version not marked processed.
    expect(await storedLedgerRows(token)).toBeGreaterThan(0);
    expect(await pipeline.repo.getCurrent(YEAR, UNIT)).toEqual(before);
    expect(await pipeline.repo.getVersion(record.s3.object.key, token)).toBeUndefined();

    const outcome = await ingestObject(refOf(record), depsWithSpy(pipeline.repo, token, {}));
    expect(outcome).toMatchObject({ kind: 'accepted' });
    expect(await storedLedgerRows(token)).toBe(ROWS);
    expect(await pipeline.repo.getCurrent(YEAR, UNIT)).toMatchObject({ versionToken: token });
  }, 120_000);

  it('rejects the file, as permanent, when DynamoDB refuses a batch mid-stream, and leaves none of its rows', async () => {
    const before = await pipeline.repo.getCurrent(YEAR, UNIT);
    const record = await pipeline.put({ year: YEAR, unitId: UNIT, fileName: '司法局.xlsx', bytes: accepted });
    const token = tokenOf(record);
    const { client, restore } = faultyClient(async (call, input, real) => {
      if (call === 25) throw Object.assign(new Error('Item size has exceeded the maximum allowed size'), { name: 'ValidationException' });
      return real.send(new BatchWriteCommand(input));
    });
    let outcome;
    try {
      outcome = await ingestObject(refOf(record), depsWithSpy(new DynamoSubmissionRepository(client, pipeline.names.table), token, {}));
    } finally {
      restore();
    }
    expect(outcome).toMatchObject({ kind: 'rejected', permanentFailure: expect.stringContaining('ValidationException') });
    expect(outcome.kind === 'rejected' && outcome.problems.map((p) => p.code)).toEqual(['STORAGE_REJECTED']);
    expect(await storedItems(token)).toBe(0);
    expect(await pipeline.repo.getCurrent(YEAR, UNIT)).toEqual(before);
  }, 120_000);
});

type BatchInput = ConstructorParameters<typeof BatchWriteCommand>[0];

/** A document client whose BatchWriteItem calls go through `batch` (numbered from 1); every other command reaches dynalite unchanged. */
function faultyClient(batch: (call: number, input: BatchInput, real: ReturnType<typeof createDocumentClient>) => Promise<unknown>) {
  const real = createDocumentClient();
  const client = createDocumentClient();
  const mock = mockClient(client);
  mock.on(GetCommand).callsFake((input) => real.send(new GetCommand(input)));
  mock.on(QueryCommand).callsFake((input) => real.send(new QueryCommand(input)));
  mock.on(PutCommand).callsFake((input) => real.send(new PutCommand(input)));
  let calls = 0;
  mock.on(BatchWriteCommand).callsFake((input: BatchInput) => batch(++calls, input, real));
  return { client, restore: () => mock.restore() };
}
