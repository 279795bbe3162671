import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ledgerFieldsUsed } from '../../shared/core/report/ledger-fields';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients';
import { DynamoSubmissionRepository } from '../../shared/adapters/dynamo-submission-repository';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { TABLE_DESIGN, physicalNames } from '../../shared/storage/layout';
import type { LoadedCounty } from '../../shared/core/county/load';
import type { Report } from '../../shared/core/report/schema';
import { aggregateYear } from '../../shared/usecases/aggregate-year';
import { BENCH_COUNTY, BENCH_YEAR } from '../data';
import type { BenchAws } from '../local-aws';
import { alternate, median, pairedRatio, round1, round3, timeMs } from '../measure';
import { normalizedStaffSubmission } from '../normalized';
import { Prng } from '../prng';
import type { BenchRow } from '../report';
import { benchContext } from './parse';

/**
 * aggregate: a county-year of 35 units (the 15 townships and 20 enforcement
 * departments, every unit that keeps the enforcement staff ledger) holding
 * `rows` ledger rows in total, seeded straight into DynamoDB through the real
 * repository (rows, then the current pointer), then aggregateYear, which
 * reads every unit's current submission, builds the Report, renders every
 * artifact and writes them to S3 — against a bare Query of the same items.
 */
const READ_CONCURRENCY = 8;

export interface SeededYear {
  table: string;
  rows: number;
  units: number;
  /** The DATA# partitions the year's current pointers lead to. */
  partitions: string[];
}

export async function seedYear(aws: BenchAws, table: string, rows: number, seed: number, county: LoadedCounty = benchContext().county): Promise<SeededYear> {
  await aws.createTable(table);
  const units = county.config.units.filter((u) => u.groups.includes('townships') || u.groups.includes('enforcement_departments'));
  // Uneven, as real units are: weights from the seeded Prng, rounded so the total is exact.
  const rng = new Prng(seed);
  const weights = units.map(() => 0.3 + rng.next());
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((w / total) * rows));
  counts[0]! += rows - counts.reduce((a, b) => a + b, 0);

  const client = createDocumentClient();
  const repo = new DynamoSubmissionRepository(client, table);
  const partitions: string[] = [];
  try {
    for (const [i, unit] of units.entries()) {
      const token = `bench-${i}`;
      const submission = normalizedStaffSubmission(unit.id, BENCH_YEAR, counts[i]!, seed + i);
      // Certificate numbers are unique per unit; keep them unique across units too, like real ones.
      for (const row of submission.ledgers.enforcement_staff!) row.fields.certificate_no = `${String(i).padStart(2, '0')}${String(row.fields.certificate_no)}`;
      await repo.writeSubmission(BENCH_YEAR, unit.id, token, submission);
      const receivedAt = new Date(Date.UTC(BENCH_YEAR, 11, 20, 2, i)).toISOString();
      const s3Key = `submissions/${BENCH_YEAR}/${unit.id}/行政执法人员名册.xlsx`;
      const orderKey = `${receivedAt}#${String(i).padStart(4, '0')}`;
      await repo.moveCurrent({ year: BENCH_YEAR, unitId: unit.id, s3Key, versionToken: token, orderKey, receivedAt, rowCount: counts[i]!, format: 'xlsx' });
      await repo.putLatest({ year: BENCH_YEAR, unitId: unit.id, s3Key, versionToken: token, orderKey, status: 'accepted', receivedAt, processedAt: receivedAt, rowCount: counts[i]! });
      partitions.push(`DATA#${BENCH_YEAR}#${unit.id}#${token}`);
    }
  } finally {
    client.destroy();
  }
  return { table, rows, units: units.length, partitions };
}

export interface AggregateRun {
  ms: number;
  timings: Record<string, number>;
  artifacts: number;
  report: Report;
}

