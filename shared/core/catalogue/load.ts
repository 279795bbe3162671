import { ConfigError } from '../errors';
import { ConfigProblems, jsonPath, parseConfig } from '../config/problems';
import * as z from 'zod/mini';
import { Catalogue, CatalogueSchema, CrossCheck, CrossCheckSchema, IndicatorDef, IndicatorDefSchema, LedgerDef, LedgerDefSchema, valueTypeOf } from './schema';
import indicators from './indicators.json';
import ledgers from './ledgers.json';
import checks from './checks.json';

/**
 * A catalogue: indicators, ledgers and cross-checks, checked with zod and
 * cross-referenced (every id a derivation, ratio or check names must exist).
 * The national one is bundled JSON; a county's is the national one less what
 * it excludes, plus its own definitions, with its own assignments applied
 * (shared/core/county/load.ts). A mistake names the file and the JSON path.
 */
export interface LoadedCatalogue extends Catalogue {
  indicatorById: ReadonlyMap<string, IndicatorDef>;
  ledgerById: ReadonlyMap<string, LedgerDef>;
  /** The file an indicator, ledger or check was defined in, for messages. */
  fileOf: (id: string) => string;
}

export const NATIONAL_FILES = {
  indicators: 'shared/core/catalogue/indicators.json',
  ledgers: 'shared/core/catalogue/ledgers.json',
  checks: 'shared/core/catalogue/checks.json',
} as const;

/** A definition with the file and array index it came from. */
export interface Sourced<T> {
  def: T;
  file: string;
  index: number;
}

let cached: LoadedCatalogue | undefined;

/** The national catalogue: what any county's report may state. */
export function loadCatalogue(): LoadedCatalogue {
  cached ??= validateCatalogue({ version: 1, indicators, ledgers, checks });
  return cached;
}

/** The national catalogue's files as bundled, unparsed: what a county snapshot's hash covers. */
export function nationalSources(): unknown {
  return { indicators, ledgers, checks };
}

/** The national catalogue's definitions with where each came from, for merging into a county's. */
export function nationalDefinitions(): { indicators: Sourced<IndicatorDef>[]; ledgers: Sourced<LedgerDef>[]; checks: Sourced<CrossCheck>[] } {
  const national = loadCatalogue();
  return {
    indicators: national.indicators.map((def, index) => ({ def, file: NATIONAL_FILES.indicators, index })),
    ledgers: national.ledgers.map((def, index) => ({ def, file: NATIONAL_FILES.ledgers, index })),
    checks: national.checks.map((def, index) => ({ def, file: NATIONAL_FILES.checks, index })),
  };
}

/** Checks the national catalogue's files; the first problem is thrown as a ConfigError. */
export function validateCatalogue(input: unknown): LoadedCatalogue {
  const problems = new ConfigProblems();
  const parsed = CatalogueSchema.safeParse(input, { jitless: true }); // parsed once: see parseConfig
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [part, ...rest] = issue.path;
    throw new ConfigError(`shared/core/catalogue/${String(part)}.json`, jsonPath(rest as PropertyKey[]), issue.message);
  }
  const sourced = <T>(items: readonly T[], file: string) => items.map((def, index) => ({ def, file, index }));
  const catalogue = assembleCatalogue(
    sourced(parsed.data.indicators, NATIONAL_FILES.indicators),
    sourced(parsed.data.ledgers, NATIONAL_FILES.ledgers),
    sourced(parsed.data.checks, NATIONAL_FILES.checks),
    problems,
  );
  problems.throwIfAny();
  return catalogue;
}

/** Reads one of a county's catalogue files (an array of definitions). */
export function parseDefinitions<T>(schema: z.ZodMiniType<T>, value: unknown, file: string, problems: ConfigProblems): Sourced<T>[] {
  const parsed = parseConfig(z.array(schema), value, file, problems);
  return (parsed ?? []).map((def, index) => ({ def, file, index }));
}
export const COUNTY_DEFINITION_SCHEMAS = { indicators: IndicatorDefSchema, ledgers: LedgerDefSchema, checks: CrossCheckSchema } as const;

/**
 * Builds a catalogue from definitions that may come from several files, and
 * records every broken reference as a problem naming the file that holds it.
 */
