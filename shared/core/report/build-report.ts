import { chineseDate, chineseDateTime, deadlineInstant } from '../county/time';
import type { Aggregation } from '../catalogue/schema';
import type { LoadedCounty } from '../county/load';
import type { Unit } from '../county/schema';
import type { NormalizedSubmission } from '../submission/normalized';
import { catalogueNames, changeLines, type SubmissionChanges } from '../submission/changes';
import { validateTemplate } from '../template/validate';
import { buildDocument } from './build-document';
import { aggregateFigures, type UnitContribution } from './build-figures';
import type { CollectionPlan } from '../county/plan';
import { REPORT_SCHEMA_ID, ReportSchema, type Completeness, type Figure, type Report, type ReportWarning, type UnitStatus } from './schema';
import { unitIndicatorValues } from './unit-values';
import { checkWarnings, claimVerdict, evaluateChecks } from './checks';
import { inputsOf } from '../county/plan';
import type { LoadedCatalogue } from '../catalogue/load';

export interface CurrentSubmission {
  unitId: string;
  s3Key: string;
  versionId: string;
  receivedAt: string /* ISO */;
  submission: NormalizedSubmission;
  /** What this version changed against the unit's earlier submission (ingest records it on the current pointer). */
  changes?: SubmissionChanges;
}
export interface RejectedUpload {
  unitId: string;
  s3Key: string;
  versionId: string;
  receivedAt: string;
  problemCount: number;
}
/** The office's last review of a unit's current submission was 退回修改 (a portal review record). */
export interface ReturnedSubmission {
  unitId: string;
  comment?: string;
  by: string;
  at: string;
}

export interface BuildReportInput {
  county: LoadedCounty;
  /** Units whose current submission the office returned for correction. */
  returned?: readonly ReturnedSubmission[];
  year: number;
  submissions: readonly CurrentSubmission[];
  rejected: readonly RejectedUpload[];
  previous?: Report;
  generatedAt: Date;
  /** The year's lock, if the office has closed it: a run after it with units missing says so. */
  lock?: { lockedAt: string };
}

/**
 * The county's report from its units' current submissions. Pure: no I/O.
 * Steps:
 *   1. keep one current submission per known unit (latest wins);
 *      the county's catalogue and the year's collection plan say what is expected of whom;
 *   2. derive each unit's indicator values (summary, else its ledger);
 *   3. aggregate them into county figures with provenance;
 *   4. completeness, cross-checks and year-over-year outliers → warnings;
 *   5. render the year's template into document blocks;
 *   6. validate the whole value against ReportSchema.
 */