export async function runAggregate(aws: BenchAws, year: SeededYear): Promise<AggregateRun> {
  const { county } = benchContext();
  const names = physicalNames(BENCH_COUNTY, 'bench');
  const client = createDocumentClient();
  const s3 = createS3Client();
  try {
    let timings: Record<string, number> = {};
    let artifacts = 0;
    let report: Report | undefined;
    const ms = await timeMs(async () => {
      const result = await aggregateYear(BENCH_YEAR, {
        county,
        repo: new DynamoSubmissionRepository(client, year.table),
        objects: new S3ObjectStore(s3),
        reportsBucket: names.reportsBucket,
        now: () => new Date(),
        readConcurrency: READ_CONCURRENCY,
      });
      timings = result.timings;
      artifacts = result.artifacts.length;
      report = result.report;
      if (result.report.completeness.accepted !== year.units) {
        throw new Error(`report counts ${result.report.completeness.accepted} accepted units, ${year.units} were seeded`);
      }
    });
    return { ms, timings, artifacts, report: report! };
  } finally {
    client.destroy();
    s3.destroy();
  }
}

/**
 * The raw limit: Query every item of the year's current partitions (paged, consistent, same concurrency); nothing
 * else. With `projection`, the same Query asks for only those attributes (what aggregateYear's read asks for).
 */
