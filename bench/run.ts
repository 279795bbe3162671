import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import path from 'node:path';
import type { BenchAws } from './local-aws';
import { BenchRow, describeError, failedRow, formatTable, writeResults } from './report';

/**
 * `npm run bench [-- --quick] [-- --only id,id]`: every row of issue 8, one
 * table on stdout, the same rows in bench/results.json. A row that cannot be
 * measured (a component missing or throwing) is recorded with value null and
 * the error in its note; the run goes on. Not part of `npm test`.
 */
interface Plan {
  parseRows: number;
  parseRounds: number;
  writeRows: number;
  writeRounds: number;
  /** ingest-end-to-end: rows of the .xlsx, and rounds of the three sides. */
  endToEndRows: number;
  endToEndRounds: number;
  aggregateRows: number;
  aggregateRounds: number;
  /** aggregate-10x: ledger rows of the 1× county (the 10× county holds ten times as many), and its rounds. */
  tenfoldRows: number;
  tenfoldRounds: number;
  scalingSizes: [number, number, number];
  scalingRounds: (rows: number) => number;
  coldRounds: number;
  cliRounds: number;
  memoryMb: number;
  /** Size of the whole-ingest memory check; undefined = just under MAX_SUBMISSION_BYTES. */
  wholeIngestMb: number | undefined;
}

const FULL: Plan = {
  parseRows: 100_000,
  parseRounds: 9,
  writeRows: 100_000,
  writeRounds: 3,
  endToEndRows: 100_000,
  endToEndRounds: 3,
  aggregateRows: 100_000,
  aggregateRounds: 5,
  tenfoldRows: 100_000,
  tenfoldRounds: 2,
  scalingSizes: [1_000, 10_000, 100_000],
  scalingRounds: (rows) => (rows >= 100_000 ? 1 : 3),
  coldRounds: 10,
  cliRounds: 10,
  memoryMb: 50,
  wholeIngestMb: undefined,
};

const QUICK: Plan = {
  parseRows: 10_000,
  parseRounds: 2,
  writeRows: 5_000,
  writeRounds: 2,
  endToEndRows: 2_000,
  endToEndRounds: 2,
  aggregateRows: 10_000,
  aggregateRounds: 2,
  tenfoldRows: 2_000,
  tenfoldRounds: 1,
  scalingSizes: [100, 1_000, 10_000],
  scalingRounds: () => 1,
  coldRounds: 3,
  cliRounds: 3,
  memoryMb: 10,
  wholeIngestMb: 4,
};

/** What each row should reach (issue 8, tightened by issue 16); shown in the table and used for the "met" column. */
export const GOALS: Record<string, { text: string; met: (row: BenchRow) => boolean | null }> = {
  'ingest-parse-xlsx': { text: 'ratio ≤ 1.15', met: (r) => (r.ratio === null ? null : r.ratio <= 1.15) },
  'ingest-parse-csv': { text: 'ratio ≤ 1.25', met: (r) => (r.ratio === null ? null : r.ratio <= 1.25) },
  'ingest-write': { text: 'ratio ≥ 0.95', met: (r) => (r.ratio === null ? null : r.ratio >= 0.95) },
  'ingest-end-to-end': { text: 'ratio ≤ 1.15', met: (r) => (r.ratio === null ? null : r.ratio <= 1.15) },
  aggregate: { text: 'ratio ≤ 1.1', met: (r) => (r.ratio === null ? null : r.ratio <= 1.1) },
  'aggregate-10x': { text: 'ratio ≤ 1.2, RSS ≤ 512 MB', met: (r) => (r.ratio === null ? null : r.ratio <= 1.2 && peakRssOf(r) !== null && peakRssOf(r)! <= 512) },
  'cold-start-ingest': { text: 'ratio ≤ 1.3', met: (r) => (r.ratio === null ? null : r.ratio <= 1.3) },
  'cold-start-aggregate': { text: 'ratio ≤ 1.3', met: (r) => (r.ratio === null ? null : r.ratio <= 1.3) },
  'cold-start-upload-api': { text: 'ratio ≤ 1.3', met: (r) => (r.ratio === null ? null : r.ratio <= 1.3) },
  'bundle-ingest': { text: 'value ≤ 1024 KiB', met: (r) => (r.value === null ? null : r.value <= 1024) },
  'bundle-aggregate': { text: '(size; parts in note)', met: () => null },
  'bundle-upload-api': { text: '(size; parts in note)', met: () => null },
  'cli-start': { text: 'value ≤ 500 ms', met: (r) => (r.value === null ? null : r.value <= 500) },
  'memory-ingest-50mb': { text: 'value ≤ 400 MB', met: (r) => (r.value === null ? null : r.value <= 400) },
  'memory-peak-csv': { text: 'value ≤ 256 MB', met: (r) => (r.value === null ? null : r.value <= 256) },
  'memory-peak-xlsx': { text: 'value ≤ 256 MB', met: (r) => (r.value === null ? null : r.value <= 256) },
  'memory-peak-json': { text: 'value ≤ 256 MB', met: (r) => (r.value === null ? null : r.value <= 256) },
  'memory-peak-hostile': { text: 'value ≤ 256 MB', met: (r) => (r.value === null ? null : r.value <= 256) },
  'scaling-ingest': { text: 'ratio ≈ 1 (≤ 1.2)', met: (r) => (r.ratio === null ? null : r.ratio <= 1.2) },
  'scaling-aggregate': { text: 'ratio ≈ 1 (≤ 1.2)', met: (r) => (r.ratio === null ? null : r.ratio <= 1.2) },
  // Issue 13: the browser portal.
  'portal-weight': { text: 'value ≤ 100 KB gz', met: (r) => (r.value === null ? null : r.value <= 100) },
  'portal-upload-outcome': { text: 'ratio ≤ 1.3', met: (r) => (r.ratio === null ? null : r.ratio <= 1.3) },
  // Issue 20: what a county costs at rest (no goal: the figure is for the README and a province's budget).
  'cost-at-rest': { text: '(USD/month; usage in note)', met: () => null },
};

