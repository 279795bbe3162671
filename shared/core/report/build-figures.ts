import type { LoadedCatalogue } from '../catalogue/load';
import type { IndicatorDef, Submitter } from '../catalogue/schema';
import type { Unit } from '../county/schema';
import type { Figure, FigureSource, ReportWarning } from './schema';
import type { UnitIndicatorValue, UnitValues } from './unit-values';

/** One accepted submission with the per-unit values already derived. */
export interface UnitContribution {
  unit: Unit;
  s3Key: string;
  versionId: string;
  ledgers: Readonly<Record<string, readonly { row: number; fields: Record<string, unknown> }[]>>;
  values: UnitValues;
}

/** Units a submitter list designates, in the county config's order. */
export function expectedUnitIds(submitters: readonly Submitter[], units: readonly Unit[]): string[] {
  return units
    .filter((unit) => submitters.some((s) => (s.kind === 'role' ? unit.roles.includes(s.role) : unit.groups.includes(s.group))))
    .map((unit) => unit.id);
}

/** "1000余", "517", "66.7": what the report prints before the measure word. */
export function displayValue(value: number | null, approximate: boolean): string {
  if (value === null) return '';
  const text = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(1)));
  return approximate ? `${text}余` : text;
}

/**
 * County figures from unit values, one per catalogue indicator that this
 * county expects or that some unit reported. Derived kinds (ratio) are
 * computed after the figures they read.
 */
export function aggregateFigures(
  catalogue: LoadedCatalogue,
  units: readonly Unit[],
  contributions: readonly UnitContribution[],
): { figures: Figure[]; warnings: ReportWarning[] } {
  const warnings: ReportWarning[] = [];
  const byId = new Map<string, Figure>();
  const ordered = [...catalogue.indicators].sort((a, b) => derivedRank(a) - derivedRank(b));

  for (const def of ordered) {
    const expected = expectedUnitIds(def.submittedBy, units);
    const figure = aggregateOne((id) => catalogue.indicatorById.get(id)!, def, expected, contributions, byId, units);
    for (const source of figure.sources) {
      // Data from a unit nobody asked is kept (dropping it would lose a real figure) but flagged.
      if (def.aggregation.kind !== 'ratio' && !expected.includes(source.unitId) && !isCoverage(def)) {
        warnings.push({
          code: 'UNEXPECTED_SUBMITTER',
          message: `${source.unitName}报送了“${def.name}”，但该指标不由其报送；已计入合计，请核实`,
          indicatorId: def.id,
          unitId: source.unitId,
        });
      }
    }
    byId.set(def.id, figure);
  }
  const figures = catalogue.indicators
    .map((def) => byId.get(def.id)!)
    .filter((figure) => figure.expectedUnits.length > 0 || figure.value !== null);
  return { figures, warnings };
}

const isCoverage = (def: IndicatorDef) => def.aggregation.kind === 'coverage_count' || def.aggregation.kind === 'coverage_share';
const derivedRank = (def: IndicatorDef) => (def.aggregation.kind === 'ratio' ? 1 : 0);

