import type { CrossCheck } from '../catalogue/schema';
import { valueTypeOf } from '../catalogue/schema';
import type { CollectionPlan } from '../county/plan';
import { checkIndicators, claimBinding } from '../template/validate';
import type { ClaimVerdict } from './build-document';
import type { UnitContribution } from './build-figures';
import type { Figure, ReportWarning } from './schema';

/**
 * A cross-check's verdict on the year's figures:
 *   - holds: every value it reads is there, exact, and passes;
 *   - failed: a value breaks it (which figures, or which units);
 *   - unknown: it cannot be evaluated for want of data (a figure without
 *     data or only approximate, a unit that sent nothing or 暂无数据).
 * `partial` names the expected units missing from a figure it read, so a
 * check that passes on partial data does not prove a claim.
 */
export interface CheckResult {
  check: CrossCheck;
  status: 'holds' | 'failed' | 'unknown';
  /** What broke it, as printed after the check's message. */
  detail?: string;
  /** Units whose own value failed (unit_min), or lacked a value. */
  failedUnits?: string[];
  missingUnits?: string[];
  /** unit_min: each failing unit with what it reported ("岔头镇为1"). */
  unitFailures?: { unitId: string; detail: string }[];
  partial: boolean;
}

export function evaluateChecks(checks: readonly CrossCheck[], figures: ReadonlyMap<string, Figure>, contributions: readonly UnitContribution[], plan: CollectionPlan): CheckResult[] {
  const exact = (id: string) => {
    const f = figures.get(id);
    // An approximate figure ("1000余") cannot prove or disprove an equation.
    return f && f.value !== null && !f.approximate ? f.value : null;
  };
  const name = (id: string) => figures.get(id)?.name ?? id;
  const partialOf = (check: CrossCheck) => checkIndicators(check).some((id) => figures.get(id)?.partial !== undefined);
  const unknownOf = (check: CrossCheck, ids: readonly string[]): CheckResult => ({
    check,
    status: 'unknown',
    detail: ids.filter((id) => exact(id) === null).map((id) => `“${name(id)}”${figures.get(id)?.value === null || !figures.get(id) ? '无数据' : '为约数'}`).join('，'),
    partial: partialOf(check),
  });

  return checks.map((check): CheckResult => {
    switch (check.kind) {
      case 'sum_equals': {
        const parts = check.parts.map(exact);
        const total = exact(check.total);
        if (total === null || parts.some((p) => p === null)) return unknownOf(check, [...check.parts, check.total]);
        const sum = (parts as number[]).reduce((a, b) => a + b, 0);
        if (Math.abs(sum - total) > 1e-9) {
          return { check, status: 'failed', detail: `${check.parts.map((p, i) => `${name(p)}${parts[i]}`).join(' + ')} = ${sum}，${name(check.total)}${total}`, partial: partialOf(check) };
        }
        return { check, status: 'holds', partial: partialOf(check) };
      }
      case 'lte': {
        const lesser = exact(check.lesser);
        const greater = exact(check.greater);
        if (lesser === null || greater === null) return unknownOf(check, [check.lesser, check.greater]);
        if (lesser > greater) return { check, status: 'failed', detail: `${name(check.lesser)}${lesser} > ${name(check.greater)}${greater}`, partial: partialOf(check) };
        return { check, status: 'holds', partial: partialOf(check) };
      }
      case 'range': {
        const value = exact(check.indicator);
        if (value === null) return unknownOf(check, [check.indicator]);
        if (value < check.min || value > check.max) return { check, status: 'failed', detail: `${name(check.indicator)}为${value}`, partial: partialOf(check) };
        return { check, status: 'holds', partial: partialOf(check) };
      }
      case 'unit_min': {
        const def = plan.catalogue.indicatorById.get(check.indicator)!;
        const failures: { unitId: string; detail: string }[] = [];
        const missing: string[] = [];
        for (const unitId of plan.expectedUnitsOf(def)) {
          const c = contributions.find((x) => x.unit.id === unitId);
          const v = c?.values.values.get(check.indicator);
          if (!c || !v || c.noData?.has(check.indicator)) missing.push(unitId);
          else if (v.value < check.min) failures.push({ unitId, detail: `${c.unit.name}为${v.value}` });
        }
        if (failures.length) {
          return { check, status: 'failed', detail: failures.map((f) => f.detail).join('，'), failedUnits: failures.map((f) => f.unitId), unitFailures: failures, missingUnits: missing, partial: missing.length > 0 };
        }
        if (missing.length) return { check, status: 'unknown', detail: `${missing.length}个应报单位没有数据`, missingUnits: missing, partial: true };
        return { check, status: 'holds', partial: false };
      }
    }
  });
}

