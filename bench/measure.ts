import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Timing helpers. This machine is shared and its speed drifts, so every ratio
 * comes from the two sides run alternately in the same process, several
 * rounds, and the median of each side; the order within a round flips every
 * round so neither side always runs on a warmer (or more fragmented) heap.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function timeMs(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

export interface SideBySide {
  ours: number[];
  baseline: number[];
  oursMedian: number;
  baselineMedian: number;
}

/**
 * Runs `ours` and `baseline` alternately for `rounds` rounds. Each function
 * gets the round number (so it can use a fresh table, say) and returns the
 * figure of that round (usually milliseconds). A garbage collection between
 * runs keeps one side's garbage from
 * being collected on the other side's clock.
 */
export async function sideBySide(
  rounds: number,
  ours: (round: number) => Promise<number>,
  baseline: (round: number) => Promise<number>,
): Promise<SideBySide> {
  const runs = await alternate(rounds, { ours, baseline });
  return { ours: runs.ours!, baseline: runs.baseline!, oursMedian: median(runs.ours!), baselineMedian: median(runs.baseline!) };
}

/**
 * The same for any number of sides (ours, the bare library, and variants
 * that say where the difference goes): every side once per round, the order
 * reversed every other round. Returns each side's figures in round order.
 */
export async function alternate(rounds: number, sides: Record<string, (round: number) => Promise<number>>): Promise<Record<string, number[]>> {
  const names = Object.keys(sides);
  const result: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      collectGarbage();
      result[name]!.push(await sides[name]!(round));
    }
  }
  return result;
}

/**
 * `npm run bench` starts node without --expose-gc; the flag can still be set
 * at run time and the gc function fetched from a fresh context.
 */
let gc: (() => void) | undefined;
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/**
 * The median of the per-round ratios a[i] / b[i]. Both sides of a round run
 * seconds apart, so a ratio taken within the round cancels most of the
 * machine's drift (other jobs starting and stopping), which a ratio of the
 * two sides' medians does not.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((x, i) => x / b[i]!));
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
export const round3 = (n: number) => Math.round(n * 1000) / 1000;