function aggregateOne(
  catalogueIndicator: (id: string) => IndicatorDef,
  def: IndicatorDef,
  expected: string[],
  contributions: readonly UnitContribution[],
  computed: ReadonlyMap<string, Figure>,
  units: readonly Unit[],
): Figure {
  const agg = def.aggregation;
  const base = { indicatorId: def.id, name: def.name, unit: def.unit, expectedUnits: expected };
  // A ledger implies many indicators; only those the unit answers for count. A number the
  // unit typed itself is kept even when nobody asked (and flagged by the caller).
  const valuesOf = (indicatorId: string) =>
    contributions.flatMap((c) => {
      const v = c.values.values.get(indicatorId);
      const target = indicatorId === def.id ? expected : expectedFor(indicatorId);
      return v && (v.origin === 'summary' || target.includes(c.unit.id)) ? [{ c, v }] : [];
    });
  const expectedFor = (indicatorId: string) => expectedUnitIds(catalogueIndicator(indicatorId).submittedBy, units);

  switch (agg.kind) {
    case 'sum':
    case 'max': {
      const found = valuesOf(def.id);
      if (found.length === 0) return emptyFigure(base);
      const picked = agg.kind === 'sum' ? found : [found.reduce((best, x) => (x.v.value > best.v.value ? x : best))];
      const value = picked.reduce((t, x) => t + x.v.value, 0);
      const approximate = picked.some((x) => x.v.approximate);
      return figure(base, value, approximate, found.map((x) => sourceOf(x.c, x.v)));
    }
    case 'distinct_count': {
      const distinct = new Set<string>();
      let summaryExtra = 0;
      let approximate = false;
      const sources: FigureSource[] = [];
      for (const c of contributions) {
        const rows = c.ledgers[agg.ledger];
        if (rows) {
          const own = new Set(rows.map((r) => r.fields[agg.field]).filter((v) => v !== null && v !== undefined && String(v).trim() !== '').map((v) => String(v).trim()));
          own.forEach((v) => distinct.add(v));
          sources.push({ ...sourceBase(c), value: own.size, approximate: false, location: { ledger: agg.ledger, rows: rows.length } });
          continue;
        }
        // A unit without the ledger may still have typed the number; it cannot be de-duplicated.
        const v = c.values.values.get(def.id);
        if (v) {
          summaryExtra += v.value;
          approximate ||= v.approximate;
          sources.push(sourceOf(c, v));
        }
      }
      if (sources.length === 0) return emptyFigure(base);
      return figure(base, distinct.size + summaryExtra, approximate, sources);
    }
    case 'coverage_count':
    case 'coverage_share': {
      const target = agg.of ?? def.id;
      const found = valuesOf(target).filter((x) => expected.includes(x.c.unit.id));
      if (found.length === 0 || expected.length === 0) return emptyFigure(base);
      const covered = found.filter((x) => x.v.value > 0).length;
      const value = agg.kind === 'coverage_count' ? covered : round2((covered / expected.length) * 100);
      return figure(base, value, false, found.map((x) => sourceOf(x.c, x.v)));
    }
    case 'ratio': {
      const numerator = computed.get(agg.numerator);
      const denominator = computed.get(agg.denominator);
      const expectedUnion = units
        .map((u) => u.id)
        .filter((id) => numerator?.expectedUnits.includes(id) || denominator?.expectedUnits.includes(id));
      const withExpected = { ...base, expectedUnits: expectedUnion };
      if (!numerator || !denominator || numerator.value === null || denominator.value === null || denominator.value === 0) {
        return emptyFigure(withExpected);
      }
      const value = round2((numerator.value / denominator.value) * agg.scale);
      return figure(withExpected, value, numerator.approximate || denominator.approximate, [...numerator.sources, ...denominator.sources]);
    }
  }
}

type FigureBase = Pick<Figure, 'indicatorId' | 'name' | 'unit' | 'expectedUnits'>;

function emptyFigure(base: FigureBase): Figure {
  return { ...base, value: null, approximate: false, display: '', sources: [], reportingUnits: [] };
}

function figure(base: FigureBase, value: number, approximate: boolean, sources: FigureSource[]): Figure {
  const reportingUnits = [...new Set(sources.map((s) => s.unitId))];
  return { ...base, value, approximate, display: displayValue(value, approximate), sources, reportingUnits };
}

function sourceBase(c: UnitContribution) {
  return { unitId: c.unit.id, unitName: c.unit.name, s3Key: c.s3Key, versionId: c.versionId };
}

function sourceOf(c: UnitContribution, v: UnitIndicatorValue): FigureSource {
  return { ...sourceBase(c), value: v.value, approximate: v.approximate, location: v.location };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
