import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { loadCatalogue } from '../../shared/core/catalogue/load';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { formatErrorReport, MAX_SUBMISSION_BYTES, parseSubmissionFile } from '../../shared/core/submission/parse';
import type { LocalPipeline } from '../../shared/local/local-pipeline';
import type { S3EventRecordLike } from '../../shared/local/s3-event-delivery';
import { IngestDeps, IngestOutcome, ingestObject } from '../../shared/usecases/ingest-object';
import type { ObjectStore, ObjectVersionRef, SubmissionRepository } from '../../shared/usecases/ports';
import { startPipeline, submissionFile } from './helpers';

/**
 * Issue 14: ingest crashes after each of its storage writes in turn (rows,
 * pointer, latest-upload record, audit entry, version record, error report)
 * and the notification is delivered again. The table's final state, the
 * outcome, the latest-upload record and the audit must be those of a run
 * that never crashed — for an accepted, a rejected, a superseded and a
 * duplicate upload, and for an accepted upload after a rejected one (the
 * case that used to end "superseded by itself").
 *
 * The crash points are not listed by hand: an uncrashed run records every
 * write it makes, and the test crashes after each one of them. The last
 * write marks the version processed; a crash after it leaves nothing undone,
 * so its redelivery must equal an uncrashed run delivered twice.
 */
let pipeline: LocalPipeline;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ pipeline, cleanup } = await startPipeline());
});
afterAll(async () => cleanup());

const YEAR = 2021;
const county = loadCounty(countyDirInRepo('lingshou'));
const catalogue = loadCatalogue();
const objects = new S3ObjectStore(createS3Client());
const documents = createDocumentClient();
/** A fixed clock: both runs stamp the same processing times, so their states compare exactly. */
const deps = (repo: SubmissionRepository, store: ObjectStore = objects): IngestDeps => ({
  county,
  catalogue,
  objects: store,
  repo,
  parse: parseSubmissionFile,
  formatErrorReport,
  maxBytes: MAX_SUBMISSION_BYTES,
  now: () => new Date('2022-01-08T02:00:00.000Z'),
});

class Crash extends Error {}
const REPO_WRITES = new Set(['writeSubmission', 'moveCurrent', 'putLatest', 'putVersion', 'appendAudit', 'deleteSubmission']);

/** Wraps the repository and object store: logs each write, and throws Crash right after write number `crashAfter` completes. */
function instrumented(crashAfter?: number): { repo: SubmissionRepository; store: ObjectStore; writes: string[] } {
  const writes: string[] = [];
  const wrap = <T extends object>(target: T, isWrite: (name: string) => boolean, label: string): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const value = Reflect.get(t, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const name = String(prop);
        if (!isWrite(name)) return value.bind(t);
        return async (...args: unknown[]) => {
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(t, args);
          writes.push(`${label}.${name}`);
          if (writes.length === crashAfter) throw new Crash(`crash after ${label}.${name}`);
          return result;
        };
      },
    });
  return { repo: wrap(pipeline.repo, (n) => REPO_WRITES.has(n), 'repo'), store: wrap(objects, (n) => n === 'put', 'objects'), writes };
}

async function tableState(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await documents.send(new ScanCommand({ TableName: pipeline.names.table, FilterExpression: '#y = :y', ExpressionAttributeNames: { '#y': 'year' }, ExpressionAttributeValues: { ':y': YEAR }, ExclusiveStartKey }));
    items.push(...(out.Items ?? []));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}

const refOf = (r: S3EventRecordLike): ObjectVersionRef => ({ bucket: r.s3.bucket.name, key: r.s3.object.key, eTag: r.s3.object.eTag, sequencer: r.s3.object.sequencer, versionId: r.s3.object.versionId, eventTime: r.eventTime });
const at = (record: S3EventRecordLike, iso: string): S3EventRecordLike => ({ ...record, eventTime: iso });

interface Scenario {
  /** Deliveries processed before the one under test, uncrashed. */
  before: ObjectVersionRef[];
  /** The delivery that crashes, then is delivered again. */
  last: ObjectVersionRef;
  expected: IngestOutcome['kind'];
}

