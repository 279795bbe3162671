import * as z from 'zod';
import { SubmissionProblemSchema } from './problems';

/**
 * The normalized submission: what every parser (xlsx, csv, json) produces and
 * what ingest stores. One schema checks all three, so downstream code never
 * knows which format a unit used.
 */

/** Where a value came from inside the uploaded file, for traceable figures. */
export const SourceLocationSchema = z.object({
  sheet: z.string().optional(),
  cell: z.string().optional(),
  row: z.number().int().positive().optional(),
  path: z.string().optional(),
});
export type SourceLocation = z.infer<typeof SourceLocationSchema>;

export const IndicatorValueSchema = z.object({
  indicatorId: z.string().min(1),
  value: z.number().finite().nonnegative(),
  /** "1000余", "近300", "300多": the report keeps the marker. */
  approximate: z.boolean(),
  /** The qualifier as written (余, 多, 近, 约, 左右, 以上, 不足 …); absent on exact values. */
  qualifier: z.string().optional(),
  /** The text as the clerk typed it, when it differs from the number. */
  raw: z.string().optional(),
  note: z.string().optional(),
  source: SourceLocationSchema,
});
export type IndicatorValue = z.infer<typeof IndicatorValueSchema>;

export const LedgerCellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const LedgerRowSchema = z.object({
  /** Row number in the source (sheet row, CSV line, or array index + 1). */
  row: z.number().int().positive(),
  fields: z.record(z.string(), LedgerCellSchema),
});
export type LedgerRow = z.infer<typeof LedgerRowSchema>;

export const NarrativeItemSchema = z.object({
  /** A section key from the template (e.g. "decision_making"). */
  section: z.string().min(1),
  text: z.string().min(1),
  order: z.number().int().optional(),
  source: SourceLocationSchema.optional(),
});
export type NarrativeItem = z.infer<typeof NarrativeItemSchema>;

export const NormalizedSubmissionSchema = z.object({
  schemaVersion: z.literal(1),
  county: z.string().min(1),
  year: z.number().int().min(2000).max(2100),
  unitId: z.string().min(1),
  format: z.enum(['json', 'csv', 'xlsx']),
  contact: z.object({ name: z.string().optional(), phone: z.string().optional() }).optional(),
  indicators: z.array(IndicatorValueSchema),
  /** Ledger id → case-level rows (台账). */
  ledgers: z.record(z.string(), z.array(LedgerRowSchema)),
  narratives: z.array(NarrativeItemSchema),
  /** Indicators the unit marked 暂无数据: it has no figure (distinct from 0 and from 未发生). */
  noData: z.array(z.object({ indicatorId: z.string().min(1), source: SourceLocationSchema })).optional(),
  /** Warnings do not reject (e.g. an indicator left empty). */
  warnings: z.array(SubmissionProblemSchema),
});
export type NormalizedSubmission = z.infer<typeof NormalizedSubmissionSchema>;

/** The result of parsing one file: a submission, or every problem found. */
export type ParseOutcome =
  | { ok: true; submission: NormalizedSubmission }
  | { ok: false; problems: import('./problems').SubmissionProblem[] };