export function buildReport(input: BuildReportInput): Report {
  const { county, year } = input;
  const config = county.config;
  const template = county.template(year);
  const plan = county.plan(year);
  const catalogue = plan.catalogue;
  const templateFile = `${county.dir}/template.json`;
  validateTemplate(template, catalogue, templateFile);
  const warnings: ReportWarning[] = [];
  const unitById = new Map(config.units.map((u) => [u.id, u]));

  const current = latestPerUnit(input.submissions, unitById, year, config.id, warnings);
  const contributions: UnitContribution[] = [];
  for (const unit of config.units) {
    const sub = current.get(unit.id);
    if (!sub) continue;
    const values = unitIndicatorValues(sub.submission, catalogue);
    for (const id of values.unknownIndicators) {
      warnings.push({ code: 'UNKNOWN_INDICATOR', message: `${unit.name}报送了未知指标“${id}”，已忽略`, unitId: unit.id });
    }
    for (const v of values.values.values()) {
      const def = catalogue.indicatorById.get(v.indicatorId)!;
      if (v.approximate && !def.approximateAllowed) {
        warnings.push({
          code: 'APPROXIMATE_NOT_ALLOWED',
          message: `${unit.name}“${def.name}”填报了约数（${v.raw ?? `${v.value}余`}），该指标应填确数`,
          indicatorId: def.id,
          unitId: unit.id,
        });
      }
    }
    for (const d of values.disagreements) {
      const name = catalogue.indicatorById.get(d.indicatorId)!.name;
      warnings.push({
        code: 'LEDGER_MISMATCH',
        message: `${unit.name}“${name}”填报${d.summary}，但台账（${d.rows}行）计得${d.ledger}；报告采用台账统计数`,
        indicatorId: d.indicatorId,
        unitId: unit.id,
      });
    }
    const noData = new Set((sub.submission.noData ?? []).map((n) => n.indicatorId));
    for (const id of noData) {
      const def = catalogue.indicatorById.get(id);
      if (def) warnings.push({ code: 'NO_DATA_DECLARED', message: `${unit.name}“${def.name}”填报为暂无数据，合计数不含该单位`, indicatorId: id, unitId: unit.id });
    }
    contributions.push({ unit, s3Key: sub.s3Key, versionId: sub.versionId, ledgers: sub.submission.ledgers, values, noData });
  }

  const aggregated = aggregateFigures(plan, contributions);
  for (const figure of aggregated.figures) figure.aggregation = aggregationOf(catalogue.indicatorById.get(figure.indicatorId)!.aggregation);
  warnings.push(...aggregated.warnings);
  nameSources(aggregated.figures, catalogue);
  const figureById = new Map(aggregated.figures.map((f) => [f.indicatorId, f]));
  // Template placeholders must resolve even for indicators this county expects from nobody.
  for (const def of catalogue.indicators) {
    if (!figureById.has(def.id)) {
      figureById.set(def.id, { indicatorId: def.id, name: def.name, unit: def.unit, value: null, approximate: false, display: '', sources: [], expectedUnits: [], reportingUnits: [] });
    }
  }

  const completeness = buildCompleteness(input, plan, current, unitById);
  // A later file replaces the unit's whole submission: what it left out is gone from the report, and the office is told by name.
  const names = catalogueNames(catalogue);
  for (const u of completeness.units) {
    const changes = u.status === 'accepted' ? current.get(u.unitId)?.changes : undefined;
    if (!changes) continue;
    const lines = changeLines(changes, names);
    u.replaced = lines;
    if (lines.dropped.length) {
      const file = u.s3Key ? u.s3Key.slice(u.s3Key.lastIndexOf('/') + 1) : '';
      warnings.push({
        code: 'SUBMISSION_DROPPED',
        message: `${u.unitName}最新报送的“${file}”替换了此前的“${lines.replaced}”，不再包含${lines.dropped.length}项：${lines.dropped.join('、')}。这些数字和台账已不计入报告，请与该单位核实是否有意删除`,
        unitId: u.unitId,
      });
    }
  }
  // A submission the office returned for correction is still counted, but its figures are not yet the unit's word (issue 13).
  for (const r of input.returned ?? []) {
    const u = completeness.units.find((x) => x.unitId === r.unitId && x.status === 'accepted');
    if (!u) continue;
    u.returned = { by: r.by, at: r.at, ...(r.comment ? { comment: r.comment } : {}) };
    warnings.push({ code: 'SUBMISSION_RETURNED', message: `${u.unitName}的报送已被退回修改${r.comment ? `（${r.comment}）` : ''}，其数据在报告中标注，待重新报送`, unitId: u.unitId });
  }
  // A value computed without some expected units, or with a returned submission, is not the county's figure (issues 12, 13).
  const notIn = new Set(completeness.units.filter((u) => u.status !== 'accepted' || u.returned).map((u) => u.unitId));
  // 暂无数据 leaves a unit's share out as surely as a missing file does (issue 21): the total is partial, and so is all computed from it.
  const noDataOf = noDataClosure(aggregated.figures, catalogue);
  for (const figure of aggregated.figures) {
    if (figure.value === null) continue;
    const noDataUnits = noDataOf(figure.indicatorId);
    const missingUnits = [...new Set([...figure.expectedUnits.filter((u) => notIn.has(u)), ...noDataUnits])];
    if (missingUnits.length) figure.partial = { missingUnits, ...(noDataUnits.length ? { noDataUnits } : {}) };
  }
  for (const u of completeness.units) {
    if (u.status === 'missing') warnings.push({ code: 'UNIT_MISSING', message: `${u.unitName}未报送材料`, unitId: u.unitId });
    if (u.status === 'rejected') warnings.push({ code: 'UNIT_REJECTED', message: `${u.unitName}报送的文件未通过校验，需重新报送`, unitId: u.unitId });
    if (u.late) warnings.push({ code: 'UNIT_LATE', message: `${u.unitName}逾期报送（${u.receivedAt ? chineseDateTime(new Date(u.receivedAt), config.timeZone) : ''}）`, unitId: u.unitId });
  }
  const unitName = (id: string) => unitById.get(id)?.name ?? id;
  const checkResults = evaluateChecks(catalogue.checks, figureById, contributions, plan);
  warnings.push(...checkWarnings(checkResults, plan, unitName));
  if (input.previous) warnings.push(...outlierWarnings(aggregated.figures, input.previous, config.outlierFactor));

  const document = buildDocument({
    config,
    template,
    templateFile,
    year,
    figures: figureById,
    narratives: contributions.map((c) => ({ unit: c.unit, items: current.get(c.unit.id)!.submission.narratives })),
    completeness,
    notices: [templateNotice(input), lateRunNotice(input, completeness)].filter((n): n is string => n !== undefined),
    claimVerdict: (bindings) => claimVerdict(bindings, checkResults, figureById, plan, unitName),
  });
  warnings.push(...document.warnings);
  for (const figure of aggregated.figures) {
    const printed = document.printedUnits.get(figure.indicatorId);
    if (printed) figure.printedUnit = printed;
  }

  return ReportSchema.parse({
    schema: REPORT_SCHEMA_ID,
    county: config.id,
    countyName: config.name,
    year,
    generatedAt: input.generatedAt.toISOString(),
    timeZone: config.timeZone,
    title: document.title,
    figures: aggregated.figures,
    completeness,
    warnings,
    ...(document.claims.length ? { claims: document.claims } : {}),
    document: document.blocks,
  } satisfies Report);
}

