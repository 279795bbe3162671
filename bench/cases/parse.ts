import { Readable } from 'node:stream';
import { parse as parseCsvSync } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import type { ParseOutcome } from '../../shared/core/submission/normalized';
import { checkWorkbookZip } from '../../shared/core/submission/formats/xlsx-zip';
import { parseSubmissionFile } from '../../shared/core/submission/parse';
import { BENCH_COUNTY, BENCH_UNIT, BENCH_YEAR, enforcementStaff, ledgerCsv, ledgerXlsx } from '../data';
import { alternate, median, pairedRatio, round1, round3, timeMs } from '../measure';
import { profileOnce } from '../profile-inprocess';
import type { BenchRow } from '../report';

export type FileKind = 'xlsx' | 'csv';
export interface BenchFile {
  kind: FileKind;
  fileName: string;
  bytes: Buffer;
  rows: number;
}

/** The enforcement staff ledger (姓名, 执法证号, 培训课时) as the bench's xlsx or csv file. */
export async function staffFile(kind: FileKind, rows: number, seed = 0xbe4c, { quoteAll = false } = {}): Promise<BenchFile> {
  const table = enforcementStaff(rows, seed, { typed: kind === 'xlsx' });
  const file = kind === 'xlsx' ? await ledgerXlsx([table]) : ledgerCsv(table, { quoteAll });
  return { kind, rows, ...file };
}

let context: { county: ReturnType<typeof loadCounty>; catalogue: ReturnType<typeof loadCounty>['catalogue'] } | undefined;
export function benchContext() {
  const county = loadCounty(countyDirInRepo(BENCH_COUNTY));
  context ??= { county, catalogue: county.catalogue };
  return context;
}

/** The real parser, as ingest calls it; a rejected file is a bench error (the generated data must be valid). */
export async function parseOurs(file: BenchFile, unitId = BENCH_UNIT): Promise<ParseOutcome & { ok: true }> {
  const { county, catalogue } = benchContext();
  const outcome = await parseSubmissionFile({ bytes: file.bytes, fileName: file.fileName, county, catalogue, year: BENCH_YEAR, unitId });
  if (!outcome.ok) throw new Error(`parser rejected the generated ${file.kind}: ${describeProblems(outcome.problems)}`);
  const kept = Object.values(outcome.submission.ledgers).reduce((n, rows) => n + rows.length, 0);
  if (kept !== file.rows) throw new Error(`parser kept ${kept} ledger rows of ${file.rows}`);
  return outcome;
}

function describeProblems(problems: readonly { code: string; message: string; sheet?: string; cell?: string; row?: number }[]): string {
  const first = problems.slice(0, 3).map((p) => `${p.code} ${p.sheet ?? ''}${p.cell ?? (p.row ? `#${p.row}` : '')} ${p.message}`.trim());
  return `${problems.length} problems: ${first.join(' | ')}`;
}

/**
 * The raw limit for xlsx: exceljs's streaming reader over the same bytes,
 * every worksheet, every row, every cell value read. No conversion, no checks.
 */
export async function bareXlsx(bytes: Buffer): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  let cells = 0;
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = row.values as unknown[];
      for (let i = 1; i < values.length; i++) if (values[i] !== undefined) cells++;
    }
  }
  return cells;
}

/** The raw limit for csv: csv-parse over the same bytes (BOM stripped), every record as an array of strings. */
export function bareCsv(bytes: Buffer): number {
  const records = parseCsvSync(bytes, { bom: true, relax_column_count: true }) as string[][];
  let cells = 0;
  for (const r of records) cells += r.length;
  return cells;
}

export async function benchParse(kind: FileKind, rows: number, rounds: number): Promise<{ row: BenchRow; oursMs: number }> {
  const file = await staffFile(kind, rows);
  // One untimed run each: JIT warm-up, lazy imports, and a correctness check.
  await parseOurs(file);
  kind === 'xlsx' ? await bareXlsx(file.bytes) : bareCsv(file.bytes);
  // A variant that splits the difference: the zip check the xlsx parser runs before exceljs reads anything
  // (directory, local headers, the parts exceljs does not read; the parts it reads are checked as they are parsed).
  // The CPU profile below covers the rest.
  // For csv: the same ledger with every field quoted, as some exporters write it. A file without any quote is split
  // natively (csv-records.ts quoteFreeLines, as Excel's own CSV nearly always is); this one goes through csv-parse.
  const quoted = kind === 'csv' ? await staffFile('csv', rows, undefined, { quoteAll: true }) : undefined;
  if (quoted) await parseOurs(quoted);
  const variants: Record<string, () => Promise<number>> =
    kind === 'xlsx'
      ? { 'zip check before parsing': () => timeMs(() => checkWorkbookZip(file.bytes)) }
      : { quotedOurs: () => timeMs(() => parseOurs(quoted!)), quotedBare: () => timeMs(() => Promise.resolve(bareCsv(quoted!.bytes))) };
  const runs = await alternate(rounds, {
    ours: () => timeMs(() => parseOurs(file)),
    bare: () => timeMs(() => (kind === 'xlsx' ? bareXlsx(file.bytes) : bareCsv(file.bytes))),
    ...variants,
  });
  const result = { ours: runs.ours!, baseline: runs.bare!, oursMedian: median(runs.ours!), baselineMedian: median(runs.bare!) };
  const variantText =
    kind === 'xlsx'
      ? Object.keys(variants)
          .map((name) => `${name} ${Math.round(median(runs[name]!))} ms`)
          .join('; ')
      : `every field quoted (${(quoted!.bytes.length / 1048576).toFixed(1)} MiB; read by csv-parse, not split): ours ${Math.round(median(runs.quotedOurs!))} vs bare ${Math.round(median(runs.quotedBare!))} ms, ratio ${round3(pairedRatio(runs.quotedOurs!, runs.quotedBare!))}`;
  const profile = await profileOnce(() => parseOurs(file));
  const library = kind === 'xlsx' ? 'exceljs stream.xlsx.WorkbookReader reading every cell value' : 'csv-parse (sync) to string arrays (ours splits this file, which has no quote, natively: csv-records.ts quoteFreeLines)';
  return {
    oursMs: result.oursMedian,
    row: {
      id: `ingest-parse-${kind}`,
      value: round1(result.oursMedian),
      unit: 'ms',
      baseline: round1(result.baselineMedian),
      ratio: round3(pairedRatio(result.ours, result.baseline)),
      note:
        `${rows.toLocaleString('en')}-row 行政执法人员名册, ${(file.bytes.length / 1048576).toFixed(1)} MiB ${kind}; parseSubmissionFile (parse, normalize, validate, zod) vs ${library}; ` +
        `ratio = median of the per-round ratios over ${rounds} alternating rounds (ours ${result.ours.map(Math.round).join('/')} ms; bare ${result.baseline.map(Math.round).join('/')} ms); ${variantText ? `${variantText}; ` : ''}` +
        `one profiled run of ours, self ms by module: ${profile.byModule}; hottest functions: ${profile.byFunction}`,
    },
  };
}