const ALL_IDS = Object.keys(GOALS);

/** aggregate-10x carries its peak RSS in the note (its value is a time). */
function peakRssOf(row: BenchRow): number | null {
  const m = /peak RSS (\d+) MB/.exec(row.note);
  return m ? Number(m[1]) : null;
}

function parseArgs(argv: readonly string[]): { quick: boolean; only: Set<string>; out: string } {
  let quick = false;
  let only = new Set(ALL_IDS);
  let out = path.join(__dirname, 'results.json');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const list = arg.includes('=') ? arg.slice('--only='.length) : argv[++i] ?? '';
      only = new Set(list.split(',').map((s) => s.trim()).filter(Boolean));
      const unknown = [...only].filter((id) => !ALL_IDS.includes(id));
      if (unknown.length > 0) throw new Error(`unknown row id(s): ${unknown.join(', ')}; known: ${ALL_IDS.join(', ')}`);
    } else if (arg === '--out' || arg.startsWith('--out=')) out = path.resolve(arg.includes('=') ? arg.slice('--out='.length) : argv[++i] ?? out);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: npm run bench -- [--quick] [--only id,id,…] [--out file]\n');
      process.exit(0);
    } else throw new Error(`unknown argument "${arg}" (try --help)`);
  }
  return { quick, only, out };
}

/** The SDK warns at every client creation that node 20 support ends; the bench's table is the output that matters. */
function quietSdkNodeWarning(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'NodeVersionSupportWarning' || String(warning).includes('NodeVersionSupportWarning')) return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}

