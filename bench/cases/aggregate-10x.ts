import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCounty } from '../../shared/core/county/load';
import { physicalNames } from '../../shared/storage/layout';
import { countyTimes } from '../county-times';
import { BENCH_COUNTY, BENCH_YEAR } from '../data';
import { runChildJson, type BenchAws } from '../local-aws';
import { median, round1, round3 } from '../measure';
import type { BenchRow } from '../report';
import { bundle, handlerEnv } from './cold-start';
import { prepareReportBuckets, seedYear, SeededYear } from './aggregate';

/**
 * aggregate-10x: a county ten times Lingshou (390 units; the 350 that keep
 * the enforcement staff ledger hold 10 × `rows` ledger rows) against
 * Lingshou itself (35 units, `rows` rows), each aggregated by aggregateYear
 * in a fresh node process against this process's emulators, after one
 * untimed warm-up aggregation of the 1× year in that process. Alternating
 * rounds; ratio = median over rounds of (ms per row at 10×) / (ms per row at
 * 1×): 1 is linear. The value is the 10× run's time; the note has its peak RSS
 * (the aggregating process only: the emulators run here).
 */
const REPO = path.resolve(__dirname, '..', '..');

interface ChildRun {
  ms: number;
  timings: Record<string, number>;
  maxRssMb: number;
}

export async function benchAggregate10x(aws: BenchAws, rows: number, rounds: number, log: (text: string) => void): Promise<BenchRow> {
  const dir = mkdtempSync(path.join(tmpdir(), 'yearly-report-bench-10x-'));
  const tables: string[] = [];
  try {
    await prepareReportBuckets(aws);
    const tenfoldDir = countyTimes(10, dir);
    const tenfold = loadCounty(tenfoldDir);
    const started = performance.now();
    const one = await seedYear(aws, 'bench-aggregate-1x', rows, 0x1a, undefined);
    tables.push(one.table);
    const ten = await seedYear(aws, 'bench-aggregate-10x', rows * 10, 0x10a, tenfold);
    tables.push(ten.table);
    log(`aggregate-10x: seeded ${one.rows.toLocaleString('en')} + ${ten.rows.toLocaleString('en')} rows in ${Math.round((performance.now() - started) / 1000)} s`);
    const child = await bundle(path.join(REPO, 'bench', 'aggregate-child.ts'), dir, 'aggregate-child', true);
    const runIn = (countyDir: string, year: SeededYear) => runChild(child.file, countyDir, one, year, aws);
    const ones: ChildRun[] = [];
    const tens: ChildRun[] = [];
    for (let round = 0; round < rounds; round++) {
      // The 10× county's plan is a superset of the 1× county's, so its process can warm up on the 1× year.
      if (round % 2 === 0) {
        ones.push(await runIn(path.join(REPO, 'shared', 'counties', BENCH_COUNTY), one));
        tens.push(await runIn(tenfoldDir, ten));
      } else {
        tens.push(await runIn(tenfoldDir, ten));
        ones.push(await runIn(path.join(REPO, 'shared', 'counties', BENCH_COUNTY), one));
      }
    }
    const perRow = (r: ChildRun, y: SeededYear) => r.ms / y.rows;
    const ratios = ones.map((o, i) => perRow(tens[i]!, ten) / perRow(o, one));
    const stages = (runs: ChildRun[]) => Object.keys(runs[0]!.timings).map((s) => `${s} ${Math.round(median(runs.map((r) => r.timings[s] ?? 0)))}`).join(', ');
    const peak = Math.max(...tens.map((r) => r.maxRssMb));
    return {
      id: 'aggregate-10x',
      value: round1(median(tens.map((r) => r.ms))),
      unit: 'ms',
      baseline: round1(median(ones.map((r) => r.ms))),
      ratio: round3(median(ratios)),
      note:
        `peak RSS ${Math.round(peak)} MB (the 10× aggregating process, goal ≤ 512 MB; 1× ${Math.round(Math.max(...ones.map((r) => r.maxRssMb)))} MB); ` +
        `10×: ${tenfold.config.units.length} units, ${ten.units} with ledgers, ${ten.rows.toLocaleString('en')} ledger rows; 1×: ${one.units} units with ledgers, ${one.rows.toLocaleString('en')} rows; ` +
        `aggregateYear in a fresh node after one warm-up aggregation, ${rounds} alternating rounds; ratio = median per-round (ms/row at 10×) / (ms/row at 1×); ` +
        `10× ${tens.map((r) => Math.round(r.ms)).join('/')} ms, 1× ${ones.map((r) => Math.round(r.ms)).join('/')} ms; stages (ms, median) 10×: ${stages(tens)}; 1×: ${stages(ones)}`,
    };
  } finally {
    for (const table of tables) await aws.dropTable(table).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runChild(file: string, countyDir: string, warm: SeededYear, year: SeededYear, aws: BenchAws): Promise<ChildRun> {
  const names = physicalNames(BENCH_COUNTY, 'bench');
  return runChildJson<ChildRun>(file, [countyDir, String(BENCH_YEAR), warm.table, year.table, String(year.units)], {
    ...handlerEnv(),
    ...aws.aws.env,
    REPORTS_BUCKET: names.reportsBucket,
  });
}