export function assembleCatalogue(
  indicatorDefs: readonly Sourced<IndicatorDef>[],
  ledgerDefs: readonly Sourced<LedgerDef>[],
  checkDefs: readonly Sourced<CrossCheck>[],
  problems: ConfigProblems,
): LoadedCatalogue {
  const fileById = new Map<string, string>();
  const unique = <T extends { id: string }>(items: readonly Sourced<T>[]) => {
    const map = new Map<string, T>();
    for (const { def, file, index } of items) {
      if (map.has(def.id)) {
        problems.error(file, `[${index}].id`, `duplicate id "${def.id}" (also defined in ${fileById.get(def.id)})`);
        continue;
      }
      map.set(def.id, def);
      // Indicators come first: a ledger or check that shares an indicator's id does not take over its file in messages.
      if (!fileById.has(def.id)) fileById.set(def.id, file);
    }
    return map;
  };
  const indicatorById = unique(indicatorDefs);
  const ledgerById = unique(ledgerDefs);
  const checkById = unique(checkDefs);

  for (const { def: ind, file, index } of indicatorDefs) {
    const where = (field: string) => `[${index}](${ind.id}).${field}`;
    if (ind.fromLedger) {
      const ledger = ledgerById.get(ind.fromLedger.ledger);
      if (!ledger) problems.error(file, where('fromLedger.ledger'), `unknown ledger "${ind.fromLedger.ledger}"`);
      else {
        const fields = [ind.fromLedger.field, ...Object.keys(ind.fromLedger.where ?? {})].filter((f): f is string => !!f);
        for (const f of fields) {
          if (!ledger.columns.some((c) => c.id === f)) problems.error(file, where('fromLedger'), `ledger "${ledger.id}" has no column "${f}"`);
        }
      }
    }
    const agg = ind.aggregation;
    const indicatorRefs =
      agg.kind === 'ratio'
        ? [agg.numerator, agg.denominator]
        : agg.kind === 'sum_of'
          ? agg.parts
          : (agg.kind === 'coverage_count' || agg.kind === 'coverage_share') && agg.of
            ? [agg.of]
            : [];
    for (const ref of indicatorRefs) {
      const target = indicatorById.get(ref);
      if (!target) {
        problems.error(file, where('aggregation'), `unknown indicator "${ref}"`);
        continue;
      }
      // A ratio of ratios, or coverage of a coverage, has no per-unit meaning we could aggregate;
      // a county-level sum (sum_of) may be a ratio's part, but has no per-unit value to cover.
      const kind = target.aggregation.kind;
      const derived = kind === 'ratio' || kind.startsWith('coverage') || (kind === 'sum_of' && agg.kind !== 'ratio');
      if (derived) problems.error(file, where('aggregation'), `"${ref}" is itself derived (${kind}); refer to a summed indicator`);
    }
    if (agg.kind === 'distinct_count') {
      const ledger = ledgerById.get(agg.ledger);
      if (!ledger) problems.error(file, where('aggregation.ledger'), `unknown ledger "${agg.ledger}"`);
      else if (!ledger.columns.some((c) => c.id === agg.field)) problems.error(file, where('aggregation.field'), `ledger "${ledger.id}" has no column "${agg.field}"`);
    }
    const yesNo = agg.kind === 'all' || agg.kind === 'any';
    if (yesNo && ind.valueType !== undefined && ind.valueType !== 'yesno') {
      problems.error(file, where('valueType'), `aggregation "${agg.kind}" combines yes/no facts; valueType must be "yesno"`);
    }
    // A rate or an amount has decimals no numeral form prints; a count (whole numbers) always has one.
    if (ind.printIn === '汉字' && valueTypeOf(ind) !== 'count') {
      problems.error(file, where('printIn'), `"printIn": "汉字" prints whole counts in Chinese numerals; this indicator is a ${valueTypeOf(ind)}`);
    }
    if (ind.valueType === 'yesno' && !yesNo) {
      problems.error(file, where('aggregation'), 'a yes/no indicator combines with "all" (yes when every unit says yes) or "any"');
    }
  }
  for (const { def: check, file, index } of checkDefs) {
    const refs = check.kind === 'sum_equals' ? [...check.parts, check.total] : check.kind === 'lte' ? [check.lesser, check.greater] : [check.indicator];
    for (const ref of refs) {
      if (!indicatorById.has(ref)) problems.error(file, `[${index}](${check.id})`, `unknown indicator "${ref}"`);
    }
  }
  return {
    version: 1,
    indicators: [...indicatorById.values()],
    ledgers: [...ledgerById.values()],
    checks: [...checkById.values()],
    indicatorById,
    ledgerById,
    fileOf: (id) => fileById.get(id) ?? 'catalogue',
  };
}