async function main(): Promise<void> {
  const { quick, only, out } = parseArgs(process.argv.slice(2));
  quietSdkNodeWarning();
  const plan = quick ? QUICK : FULL;
  const startedAt = new Date();
  const rows: BenchRow[] = [];
  const log = (text: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${text}\n`);
  const t0 = performance.now();
  const record = (row: BenchRow) => {
    rows.push(row);
    log(`${row.id}: ${row.value ?? 'null'} ${row.unit}${row.ratio !== null ? `, ratio ${row.ratio}` : ''}`);
  };
  /** Runs one step; whatever it throws becomes null rows with the error, for the ids it would have produced. */
  const step = async (ids: string[], unit: string, work: () => Promise<BenchRow[]>) => {
    const wanted = ids.filter((id) => only.has(id));
    if (wanted.length === 0) return;
    log(`${wanted.join(', ')} …`);
    try {
      for (const row of await work()) if (only.has(row.id)) record(row);
    } catch (err) {
      for (const id of wanted) if (!rows.some((r) => r.id === id)) record(failedRow(id, unit, err));
    }
  };

  // No emulators yet: these run in fresh child processes or on files alone.
  await step(['cost-at-rest'], 'USD/mo', async () => [(await import('./cases/cost')).benchCost()]);
  await step(['cold-start-ingest', 'cold-start-aggregate', 'cold-start-upload-api', 'bundle-ingest', 'bundle-aggregate', 'bundle-upload-api'], 'ms', async () => (await import('./cases/cold-start')).benchColdStart(plan.coldRounds, quick));
  await step(['cli-start'], 'ms', async () => [await (await import('./cases/cli-start')).benchCliStart(plan.cliRounds)]);
  for (const kind of ['xlsx', 'csv'] as const) {
    await step([`ingest-parse-${kind}`], 'ms', async () => [(await (await import('./cases/parse')).benchParse(kind, plan.parseRows, plan.parseRounds)).row]);
  }

  await step(['memory-peak-csv', 'memory-peak-xlsx', 'memory-peak-json', 'memory-peak-hostile'], 'MB', async () => (await import('./cases/memory-peak')).benchMemoryPeak(quick));

  const needsAws = ['ingest-write', 'ingest-end-to-end', 'aggregate', 'aggregate-10x', 'scaling-aggregate', 'scaling-ingest', 'memory-ingest-50mb'].some((id) => only.has(id));
  let aws: BenchAws | undefined;
  if (needsAws) {
    try {
      aws = await (await import('./local-aws')).startBenchAws();
    } catch (err) {
      for (const id of ['ingest-write', 'ingest-end-to-end', 'aggregate', 'scaling-aggregate', 'scaling-ingest']) if (only.has(id)) record(failedRow(id, 'ms', new Error(`emulators did not start: ${describeError(err)}`)));
    }
  }
  // Memory runs in child processes; with the emulators up, its note also covers a whole ingest.
  await step(['memory-ingest-50mb'], 'MB', async () => [await (await import('./cases/memory')).benchMemory(plan.memoryMb, aws, plan.wholeIngestMb)]);
  if (aws) {
    const localAws = aws;
    try {
      await step(['ingest-write'], 'items/s', async () => [await (await import('./cases/ingest-write')).benchIngestWrite(localAws, plan.writeRows, plan.writeRounds)]);

      await step(['ingest-end-to-end'], 'ms', async () => [await (await import('./cases/ingest-end-to-end')).benchIngestEndToEnd(localAws, plan.endToEndRows, plan.endToEndRounds)]);

      await step(['aggregate', 'scaling-aggregate'], 'ms', async () => {
        const agg = await import('./cases/aggregate');
        await agg.prepareReportBuckets(localAws);
        const [small, medium, large] = plan.scalingSizes;
        const out: BenchRow[] = [];
        const largest = await agg.seedYear(localAws, 'bench-aggregate-large', Math.max(plan.aggregateRows, large), 0xa66);
        let largeMs: number | undefined;
        if (only.has('aggregate')) {
          const result = await agg.benchAggregate(localAws, largest, plan.aggregateRounds);
          out.push(result.row);
          largeMs = result.oursMs;
        }
        if (only.has('scaling-aggregate')) {
          try {
            const msBySize = new Map<number, number>();
            for (const size of [small, medium]) {
              const year = await agg.seedYear(localAws, `bench-aggregate-${size}`, size, 0xa66 + size);
              await agg.runAggregate(localAws, year); // warm-up
              const times: number[] = [];
              for (let i = 0; i < Math.max(2, plan.scalingRounds(size)); i++) times.push((await agg.runAggregate(localAws, year)).ms);
              msBySize.set(size, (await import('./measure')).median(times));
              await localAws.dropTable(year.table);
            }
            if (largeMs === undefined) {
              await agg.runAggregate(localAws, largest);
              largeMs = (await agg.runAggregate(localAws, largest)).ms;
            }
            msBySize.set(large, largeMs);
            out.push(agg.scalingRow('scaling-aggregate', `aggregateYear (35 units → all artifacts), median per size`, msBySize));
          } catch (err) {
            out.push(failedRow('scaling-aggregate', 'ms', err));
          }
        }
        await localAws.dropTable(largest.table);
        return out;
      });

      await step(['aggregate-10x'], 'ms', async () => [await (await import('./cases/aggregate-10x')).benchAggregate10x(localAws, plan.tenfoldRows, plan.tenfoldRounds, log)]);

      await step(['scaling-ingest'], 'ms', async () => {
        const { scalingIngest } = await import('./cases/scaling');
        const { scalingRow } = await import('./cases/aggregate');
        const msBySize = await scalingIngest(localAws, 'xlsx', plan.scalingSizes, plan.scalingRounds);
        return [scalingRow('scaling-ingest', 'ingestObject (S3 get, parse xlsx, write rows, pointer, audit) of one 行政执法人员名册 upload into a fresh table', msBySize)];
      });
    } finally {
      await localAws.stop().catch((err) => log(`stopping emulators: ${describeError(err)}`));
    }
  }

  // Last: the portal's local pipeline sets the process's AWS endpoints for its own emulators.
  await step(['portal-weight'], 'KB gz', async () => [await (await import('./cases/portal')).benchPortalWeight()]);
  await step(['portal-upload-outcome'], 'ms', async () => [await (await import('./cases/portal')).benchPortalUpload(quick ? 5 : 15)]);

  const ordered = ALL_IDS.map((id) => rows.find((r) => r.id === id)).filter((r): r is BenchRow => r !== undefined);
  const goals = Object.fromEntries(
    ordered.map((r) => {
      const goal = GOALS[r.id]!;
      const met = goal.met(r);
      return [r.id, `${goal.text}${met === null ? '' : met ? '  met' : '  MISSED'}`];
    }),
  );
  process.stdout.write(`\n${formatTable(ordered, goals)}\n\n`);
  writeResults(out, ordered, {
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    quick,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    commit: gitCommit(),
  });
  log(`wrote ${path.relative(process.cwd(), out)}`);
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${describeError(err)}\n`);
  process.exitCode = 1;
});