/**
 * Sources named as the unit's file names them, so the office can find each value without reading ids: the
 * ledger's name (its sheet in a workbook), the indicator a JSON path holds, the indicator a part of a ratio or a
 * sum stands for.
 */
function nameSources(figures: readonly Figure[], catalogue: Pick<LoadedCounty['catalogue'], 'indicatorById' | 'ledgerById'>): void {
  for (const figure of figures) {
    for (const source of figure.sources) {
      const l = source.location;
      if (l.ledger !== undefined) {
        const name = catalogue.ledgerById.get(l.ledger)?.name;
        if (name) l.ledgerName = name;
      }
      const pathId = l.path === undefined ? undefined : /^indicators\.([^.[\]]+)/.exec(l.path)?.[1];
      const pathName = pathId === undefined ? undefined : catalogue.indicatorById.get(pathId)?.name;
      if (pathName) l.indicatorName = pathName;
      const partName = source.partIndicatorId === undefined ? undefined : catalogue.indicatorById.get(source.partIndicatorId)?.name;
      if (partName) source.partName = partName;
    }
  }
}

function latestPerUnit(
  submissions: readonly CurrentSubmission[],
  unitById: ReadonlyMap<string, Unit>,
  year: number,
  countyId: string,
  warnings: ReportWarning[],
): Map<string, CurrentSubmission> {
  const current = new Map<string, CurrentSubmission>();
  for (const sub of submissions) {
    if (!unitById.has(sub.unitId)) {
      warnings.push({ code: 'UNKNOWN_UNIT', message: `单位“${sub.unitId}”不在${countyId}的单位名单中，其材料未计入（${sub.s3Key}）`, unitId: sub.unitId });
      continue;
    }
    if (sub.submission.year !== year || sub.submission.county !== countyId) {
      warnings.push({
        code: 'WRONG_PERIOD',
        message: `${unitById.get(sub.unitId)!.name}的材料属于${sub.submission.county} ${sub.submission.year}年，未计入本报告（${sub.s3Key}）`,
        unitId: sub.unitId,
      });
      continue;
    }
    const seen = current.get(sub.unitId);
    if (!seen || Date.parse(sub.receivedAt) > Date.parse(seen.receivedAt)) current.set(sub.unitId, sub);
  }
  return current;
}

/**
 * Every unit in county.json is expected unless marked optional, including
 * units that submit only narrative text: an absence is always visible.
 */
function buildCompleteness(
  input: BuildReportInput,
  plan: CollectionPlan,
  current: ReadonlyMap<string, CurrentSubmission>,
  unitById: ReadonlyMap<string, Unit>,
): Completeness {
  const { county, year } = input;
  const units = county.config.units;
  const expected = new Set(plan.expectedUnitIds);
  const deadline = deadlineInstant(year, county.config.collection.deadline, county.config.timeZone);
  const latestRejected = new Map<string, RejectedUpload>();
  for (const r of input.rejected) {
    const seen = latestRejected.get(r.unitId);
    if (!seen || Date.parse(r.receivedAt) > Date.parse(seen.receivedAt)) latestRejected.set(r.unitId, r);
  }
  const statuses: UnitStatus[] = units
    .filter((u) => expected.has(u.id) || current.has(u.id) || latestRejected.has(u.id))
    .map((unit) => {
      const accepted = current.get(unit.id);
      const rejected = latestRejected.get(unit.id);
      const shown = accepted ?? rejected;
      return {
        unitId: unit.id,
        unitName: unitById.get(unit.id)!.name,
        status: accepted ? 'accepted' : rejected ? 'rejected' : 'missing',
        late: shown ? Date.parse(shown.receivedAt) > deadline : false,
        ...(shown ? { s3Key: shown.s3Key, versionId: shown.versionId, receivedAt: shown.receivedAt } : {}),
      };
    });
  const expectedStatuses = statuses.filter((u) => expected.has(u.unitId));
  return {
    expected: expected.size,
    submitted: expectedStatuses.filter((u) => u.status !== 'missing').length,
    accepted: expectedStatuses.filter((u) => u.status === 'accepted').length,
    late: statuses.filter((u) => u.late).length,
    missing: expectedStatuses.filter((u) => u.status === 'missing').length,
    units: statuses,
  };
}

