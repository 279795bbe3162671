import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { suggest } from '../shared/core/config/problems';
import { ConfigError } from '../shared/core/errors';
import { countyDirInRepo, LoadedCounty, loadCounty } from '../shared/core/county/load';
import type { Unit } from '../shared/core/county/schema';
import { resolveUnit } from '../shared/core/submission/normalize/units';
import { UsageError } from './usage-error';

/**
 * Option parsing shared by the commands: a wrong county, year or unit on the
 * command line is a usage error (exit 2), not an invalid file.
 */
export function loadCountyForCli(countyId: string): LoadedCounty {
  if (!/^[a-z][a-z0-9_]*$/.test(countyId)) throw new UsageError(`--county must be a county id such as "lingshou", got "${countyId}"${countyHint(countyId)}`);
  try {
    return loadCounty(countyDirInRepo(countyId));
  } catch (err) {
    if (err instanceof ConfigError && err.field === '(file)' && err.message.includes('cannot be read')) {
      throw new UsageError(`unknown county "${countyId}": there is no shared/counties/${countyId}/county.json${countyHint(countyId)}`);
    }
    throw err;
  }
}

/** "; did you mean "lingshou" (灵寿县)?" for a misspelt id or a county's Chinese name; else the counties there are. */
function countyHint(text: string): string {
  const root = path.dirname(countyDirInRepo('_'));
  const ids = existsSync(root) ? readdirSync(root).filter((id) => existsSync(path.join(root, id, 'county.json'))) : [];
  const names = new Map<string, string>();
  for (const id of ids) {
    try {
      const name = loadCounty(countyDirInRepo(id)).config.name;
      names.set(id, name);
      for (const label of [name, name.replace(/[县市区旗]$/, '')]) if (label === text) return `; did you mean "${id}" (${name})?`;
    } catch {
      // A broken county folder is `county check`'s business, not a suggestion's.
    }
  }
  const close = suggest(text, ids);
  if (close) return `; did you mean "${close}"${names.has(close) ? ` (${names.get(close)})` : ''}?`;
  return ids.length ? `; the counties are: ${ids.map((id) => (names.has(id) ? `${id} (${names.get(id)})` : id)).join(', ')}` : '';
}

export function parseYearOption(text: string): number {
  const year = Number(text);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new UsageError(`--year must be a year like 2021, got "${text}"`);
  return year;
}

export function resolveUnitOption(county: LoadedCounty, text: string): Unit {
  const unit = resolveUnit(county.config, text);
  if (unit) return unit;
  // Every way a unit is written, including "县司法局" for 灵寿县司法局: a near miss of any of them is suggested.
  const labels = new Map<string, Unit>();
  const shortName = (name: string) => (name.startsWith(county.config.name) ? `县${name.slice(county.config.name.length)}` : name);
  for (const u of county.config.units) for (const label of [u.id, u.name, shortName(u.name), ...u.aliases]) if (!labels.has(label)) labels.set(label, u);
  const close = suggest(text, labels.keys());
  const hint = close ? `did you mean “${labels.get(close)!.name}”?` : `use a unit id, name or alias from county.json (e.g. ${county.config.units[0]?.name})`;
  throw new UsageError(`unknown unit "${text}" in ${county.config.name}; ${hint}`);
}