/**
 * Warnings from the checks: every failed check (as before), and every check
 * that cannot be evaluated for want of data although this year's report
 * collects what it reads. A check reading indicators nobody is asked for this
 * year (a national check on figures this county does not print) stays silent.
 */
export function checkWarnings(results: readonly CheckResult[], plan: CollectionPlan, unitName: (id: string) => string): ReportWarning[] {
  const warnings: ReportWarning[] = [];
  for (const r of results) {
    const indicatorId = r.check.kind === 'sum_equals' ? r.check.total : r.check.kind === 'lte' ? r.check.lesser : r.check.indicator;
    if (r.status === 'failed') {
      // One warning per failing unit, as before, so the office sees each.
      if (r.unitFailures) for (const f of r.unitFailures) warnings.push({ code: 'CROSS_CHECK_FAILED', message: `${r.check.message}（${f.detail}）`, indicatorId, unitId: f.unitId });
      else warnings.push({ code: 'CROSS_CHECK_FAILED', message: `${r.check.message}（${r.detail}）`, indicatorId });
    }
    const missing = r.missingUnits ?? [];
    if ((r.status === 'unknown' || (r.status === 'failed' && missing.length)) && checkIndicators(r.check).every((id) => plan.collected.has(id))) {
      const why = missing.length ? `${missing.slice(0, 5).map(unitName).join('、')}${missing.length > 5 ? `等${missing.length}个单位` : ''}没有数据` : r.detail;
      warnings.push({ code: 'CROSS_CHECK_NOT_EVALUATED', message: `无法核对“${r.check.message}”：${why}`, indicatorId });
    }
  }
  return warnings;
}

/**
 * Whether a {{claim:…}} holds: every binding must. A check holds when it
 * passes on complete data; an indicator when its figure is complete and says
 * all: a yes/no fact is yes, a coverage count covers every expected unit, a
 * rate is 100%; any other figure when it is complete.
 */
export function claimVerdict(
  bindings: readonly string[],
  results: readonly CheckResult[],
  figures: ReadonlyMap<string, Figure>,
  plan: CollectionPlan,
  unitName: (id: string) => string,
): ClaimVerdict {
  const names = (ids: readonly string[]) => `${ids.slice(0, 5).map(unitName).join('、')}${ids.length > 5 ? `等${ids.length}个单位` : ''}`;
  const partialReason = (f: Figure) => {
    const noData = f.partial?.noDataUnits ?? [];
    const absent = (f.partial?.missingUnits ?? []).filter((u) => !noData.includes(u));
    return [absent.length ? `${names(absent)}未报送或被退回` : '', noData.length ? `${names(noData)}填报暂无数据` : ''].filter(Boolean).join('；');
  };
  const reasons: string[] = [];
  for (const id of bindings) {
    const binding = claimBinding(id, plan.catalogue);
    if (!binding) continue;
    if (binding.kind === 'check') {
      const r = results.find((x) => x.check.id === id);
      if (!r) continue;
      if (r.status === 'failed') reasons.push(`核对未通过：${r.check.message}（${r.detail}）`);
      else if (r.status === 'unknown') reasons.push(`无法核对“${r.check.message}”：${r.missingUnits?.length ? `${names(r.missingUnits)}没有数据` : r.detail}`);
      else if (r.partial) {
        const partialFigures = checkIndicators(r.check).map((x) => figures.get(x)).filter((f): f is Figure => f?.partial !== undefined);
        reasons.push(`数据不完整：${partialFigures.map(partialReason).join('；')}`);
      }
      continue;
    }
    const figure = figures.get(binding.indicatorId);
    const def = plan.catalogue.indicatorById.get(binding.indicatorId)!;
    if (!figure || figure.value === null) {
      reasons.push(`“${def.name}”无数据`);
      continue;
    }
    if (figure.partial) {
      reasons.push(`“${def.name}”数据不完整：${partialReason(figure)}`);
      continue;
    }
    const kind = def.aggregation.kind;
    if (valueTypeOf(def) === 'yesno' && figure.value < 1) {
      const no = figure.sources.filter((s) => s.value < 1).map((s) => s.unitId);
      reasons.push(`“${def.name}”为${figure.display}${no.length ? `：${names(no)}填报为否` : ''}`);
    } else if (kind === 'coverage_count' && figure.value < figure.expectedUnits.length) {
      const uncovered = figure.expectedUnits.filter((u) => !figure.sources.some((s) => s.unitId === u && s.value > 0));
      reasons.push(`“${def.name}”为${figure.display}${def.unit}，应为${figure.expectedUnits.length}${def.unit}：${names(uncovered)}未达到`);
    } else if ((kind === 'coverage_share' || valueTypeOf(def) === 'percent') && figure.value < 100) {
      reasons.push(`“${def.name}”为${figure.display}%，不是100%`);
    }
  }
  return reasons.length ? { holds: false, reason: reasons.join('；') } : { holds: true };
}
