import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { countyDirInRepo } from '../shared/core/county/load';
import { BENCH_COUNTY } from './data';

/**
 * A county `factor` times the bench county: its folder copied into `parent`
 * with every unit repeated (factor − 1) more times. A copy keeps the unit's
 * kind and groups, so it is asked for the same figures and ledgers, and drops
 * roles (a role names one unit) and aliases (names a clerk would type).
 * Lingshou's 39 units × 10 = 390 units, 350 of them keeping the enforcement
 * staff ledger: the "ten times Lingshou" of issue 16.
 */
export function countyTimes(factor: number, parent: string): string {
  const dir = path.join(parent, BENCH_COUNTY);
  cpSync(countyDirInRepo(BENCH_COUNTY), dir, { recursive: true });
  const file = path.join(dir, 'county.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as { units: { id: string; name: string; aliases?: string[]; roles?: string[] }[] };
  const copies = config.units.flatMap((unit) =>
    Array.from({ length: factor - 1 }, (_, k) => ({ ...unit, id: `${unit.id}_${k + 2}`, name: `${unit.name}（${k + 2}）`, aliases: [], roles: [] })),
  );
  config.units.push(...copies);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return dir;
}