export async function bareQueryYear(year: SeededYear, projection?: { expression: string; names: Record<string, string> }): Promise<number> {
  const client = createDocumentClient();
  let items = 0;
  try {
    let next = 0;
    const worker = async () => {
      while (next < year.partitions.length) {
        const pk = year.partitions[next++]!;
        let ExclusiveStartKey: Record<string, unknown> | undefined;
        do {
          const out = await client.send(
            new QueryCommand({
              TableName: year.table,
              KeyConditionExpression: '#pk = :pk',
              ExpressionAttributeNames: { '#pk': TABLE_DESIGN.partitionKey.name, ...projection?.names },
              ExpressionAttributeValues: { ':pk': pk },
              ...(projection ? { ProjectionExpression: projection.expression } : {}),
              ConsistentRead: true,
              ExclusiveStartKey,
            }),
          );
          items += out.Items?.length ?? 0;
          ExclusiveStartKey = out.LastEvaluatedKey;
        } while (ExclusiveStartKey);
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  } finally {
    client.destroy();
  }
  return items;
}

export async function prepareReportBuckets(aws: BenchAws): Promise<void> {
  const names = physicalNames(BENCH_COUNTY, 'bench');
  await aws.createBuckets(names.submissionsBucket, names.reportsBucket);
}

export async function benchAggregate(aws: BenchAws, year: SeededYear, rounds: number): Promise<{ row: BenchRow; oursMs: number }> {
  await runAggregate(aws, year); // warm-up: lazy renderer imports, JIT
  const runs: AggregateRun[] = [];
  let itemsRead = 0;
  // What aggregateYear's read asks DynamoDB for: a bare Query asking the same says how much of the gap is the projection.
  const projection = await sameProjection();
  const sides = await alternate(rounds, {
    ours: async () => {
      const run = await runAggregate(aws, year);
      runs.push(run);
      return run.ms;
    },
    baseline: () =>
      timeMs(async () => {
        itemsRead = await bareQueryYear(year);
      }),
    projected: () => timeMs(() => bareQueryYear(year, projection)),
  });
  const result = { ours: sides.ours!, baseline: sides.baseline!, oursMedian: median(sides.ours!), baselineMedian: median(sides.baseline!) };
  const stages = [...new Set(runs.flatMap((r) => Object.keys(r.timings)))];
  const stageText = stages.map((s) => `${s} ${Math.round(median(runs.map((r) => r.timings[s] ?? 0)))}`).join(', ');
  const perRenderer = await renderersSeparately(runs[0]!.report);
  return {
    oursMs: result.oursMedian,
    row: {
      id: 'aggregate',
      value: round1(result.oursMedian),
      unit: 'ms',
      baseline: round1(result.baselineMedian),
      ratio: round3(pairedRatio(result.ours, result.baseline)),
      note:
        `${year.units} units, ${year.rows.toLocaleString('en')} ledger rows (${itemsRead.toLocaleString('en')} items) → ${runs[0]?.artifacts ?? 0} artifacts via aggregateYear (dynalite + s3rver) vs bare paged Query of the same partitions at concurrency ${READ_CONCURRENCY}; ` +
        `ratio = median of the per-round ratios over ${rounds} rounds (ours ${result.ours.map(Math.round).join('/')} ms; bare ${result.baseline.map(Math.round).join('/')} ms); ` +
        `stages (ms, median): ${stageText}; renderers alone (ms): ${perRenderer}; ` +
        `the bare Query asking only the attributes aggregateYear reads (ProjectionExpression): ${Math.round(median(sides.projected!))} ms, ours / that ${round3(pairedRatio(sides.ours!, sides.projected!))}`,
    },
  };
}

/** Each renderer timed on its own over the report of one aggregate run (aggregateYear reports only their sum). */
async function renderersSeparately(report: Report): Promise<string> {
  try {
    const renderers: [string, () => unknown][] = [
      ['json', () => JSON.stringify(report, null, 2)],
      ['md', async () => (await import('../../shared/core/artifacts/markdown')).renderMarkdown(report)],
      ['html', async () => (await import('../../shared/core/artifacts/html')).renderHtml(report)],
      ['docx', async () => (await import('../../shared/core/artifacts/docx')).renderDocx(report)],
      ['xlsx', async () => (await import('../../shared/core/artifacts/xlsx')).renderXlsx(report)],
    ];
    const parts: string[] = [];
    for (const [name, render] of renderers) {
      await render();
      const times: number[] = [];
      for (let i = 0; i < 3; i++) times.push(await timeMs(render));
      parts.push(`${name} ${round1(median(times))}`);
    }
    return parts.join(', ');
  } catch (err) {
    return `(not measured: ${(err as Error).message.split('\n')[0]})`;
  }
}

export function scalingRow(id: string, what: string, msBySize: ReadonlyMap<number, number>): BenchRow {
  const sizes = [...msBySize.keys()].sort((a, b) => a - b);
  const largest = sizes.at(-1)!;
  const tenth = msBySize.get(largest / 10);
  const ratio = tenth ? msBySize.get(largest)! / tenth / 10 : null;
  return {
    id,
    value: round1(msBySize.get(largest)!),
    unit: 'ms',
    baseline: tenth ? round1(tenth) : null,
    ratio: ratio === null ? null : round3(ratio),
    note: `${what}; ${sizes.map((s) => `${s.toLocaleString('en')} rows ${Math.round(msBySize.get(s)!)} ms`).join(', ')}; value = ${largest.toLocaleString('en')} rows, baseline = ${(largest / 10).toLocaleString('en')} rows, ratio = (t${largest / 1000}k / t${largest / 10000}k) / 10`,
  };
}

/** The ProjectionExpression DynamoSubmissionRepository.readSubmission sends for the bench county's ledger fields. */
async function sameProjection(): Promise<{ expression: string; names: Record<string, string> }> {
  let sent: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } | undefined;
  // A stand-in client that records the Query and answers with an empty META (which the schema then refuses).
  const spy = { send: async (command: { input: typeof sent }) => ((sent = command.input), { Items: [{ sk: 'META' }] }) };
  const repo = new DynamoSubmissionRepository(spy as unknown as DynamoDBDocumentClient, 'spy');
  await repo.readSubmission(BENCH_YEAR, 'spy', 'spy', { ledgerFields: ledgerFieldsUsed(benchContext().county.catalogue) }).catch(() => undefined);
  if (!sent?.ProjectionExpression || !sent.ExpressionAttributeNames) throw new Error('readSubmission sent no ProjectionExpression');
  const { '#pk': _pk, ...names } = sent.ExpressionAttributeNames;
  return { expression: sent.ProjectionExpression, names };
}