function outlierWarnings(figures: readonly Figure[], previous: Report, factor: number): ReportWarning[] {
  const before = new Map(previous.figures.map((f) => [f.indicatorId, f]));
  const warnings: ReportWarning[] = [];
  for (const f of figures) {
    const p = before.get(f.indicatorId);
    // A change from or to zero has no factor; rates are bounded and compared by the range checks instead.
    if (!p || p.value === null || f.value === null || p.value === 0 || f.value === 0 || f.unit === '%') continue;
    const change = f.value / p.value;
    if (change > factor || change < 1 / factor) {
      warnings.push({
        code: 'YEAR_OVER_YEAR_OUTLIER',
        message: `“${f.name}”由上年${p.display}${p.unit}变为${f.display}${f.unit}，变化超过${factor}倍，请核实`,
        indicatorId: f.indicatorId,
      });
    }
  }
  return warnings;
}

/** The catalogue's aggregation as report.json records it: the kind and the indicators it reads. */
function aggregationOf(agg: Aggregation): NonNullable<Figure['aggregation']> {
  switch (agg.kind) {
    case 'coverage_count':
    case 'coverage_share':
      return { kind: agg.kind, ...(agg.of ? { of: agg.of } : {}) };
    case 'ratio':
      return { kind: agg.kind, numerator: agg.numerator, denominator: agg.denominator };
    default:
      return { kind: agg.kind };
  }
}

/**
 * A run after the deadline while expected units are still missing or
 * rejected says so on the draft's first page: the office must not take such
 * a draft for the county's report.
 */
function lateRunNotice(input: BuildReportInput, completeness: Completeness): string | undefined {
  const config = input.county.config;
  const deadline = deadlineInstant(input.year, config.collection.deadline, config.timeZone);
  const now = input.generatedAt.getTime();
  const locked = input.lock && Date.parse(input.lock.lockedAt) <= now ? input.lock : undefined;
  if (now <= deadline && !locked) return undefined;
  const absent = completeness.units.filter((u) => u.status !== 'accepted');
  if (absent.length === 0) return undefined;
  const closed = locked ? `已于${chineseDateTime(new Date(locked.lockedAt), config.timeZone)}锁定` : `已于${chineseDate(new Date(deadline - 1), config.timeZone)}截止`;
  const listed = absent.slice(0, 5).map((u) => u.unitName).join('、') + (absent.length > 5 ? `等${absent.length}个单位` : '');
  return `【注意：报送${closed}，截至${chineseDateTime(input.generatedAt, config.timeZone)}仍有${absent.length}个单位未报送或材料被退回（${listed}）。本稿中涉及这些单位的数字不完整，已标出，不能作为正式报告印发。】`;
}

/** A year without a template of its own reuses another year's prose: the draft says so first. */
function templateNotice(input: BuildReportInput): string | undefined {
  const { county, year } = input;
  if (!county.hasOwnTemplate || county.hasOwnTemplate(year)) return undefined;
  const reused = county.template(year).writtenFor ? `${county.template(year).writtenFor}年度模板` : '通用模板';
  return `【注意：${county.config.name}没有${year}年度自己的报告模板（template.${year}.json），本稿沿用了${reused}的文字，其中的会议届次、文件名称、年份提法可能属于其他年度，发文字号和成文日期也须另行确定，请逐句核对。】`;
}

/**
 * Units that declared 暂无数据 for an indicator or for any indicator it is
 * computed from (a total's parts, a rate's numerator and denominator, the
 * indicator a coverage figure tests).
 */
function noDataClosure(figures: readonly Figure[], catalogue: LoadedCatalogue): (id: string) => string[] {
  const own = new Map(figures.map((f) => [f.indicatorId, f.noDataUnits ?? []]));
  const memo = new Map<string, string[]>();
  const of = (id: string, seen: ReadonlySet<string> = new Set()): string[] => {
    const cached = memo.get(id);
    if (cached) return cached;
    const def = catalogue.indicatorById.get(id);
    const inputs = def && !seen.has(id) ? inputsOf(def) : [];
    const result = [...new Set([...(own.get(id) ?? []), ...inputs.flatMap((x) => of(x, new Set([...seen, id])))])];
    memo.set(id, result);
    return result;
  };
  return (id) => of(id);
}
