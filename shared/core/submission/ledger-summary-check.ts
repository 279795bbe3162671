import type { LoadedCatalogue } from '../catalogue/load';
import { LedgerFigures, unitIndicatorValues } from '../report/unit-values';
import type { NormalizedSubmission } from './normalized';
import { problem } from './problem-codes';
import type { SubmissionProblem } from './problems';

/**
 * A unit that keeps a ledger and also types the summary figure the ledger
 * yields (e.g. 行政复议收案数 next to the 行政复议案件台账) can disagree with
 * itself. That is a warning naming both numbers. The rule for which wins is
 * the aggregation's (shared/core/report/unit-values.ts: the ledger's count),
 * so the clerk is told exactly what the report will print.
 */
export function checkLedgersAgainstSummaries(submission: NormalizedSubmission, catalogue: LoadedCatalogue, figures?: LedgerFigures): SubmissionProblem[] {
  const { disagreements } = unitIndicatorValues(submission, catalogue, figures);
  return disagreements.map((d) => {
    const def = catalogue.indicatorById.get(d.indicatorId);
    const given = submission.indicators.find((i) => i.indicatorId === d.indicatorId);
    const ledgerName = catalogue.ledgerById.get(d.ledgerId)?.name ?? d.ledgerId;
    const name = def?.name ?? d.indicatorId;
    // Where the clerk typed the figure (sheet and cell, or JSON path); the indicator's name if nowhere.
    const source = given?.source;
    const location = source && (source.sheet || source.cell || source.path) ? source : { column: name };
    return problem(
      'LEDGER_SUMMARY_DISAGREE',
      location,
      `“${name}”填报为${formatNumber(d.summary)}，而${ledgerName}统计为${formatNumber(d.ledger)}（共${d.rows}行）；报告采用台账统计数${formatNumber(d.ledger)}，如台账有误请改正台账后重新上传`,
      given?.raw ?? d.summary,
    );
  });
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, '');
}
