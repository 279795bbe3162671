import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_LEDGER_ROWS, MAX_SUBMISSION_BYTES } from '../../shared/core/submission/limits';
import { hostileCorpus } from '../../test/fixtures/hostile/corpus';
import { BENCH_UNIT, BENCH_YEAR, enforcementStaff, lawsuitCases, ledgerCsv, ledgerJson, ledgerXlsx } from '../data';
import { round1, round3 } from '../measure';
import type { BenchRow } from '../report';
import { bundle, handlerEnv } from './cold-start';

/**
 * memory-peak-{csv,xlsx,json,hostile} (issue 14): peak RSS of a fresh node
 * that reads one file and parses it with parseSubmissionFile (the
 * memory-child of memory.ts), for the largest file each format accepts and
 * for every file of the hostile corpus at full size (test/fixtures/hostile).
 * Goal: ≤ 256 MB each. Baseline: the same child only reading the file.
 */
const REPO = path.resolve(__dirname, '..', '..');
const LIMIT = MAX_SUBMISSION_BYTES * 0.97;

export async function benchMemoryPeak(quick: boolean): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'yearly-report-bench-peak-'));
  try {
    const child = await bundle(path.join(REPO, 'bench', 'memory-child.ts'), dir, 'memory-child');
    const measure = (bytes: Buffer, fileName: string, mode: 'ours' | 'floor' = 'ours') => {
      const file = path.join(dir, `input-${fileName}`);
      writeFileSync(file, bytes);
      const out = spawnSync(process.execPath, [child.file, mode, file, fileName], { env: handlerEnv(), encoding: 'utf8', timeout: 600_000 });
      rmSync(file, { force: true });
      if (out.status !== 0) throw new Error(`memory child (${mode}, ${fileName}) failed: ${(out.stderr || out.stdout).trim().split('\n').at(-1)}`);
      return JSON.parse(out.stdout) as { maxRssMb: number; outcome: string };
    };
    const rowsFor = (target: number, bytesPerRow: number) => Math.min(MAX_LEDGER_ROWS, Math.floor(target / bytesPerRow));
    const target = quick ? 3 * 1048576 : LIMIT;

    const largest: Record<'csv' | 'xlsx' | 'json', () => Promise<{ bytes: Buffer; fileName: string; rows: number }>> = {
      csv: async () => {
        const rows = rowsFor(target, ledgerCsv(lawsuitCases(2000, 0x5c)).bytes.length / 2000);
        return { ...ledgerCsv(lawsuitCases(rows, 0x5c)), rows };
      },
      // Row count, not bytes, bounds an xlsx: MAX_LEDGER_ROWS compress to a few MB.
      xlsx: async () => {
        const rows = quick ? 20_000 : MAX_LEDGER_ROWS;
        return { ...(await ledgerXlsx([enforcementStaff(rows, 0x5d, { typed: true })])), rows };
      },
      json: async () => {
        const rows = rowsFor(target, Buffer.byteLength(ledgerJson(BENCH_UNIT, BENCH_YEAR, lawsuitCases(2000, 0x5e))) / 2000);
        return { bytes: Buffer.from(ledgerJson(BENCH_UNIT, BENCH_YEAR, lawsuitCases(rows, 0x5e))), fileName: `${BENCH_UNIT}.json`, rows };
      },
    };
    const rows: BenchRow[] = [];
    for (const kind of ['csv', 'xlsx', 'json'] as const) {
      const file = await largest[kind]();
      const ours = measure(file.bytes, file.fileName);
      const floor = measure(file.bytes, file.fileName, 'floor');
      rows.push({
        id: `memory-peak-${kind}`,
        value: round1(ours.maxRssMb),
        unit: 'MB',
        baseline: round1(floor.maxRssMb),
        ratio: round3(ours.maxRssMb / floor.maxRssMb),
        note: `peak RSS of a fresh node parsing the largest ${kind} ledger accepted${quick ? ' (quick: smaller)' : ''}: ${(file.bytes.length / 1048576).toFixed(1)} MiB, ${file.rows.toLocaleString('en')} rows → ${ours.outcome}; baseline = the same process only reading it`,
      });
    }

    const corpus = await hostileCorpus(quick ? 'test' : 'full');
    const results = corpus.map((f) => ({ f, r: measure(f.bytes, f.fileName) }));
    const worst = results.reduce((a, b) => (b.r.maxRssMb > a.r.maxRssMb ? b : a));
    const floor = measure(worst.f.bytes, worst.f.fileName, 'floor');
    rows.push({
      id: 'memory-peak-hostile',
      value: round1(worst.r.maxRssMb),
      unit: 'MB',
      baseline: round1(floor.maxRssMb),
      ratio: round3(worst.r.maxRssMb / floor.maxRssMb),
      note:
        `the highest peak RSS over the hostile corpus (${quick ? 'test' : 'full'} scale), each file parsed in a fresh node: ` +
        results.map(({ f, r }) => `${f.fileName} (${f.label}; ${(f.bytes.length / 1048576).toFixed(1)} MiB) ${round1(r.maxRssMb)} MB → ${r.outcome}`).join('; '),
    });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
