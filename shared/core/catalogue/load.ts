import { ConfigError } from '../errors';
import { Catalogue, CatalogueSchema, IndicatorDef, LedgerDef } from './schema';
import indicators from './indicators.json';
import ledgers from './ledgers.json';
import checks from './checks.json';

/**
 * The catalogue is bundled JSON (it is national, not per county), checked
 * with zod once and cross-referenced: every id a derivation, ratio or check
 * names must exist. A mistake is a ConfigError naming the file and field.
 */
export interface LoadedCatalogue extends Catalogue {
  indicatorById: ReadonlyMap<string, IndicatorDef>;
  ledgerById: ReadonlyMap<string, LedgerDef>;
}

let cached: LoadedCatalogue | undefined;

export function loadCatalogue(): LoadedCatalogue {
  cached ??= validateCatalogue({ version: 1, indicators, ledgers, checks });
  return cached;
}

export function validateCatalogue(input: unknown): LoadedCatalogue {
  const parsed = CatalogueSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [part, ...rest] = issue.path.map(String);
    throw new ConfigError(`shared/core/catalogue/${part}.json`, rest.join('.'), issue.message);
  }
  const catalogue = parsed.data;
  const indicatorById = uniqueById(catalogue.indicators, 'indicators');
  const ledgerById = uniqueById(catalogue.ledgers, 'ledgers');

  catalogue.indicators.forEach((ind, i) => {
    const where = (field: string) => `[${i}](${ind.id}).${field}`;
    if (ind.fromLedger) {
      const ledger = ledgerById.get(ind.fromLedger.ledger);
      if (!ledger) throw new ConfigError('shared/core/catalogue/indicators.json', where('fromLedger.ledger'), `unknown ledger "${ind.fromLedger.ledger}"`);
      const fields = [ind.fromLedger.field, ...Object.keys(ind.fromLedger.where ?? {})].filter((f): f is string => !!f);
      for (const f of fields) {
        if (!ledger.columns.some((c) => c.id === f)) {
          throw new ConfigError('shared/core/catalogue/indicators.json', where('fromLedger'), `ledger "${ledger.id}" has no column "${f}"`);
        }
      }
    }
    const agg = ind.aggregation;
    const indicatorRefs =
      agg.kind === 'ratio' ? [agg.numerator, agg.denominator] : (agg.kind === 'coverage_count' || agg.kind === 'coverage_share') && agg.of ? [agg.of] : [];
    for (const ref of indicatorRefs) {
      if (!indicatorById.has(ref)) throw new ConfigError('shared/core/catalogue/indicators.json', where('aggregation'), `unknown indicator "${ref}"`);
      // A ratio of ratios, or coverage of a coverage, has no per-unit meaning we could aggregate.
      const target = indicatorById.get(ref)!;
      if (target.aggregation.kind === 'ratio' || target.aggregation.kind.startsWith('coverage')) {
        throw new ConfigError('shared/core/catalogue/indicators.json', where('aggregation'), `"${ref}" is itself derived (${target.aggregation.kind}); refer to a summed indicator`);
      }
    }
    if (agg.kind === 'distinct_count') {
      const ledger = ledgerById.get(agg.ledger);
      if (!ledger) throw new ConfigError('shared/core/catalogue/indicators.json', where('aggregation.ledger'), `unknown ledger "${agg.ledger}"`);
      if (!ledger.columns.some((c) => c.id === agg.field)) {
        throw new ConfigError('shared/core/catalogue/indicators.json', where('aggregation.field'), `ledger "${ledger.id}" has no column "${agg.field}"`);
      }
    }
  });
  catalogue.checks.forEach((check, i) => {
    const refs = check.kind === 'sum_equals' ? [...check.parts, check.total] : check.kind === 'lte' ? [check.lesser, check.greater] : [check.indicator];
    for (const ref of refs) {
      if (!indicatorById.has(ref)) throw new ConfigError('shared/core/catalogue/checks.json', `[${i}](${check.id})`, `unknown indicator "${ref}"`);
    }
  });
  return { ...catalogue, indicatorById, ledgerById };
}

function uniqueById<T extends { id: string }>(items: readonly T[], file: string): Map<string, T> {
  const map = new Map<string, T>();
  items.forEach((item, i) => {
    if (map.has(item.id)) throw new ConfigError(`shared/core/catalogue/${file}.json`, `[${i}].id`, `duplicate id "${item.id}"`);
    map.set(item.id, item);
  });
  return map;
}
