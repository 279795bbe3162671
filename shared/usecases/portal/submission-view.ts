import '../../core/zod-mini-locale';
import * as z from 'zod/mini';
import type { LoadedCounty } from '../../core/county/load';
import { describeLocation, placeNamesOf, type PlaceNames } from '../../core/submission/error-report';
import type { NormalizedSubmission } from '../../core/submission/normalized';
import { SubmissionProblemSchema } from '../../core/submission/problems';
import type { FigureAsRead, ProblemView, SubmissionView } from '../../core/portal/views';
import type { ObjectStore } from '../ports';

/**
 * A submission as people read it in the portal: each figure with its
 * indicator's name and the cell it was read from, each ledger with its row
 * count; and a rejected upload's problems with sheet and cell (the shapes are
 * core/portal/views.ts, which the page shares).
 */
export function viewSubmission(submission: NormalizedSubmission, county: LoadedCounty): SubmissionView {
  const { indicatorById, ledgerById } = county.catalogue;
  const names = placeNamesOf(county.catalogue);
  const figures = submission.indicators.map((v): FigureAsRead => {
    const def = indicatorById.get(v.indicatorId);
    return {
      indicatorId: v.indicatorId,
      name: def?.name ?? v.indicatorId,
      value: v.raw ?? `${v.qualifier && /^(近|约|不足)$/.test(v.qualifier) ? v.qualifier : ''}${v.value}${v.qualifier && !/^(近|约|不足)$/.test(v.qualifier) ? v.qualifier : ''}`,
      unit: def?.unit ?? '',
      where: describeLocation(v.source, names),
    };
  });
  for (const n of submission.noData ?? []) {
    const def = indicatorById.get(n.indicatorId);
    figures.push({ indicatorId: n.indicatorId, name: def?.name ?? n.indicatorId, value: '暂无数据', unit: '', where: describeLocation(n.source, names) });
  }
  // In the catalogue's order, which is the template's: the clerk checks them against the sheet row by row.
  const order = new Map(county.catalogue.indicators.map((def, i) => [def.id, i]));
  figures.sort((a, b) => (order.get(a.indicatorId) ?? order.size) - (order.get(b.indicatorId) ?? order.size));
  return {
    figures,
    ledgers: Object.entries(submission.ledgers).map(([id, rows]) => ({ id, name: ledgerById.get(id)?.name ?? id, rows: rows.length })),
    narratives: submission.narratives.length,
    warnings: submission.warnings.map((w) => withPlace(describeLocation(w, names), w.message)),
  };
}

/** A warning with its place in front, unless the message already names what the place names (缺少…指标：聘用法律顾问人数). */
function withPlace(place: string, message: string): string {
  if (!place) return message;
  // Only a place that is an indicator or ledger by name; a sheet and cell (工作表“指标” C3) always stays.
  const named = /^(?:指标|台账)“([^”]+)”$/.exec(place)?.[1];
  return named && message.includes(named) ? message : `${place}：${message}`;
}

const ErrorReportJsonSchema = z.object({ problems: z.array(SubmissionProblemSchema) });

/** The problems of a rejected upload, from the JSON error report ingest wrote next to it. */
export async function readProblems(objects: ObjectStore, bucket: string, errorReportKey: string, names?: PlaceNames): Promise<ProblemView[]> {
  const stored = await objects.get(bucket, `${errorReportKey}.json`, undefined, 4 * 1024 * 1024);
  const parsed = ErrorReportJsonSchema.safeParse(JSON.parse(Buffer.from(stored.bytes).toString('utf8')));
  if (!parsed.success) return [];
  return parsed.data.problems.map((p) => ({ severity: p.severity, sheet: p.sheet, cell: p.cell, where: describeLocation(p, names), message: p.message, value: p.value }));
}
