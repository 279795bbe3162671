import type { CountyConfig, Unit } from '../../county/schema';
import { matchKey } from './text';

/**
 * Unit names as clerks write them (灵寿县司法局, 县司法局, 司法局, or the id)
 * resolved against the county config's names and aliases.
 */
const cache = new WeakMap<CountyConfig, ReadonlyMap<string, Unit>>();

export function resolveUnit(config: CountyConfig, text: string): Unit | undefined {
  let map = cache.get(config);
  if (!map) {
    const m = new Map<string, Unit>();
    for (const unit of config.units) {
      for (const label of [unit.id, unit.name, ...unit.aliases]) {
        const key = matchKey(label);
        if (!m.has(key)) m.set(key, unit);
      }
    }
    map = m;
    cache.set(config, map);
  }
  return map.get(matchKey(text));
}

/**
 * The unit a file name names, if any: 司法局2021.xlsx, justice_bureau-2021.xlsx
 * (what `template` writes), 灵寿县司法局（2021年度）.xlsx. A year, brackets
 * and separators around the name are dropped; anything else must be a unit
 * name or alias, so "报送表.xlsx" names no unit.
 */
export function unitNamedByFileName(config: CountyConfig, fileName: string): Unit | undefined {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  const stem = base
    .replace(/(?:19|20)\d{2}\s*(?:年度|年)?/g, '')
    .replace(/[（(【\[][\s）)】\]]*[）)】\]]/g, '')
    .replace(/^[\s_\-—.·、]+|[\s_\-—.·、]+$/g, '');
  return stem === '' ? undefined : resolveUnit(config, stem);
}

/** 灵寿县, 灵寿, lingshou: the county named in a file. */
export function isSameCounty(config: CountyConfig, text: string): boolean {
  const key = matchKey(text);
  const names = [config.id, config.name, config.name.replace(/[县市区旗]$/, ''), config.government];
  return names.some((n) => matchKey(n) === key);
}
