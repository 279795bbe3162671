import type { LoadedCatalogue } from '../catalogue/load';
import { valueTypeOf, type IndicatorDef } from '../catalogue/schema';
import type { CollectionPlan } from '../county/plan';
import type { Unit } from '../county/schema';
import { chineseNumeral } from './chinese-numerals';
import { combineQualifiers, inWan, roundApproximate, withQualifier } from './qualifier';
import type { Figure, FigureSource, ReportWarning } from './schema';
import type { UnitIndicatorValue, UnitValues } from './unit-values';

/** One accepted submission with the per-unit values already derived. */
export interface UnitContribution {
  unit: Unit;
  s3Key: string;
  versionId: string;
  ledgers: Readonly<Record<string, readonly { row: number; fields: Record<string, unknown> }[]>>;
  values: UnitValues;
  /** Indicators the unit declared 暂无数据 for. */
  noData?: ReadonlySet<string>;
}

/** "1000余", "近60", "517", "66.7", "1.3万", "三", "近千", "实现": what the report prints before the measure word. */
export function displayFigure(
  def: Pick<IndicatorDef, 'valueType' | 'unit' | 'aggregation' | 'printIn' | 'yesText' | 'noText' | 'decimals'>,
  value: number | null,
  qualifier?: string,
  /** The value is a combination of several approximate parts: printed as a round number (qualifier.ts). */
  combined = false,
): string {
  if (value === null) return '';
  const type = valueTypeOf(def);
  if (type === 'yesno') return value >= 1 ? (def.yesText ?? '是') : (def.noText ?? '否');
  const round = combined && qualifier !== undefined && (type === 'count' || type === 'amount') ? roundApproximate(value, qualifier) : value;
  if (def.printIn === '万') {
    const wan = inWan(round, def.decimals ?? 1, qualifier);
    return withQualifier(wan.text, wan.qualifier);
  }
  if (def.printIn === '汉字') {
    // A count only ever holds whole numbers; a value with no numeral form (a fraction) still prints, in digits.
    const numeral = chineseNumeral(round, { qualified: qualifier !== undefined });
    if (numeral !== undefined) return withQualifier(numeral, qualifier);
  }
  const text = Number.isInteger(round) ? String(round) : String(Number(round.toFixed(def.decimals ?? 1)));
  return withQualifier(text, qualifier);
}

/**
 * County figures from unit values, one per indicator that this year's report
 * collects or that some unit reported. Derived kinds (ratio) are computed
 * after the figures they read.
 */
export function aggregateFigures(plan: CollectionPlan, contributions: readonly UnitContribution[]): { figures: Figure[]; warnings: ReportWarning[] } {
  const catalogue = plan.catalogue;
  const warnings: ReportWarning[] = [];
  const byId = new Map<string, Figure>();
  const ordered = [...catalogue.indicators].sort((a, b) => derivedRank(a) - derivedRank(b));

  for (const def of ordered) {
    const expected = plan.expectedUnitsOf(def);
    const figure = aggregateOne(catalogue, plan, def, expected, contributions, byId);
    for (const source of figure.sources) {
      // Data from a unit nobody asked is kept (dropping it would lose a real figure) but flagged.
      if (def.aggregation.kind !== 'ratio' && !isCoverage(def) && !expected.includes(source.unitId) && !plan.asks(unitOf(contributions, source.unitId), def)) {
        warnings.push({
          code: 'UNEXPECTED_SUBMITTER',
          message: `${source.unitName}报送了“${def.name}”，但该指标不由其报送；已计入合计，请核实`,
          indicatorId: def.id,
          unitId: source.unitId,
        });
      }
    }
    const noDataUnits = contributions.filter((c) => c.noData?.has(def.id)).map((c) => c.unit.id);
    byId.set(def.id, noDataUnits.length > 0 ? { ...figure, noDataUnits } : figure);
  }
  const figures = catalogue.indicators
    .map((def) => byId.get(def.id)!)
    .filter((figure) => figure.expectedUnits.length > 0 || figure.value !== null);
  return { figures, warnings };
}

const unitOf = (contributions: readonly UnitContribution[], unitId: string) => contributions.find((c) => c.unit.id === unitId)!.unit;
const isCoverage = (def: IndicatorDef) => def.aggregation.kind === 'coverage_count' || def.aggregation.kind === 'coverage_share';
/** County-level sums first, then the ratios that may read them. */
const derivedRank = (def: IndicatorDef) => (def.aggregation.kind === 'ratio' ? 2 : def.aggregation.kind === 'sum_of' ? 1 : 0);

