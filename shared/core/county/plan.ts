import type { LoadedCatalogue } from '../catalogue/load';
import type { IndicatorDef, LedgerDef, Submitter } from '../catalogue/schema';
import type { ReportTemplate } from '../template/schema';
import { templateClaimIndicatorIds, templateFigureIds } from '../template/validate';
import type { CountyConfig, Unit } from './schema';

/**
 * What a county's report for one year collects, and from whom. A unit is
 * asked only for what that year's template prints (and what the county lists
 * under `catalogue.alsoCollect`): an indicator no sentence uses is not asked,
 * so no clerk types a number nobody reads.
 *
 * Collected:
 *   - every indicator a {{fig:…}} placeholder names;
 *   - the inputs of those that are computed (a ratio's numerator and
 *     denominator, the parts of a total, the indicator a coverage figure tests);
 *   - the ledgers those indicators are derived from;
 *   - whatever `alsoCollect` names.
 */
export interface CollectionPlan {
  readonly catalogue: LoadedCatalogue;
  /** Indicator and ledger ids collected this year. */
  readonly collected: ReadonlySet<string>;
  /** Units whose absence is flagged: every unit not marked optional. */
  readonly expectedUnitIds: readonly string[];
  /** Whether the unit is asked for this indicator or ledger this year. */
  asks(unit: Unit, item: IndicatorDef | LedgerDef): boolean;
  /** The non-optional units asked for an indicator or ledger, in config order ([] when not collected). */
  expectedUnitsOf(item: IndicatorDef | LedgerDef): string[];
  /** The indicators a unit is asked for (computed ones included), in catalogue order. */
  indicatorsFor(unit: Unit): IndicatorDef[];
  ledgersFor(unit: Unit): LedgerDef[];
}

/** Whether a unit is one of the submitters a definition names. */
export function unitMatches(unit: Unit, submitters: readonly Submitter[]): boolean {
  return submitters.some((s) => (s.kind === 'role' ? unit.roles.includes(s.role) : s.kind === 'group' ? unit.groups.includes(s.group) : unit.id === s.unit));
}

/**
 * Rates and coverage figures are computed when units are combined (a ratio of
 * two sums, a count of units reporting), so no unit types them.
 */
export function isComputedIndicator(def: IndicatorDef): boolean {
  const kind = def.aggregation.kind;
  return kind === 'ratio' || kind === 'sum_of' || kind === 'coverage_count' || kind === 'coverage_share';
}

/** The indicators a computed one reads. */
export function inputsOf(def: IndicatorDef): string[] {
  const agg = def.aggregation;
  if (agg.kind === 'ratio') return [agg.numerator, agg.denominator];
  if (agg.kind === 'sum_of') return agg.parts;
  if ((agg.kind === 'coverage_count' || agg.kind === 'coverage_share') && agg.of) return [agg.of];
  return [];
}

/** The ledger that supplies this indicator when the unit keeps one (a derivation, or the ledger a distinct count reads). */
export function supplyingLedger(def: IndicatorDef): string | undefined {
  return def.fromLedger?.ledger ?? (def.aggregation.kind === 'distinct_count' ? def.aggregation.ledger : undefined);
}

export function collectedIds(catalogue: LoadedCatalogue, template: ReportTemplate, alsoCollect: readonly string[]): Set<string> {
  const collected = new Set<string>();
  const visit = (id: string) => {
    if (collected.has(id)) return;
    const def = catalogue.indicatorById.get(id);
    if (!def) {
      if (catalogue.ledgerById.has(id)) collected.add(id);
      return;
    }
    collected.add(id);
    inputsOf(def).forEach(visit);
    const ledger = supplyingLedger(def);
    if (ledger) collected.add(ledger);
  };
  templateFigureIds(template).forEach(visit);
  templateClaimIndicatorIds(template, catalogue).forEach(visit);
  alsoCollect.forEach(visit);
  return collected;
}

export function makeCollectionPlan(catalogue: LoadedCatalogue, config: CountyConfig, template: ReportTemplate): CollectionPlan {
  const collected = collectedIds(catalogue, template, config.catalogue.alsoCollect);
  const units = config.units;
  const asks = (unit: Unit, item: IndicatorDef | LedgerDef) => collected.has(item.id) && unitMatches(unit, item.submittedBy);
  const expectedCache = new Map<string, string[]>();
  return {
    catalogue,
    collected,
    expectedUnitIds: units.filter((u) => !u.optional).map((u) => u.id),
    asks,
    expectedUnitsOf(item) {
      let ids = expectedCache.get(item.id);
      if (!ids) {
        ids = units.filter((u) => !u.optional && asks(u, item)).map((u) => u.id);
        expectedCache.set(item.id, ids);
      }
      return ids;
    },
    indicatorsFor: (unit) => catalogue.indicators.filter((def) => asks(unit, def)),
    ledgersFor: (unit) => catalogue.ledgers.filter((def) => asks(unit, def)),
  };
}
