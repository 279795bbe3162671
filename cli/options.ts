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
  if (!/^[a-z][a-z0-9_]*$/.test(countyId)) throw new UsageError(`--county must be a county id such as "lingshou", got "${countyId}"`);
  try {
    return loadCounty(countyDirInRepo(countyId));
  } catch (err) {
    if (err instanceof ConfigError && err.field === '(file)' && err.message.includes('cannot be read')) {
      throw new UsageError(`unknown county "${countyId}": there is no shared/counties/${countyId}/county.json`);
    }
    throw err;
  }
}

export function parseYearOption(text: string): number {
  const year = Number(text);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new UsageError(`--year must be a year like 2021, got "${text}"`);
  return year;
}

export function resolveUnitOption(county: LoadedCounty, text: string): Unit {
  const unit = resolveUnit(county.config, text);
  if (!unit) throw new UsageError(`unknown unit "${text}" in ${county.config.id}; use a unit id, name or alias from county.json (e.g. ${county.config.units[0]?.id})`);
  return unit;
}