function aggregateOne(
  catalogue: LoadedCatalogue,
  plan: CollectionPlan,
  def: IndicatorDef,
  expected: string[],
  contributions: readonly UnitContribution[],
  computed: ReadonlyMap<string, Figure>,
): Figure {
  const agg = def.aggregation;
  const base: FigureBase = { def, expectedUnits: expected };
  // A ledger implies many indicators; only those the unit answers for count. A number the
  // unit typed itself is kept even when nobody asked (and flagged by the caller).
  const valuesOf = (indicatorId: string) => {
    const target = catalogue.indicatorById.get(indicatorId)!;
    return contributions.flatMap((c) => {
      const v = c.values.values.get(indicatorId);
      return v && (v.origin === 'summary' || plan.asks(c.unit, target)) ? [{ c, v }] : [];
    });
  };

  switch (agg.kind) {
    case 'sum':
    case 'max':
    case 'mean': {
      const found = valuesOf(def.id);
      if (found.length === 0) return emptyFigure(base);
      const picked = agg.kind === 'max' ? [found.reduce((best, x) => (x.v.value > best.v.value ? x : best))] : found;
      const total = picked.reduce((t, x) => t + x.v.value, 0);
      const value = agg.kind === 'mean' ? round2(total / picked.length) : total;
      // A mean of approximate values is only "about" that much.
      const qualifier = agg.kind === 'mean' && picked.some((x) => x.v.approximate) ? '约' : combineQualifiers(picked.map((x) => x.v));
      return figure(base, value, qualifier, found.map((x) => sourceOf(x.c, x.v)));
    }
    case 'all':
    case 'any': {
      const found = valuesOf(def.id);
      if (found.length === 0) return emptyFigure(base);
      const yes = found.filter((x) => x.v.value >= 1).length;
      // "全覆盖" is only true when every expected unit has said yes: a missing unit is not a yes.
      const everyExpectedSaidYes = expected.every((id) => found.some((x) => x.c.unit.id === id && x.v.value >= 1));
      const value = agg.kind === 'all' ? (yes === found.length && everyExpectedSaidYes ? 1 : 0) : yes > 0 ? 1 : 0;
      return figure(base, value, undefined, found.map((x) => sourceOf(x.c, x.v)));
    }
    case 'distinct_count': {
      const distinct = new Set<string>();
      let summaryExtra = 0;
      const extras: UnitIndicatorValue[] = [];
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
          extras.push(v);
          sources.push(sourceOf(c, v));
        }
      }
      if (sources.length === 0) return emptyFigure(base);
      return figure(base, distinct.size + summaryExtra, combineQualifiers(extras), sources);
    }
    case 'coverage_count':
    case 'coverage_share': {
      const target = agg.of ?? def.id;
      const found = valuesOf(target).filter((x) => expected.includes(x.c.unit.id));
      if (found.length === 0 || expected.length === 0) return emptyFigure(base);
      const covered = found.filter((x) => x.v.value > 0).length;
      const value = agg.kind === 'coverage_count' ? covered : round2((covered / expected.length) * 100);
      return figure(base, value, undefined, found.map((x) => sourceOf(x.c, x.v)));
    }
    case 'sum_of': {
      const parts = agg.parts.map((id) => computed.get(id));
      const expectedUnion = plan.collected.has(def.id) ? plan.expectedUnitIds.filter((id) => parts.some((p) => p?.expectedUnits.includes(id))) : [];
      const withExpected = { ...base, expectedUnits: expectedUnion };
      // A total with a part unknown would understate: it stays empty (待补充) until every part has data.
      if (parts.some((p) => !p || p.value === null)) return emptyFigure(withExpected);
      const known = parts as Figure[];
      const sources = known.flatMap((p) => p.sources.map((s) => ({ ...s, partIndicatorId: p.indicatorId })));
      return figure(withExpected, known.reduce((t, p) => t + p.value!, 0), combineQualifiers(known), sources);
    }
    case 'ratio': {
      const numerator = computed.get(agg.numerator);
      const denominator = computed.get(agg.denominator);
      // A rate this year's report does not print expects nobody, even when its parts are collected for other sentences.
      const expectedUnion = plan.collected.has(def.id) ? plan.expectedUnitIds.filter((id) => numerator?.expectedUnits.includes(id) || denominator?.expectedUnits.includes(id)) : [];
      const withExpected = { ...base, expectedUnits: expectedUnion };
      if (!numerator || !denominator || numerator.value === null || denominator.value === null || denominator.value === 0) {
        return emptyFigure(withExpected);
      }
      const value = round2((numerator.value / denominator.value) * agg.scale);
      // A ratio of approximate parts is only "about" right, whatever their bounds.
      const qualifier = numerator.approximate || denominator.approximate ? '约' : undefined;
      const parts = [
        ...numerator.sources.map((s) => ({ ...s, part: 'numerator' as const, partIndicatorId: agg.numerator })),
        ...denominator.sources.map((s) => ({ ...s, part: 'denominator' as const, partIndicatorId: agg.denominator })),
      ];
      return figure(withExpected, value, qualifier, parts);
    }
  }
}

interface FigureBase {
  def: IndicatorDef;
  expectedUnits: string[];
}

function emptyFigure({ def, expectedUnits }: FigureBase): Figure {
  return { indicatorId: def.id, name: def.name, unit: def.unit, expectedUnits, value: null, approximate: false, display: '', sources: [], reportingUnits: [] };
}

function figure({ def, expectedUnits }: FigureBase, value: number, qualifier: string | undefined, sources: FigureSource[]): Figure {
  const reportingUnits = [...new Set(sources.map((s) => s.unitId))];
  return {
    indicatorId: def.id,
    name: def.name,
    unit: def.unit,
    expectedUnits,
    value,
    approximate: qualifier !== undefined,
    ...(qualifier !== undefined ? { qualifier } : {}),
    // A sum of approximate parts prints as a round number; one clerk's own "659余" prints as written.
    display: displayFigure(def, value, qualifier, SUMMED.has(def.aggregation.kind) && sources.filter((s) => s.approximate).length > 0 && sources.length > 1),
    sources,
    reportingUnits,
  };
}

function sourceBase(c: UnitContribution) {
  return { unitId: c.unit.id, unitName: c.unit.name, s3Key: c.s3Key, versionId: c.versionId };
}

function sourceOf(c: UnitContribution, v: UnitIndicatorValue): FigureSource {
  return { ...sourceBase(c), value: v.value, approximate: v.approximate, ...(v.qualifier ? { qualifier: v.qualifier } : {}), location: v.location };
}

const SUMMED = new Set(['sum', 'sum_of', 'distinct_count']);
const round2 = (n: number) => Math.round(n * 100) / 100;