const scenarios: [string, () => Promise<Scenario>][] = [
  ['accepted', async () => {
    const v1 = await pipeline.put({ year: YEAR, unitId: 'market_regulation', fileName: '报送.json', bytes: submissionFile('市场监管局', { random_inspections: 5 }) });
    return { before: [], last: refOf(at(v1, '2022-01-05T01:00:00.000Z')), expected: 'accepted' };
  }],
  ['rejected', async () => {
    const v1 = await pipeline.put({ year: YEAR, unitId: 'education_bureau', fileName: '报送.json', bytes: submissionFile('教育局', { school_law_lectures: '很多' }) });
    return { before: [], last: refOf(at(v1, '2022-01-05T01:00:00.000Z')), expected: 'rejected' };
  }],
  ['accepted after a rejected version', async () => {
    const v1 = await pipeline.put({ year: YEAR, unitId: 'civil_affairs', fileName: '第一版.json', bytes: submissionFile('民政局', { legal_advisers_engaged: '若干' }) });
    const v2 = await pipeline.put({ year: YEAR, unitId: 'civil_affairs', fileName: '第二版.json', bytes: submissionFile('民政局', { legal_advisers_engaged: 4 }) });
    return { before: [refOf(at(v1, '2022-01-05T01:00:00.000Z'))], last: refOf(at(v2, '2022-01-06T01:00:00.000Z')), expected: 'accepted' };
  }],
  ['superseded', async () => {
    const older = await pipeline.put({ year: YEAR, unitId: 'health_commission', fileName: '第一版.json', bytes: submissionFile('卫健局', { legal_advisers_engaged: 3 }) });
    const newer = await pipeline.put({ year: YEAR, unitId: 'health_commission', fileName: '第二版.json', bytes: submissionFile('卫健局', { legal_advisers_engaged: 7 }) });
    return { before: [refOf(at(newer, '2022-01-06T01:00:00.000Z'))], last: refOf(at(older, '2022-01-05T01:00:00.000Z')), expected: 'superseded' };
  }],
  ['duplicate', async () => {
    const v1 = await pipeline.put({ year: YEAR, unitId: 'petition_bureau', fileName: '报送.json', bytes: submissionFile('信访局', { legal_advisers_engaged: 2 }) });
    const ref = refOf(at(v1, '2022-01-05T01:00:00.000Z'));
    return { before: [ref], last: ref, expected: 'duplicate' };
  }],
];

describe.each(scenarios)('a crash while ingesting (%s), then a redelivery', (_label, make) => {
  it('ends in the same table state, outcome, latest-upload record and audit as a run without a crash', async () => {
    const scenario = await make();
    const run = async (crashAfter?: number) => {
      await pipeline.repo.wipeYear(YEAR);
      for (const ref of scenario.before) await ingestObject(ref, deps(pipeline.repo));
      const probe = instrumented(crashAfter);
      let crashed = false;
      try {
        await ingestObject(scenario.last, deps(probe.repo, probe.store));
      } catch (err) {
        if (!(err instanceof Crash)) throw err;
        crashed = true;
      }
      const outcome = crashed ? await ingestObject(scenario.last, deps(pipeline.repo)) : undefined;
      return { writes: probe.writes, crashed, outcome, state: await tableState() };
    };

    const clean = await run();
    expect(clean.crashed).toBe(false);
    // The clean run's outcome (the probe's run returned it inside run(); repeat it plainly to have it).
    const reference = async (deliveries: number) => {
      await pipeline.repo.wipeYear(YEAR);
      for (const ref of scenario.before) await ingestObject(ref, deps(pipeline.repo));
      let outcome: IngestOutcome | undefined;
      for (let i = 0; i < deliveries; i++) outcome = await ingestObject(scenario.last, deps(pipeline.repo));
      return { outcome: outcome!, state: await tableState() };
    };
    const once = await reference(1);
    expect(once.outcome.kind).toBe(scenario.expected);
    expect(once.state).toEqual(clean.state);
    // A crash after the last write (the version record, which marks the version
    // processed) comes after the work is done: the redelivery is an ordinary
    // duplicate, as if SQS had delivered twice.
    const twice = await reference(2);
    expect(twice.outcome.kind).toBe('duplicate');
    expect(clean.writes.length).toBeGreaterThan(0);

    for (let crashAfter = 1; crashAfter <= clean.writes.length; crashAfter++) {
      const crashed = await run(crashAfter);
      const where = clean.writes[crashAfter - 1];
      const expected = crashAfter === clean.writes.length ? twice : once;
      expect({ where, crashed: crashed.crashed }).toEqual({ where, crashed: true });
      expect({ where, outcome: crashed.outcome }).toEqual({ where, outcome: expected.outcome });
      expect({ where, state: crashed.state }).toEqual({ where, state: expected.state });
    }
  });
});
