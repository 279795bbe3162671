import { writeFileSync } from 'node:fs';

/** One line of the table and of bench/results.json. */
export interface BenchRow {
  id: string;
  /** Our figure (ms, MB, items/s …), or null when it could not be measured (`note` says why). */
  value: number | null;
  unit: string;
  /** The raw limit measured side by side in the same run, or null where there is none. */
  baseline: number | null;
  ratio: number | null;
  note: string;
}

export const failedRow = (id: string, unit: string, err: unknown): BenchRow => ({
  id,
  value: null,
  unit,
  baseline: null,
  ratio: null,
  note: `not measured: ${describeError(err)}`,
});

export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message.split('\n')[0]}`;
  return String(err);
}

const fmt = (n: number | null) => (n === null ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(n >= 100 ? 0 : n >= 10 ? 1 : 3));

/** The table `npm run bench` prints: one row per id, the note wrapped under it. */
export function formatTable(rows: readonly BenchRow[], goals: Record<string, string>): string {
  const header = ['id', 'value', 'unit', 'baseline', 'ratio', 'goal'];
  const cells = rows.map((r) => [r.id, fmt(r.value), r.unit, fmt(r.baseline), fmt(r.ratio), goals[r.id] ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 || i === 2 || i === 5 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  rows.forEach((r, i) => {
    out.push(line(cells[i]!));
    if (r.note) out.push(`    ${r.note}`);
  });
  return out.join('\n');
}

export function writeResults(file: string, rows: readonly BenchRow[], meta: Record<string, unknown>): void {
  writeFileSync(file, JSON.stringify({ ...meta, rows }, null, 2) + '\n');
}
