import '../zod-mini-locale';
import * as z from 'zod/mini';
import { SubmissionProblemSchema } from './problems';

/**
 * The normalized submission: what every parser (xlsx, csv, json) produces and
 * what ingest stores. One schema checks all three, so downstream code never
 * knows which format a unit used.
 *
 * Built on first use (z.lazy), like the config schemas: a Lambda's cold start
 * needs none of them (SourceLocationSchema, which the report schema extends, excepted).
 */

/** Where a value came from inside the uploaded file, for traceable figures. */
export const SourceLocationSchema = z.object({
  sheet: z.optional(z.string()),
  cell: z.optional(z.string()),
  row: z.optional(z.int().check(z.positive())),
  path: z.optional(z.string()),
});
export type SourceLocation = z.infer<typeof SourceLocationSchema>;

export const IndicatorValueSchema = z.lazy(() =>
  z.object({
    indicatorId: z.string().check(z.minLength(1)),
    value: z.number().check(z.nonnegative()),
    /** "1000余", "近300", "300多": the report keeps the marker. */
    approximate: z.boolean(),
    /** The qualifier as written (余, 多, 近, 约, 左右, 以上, 不足 …); absent on exact values. */
    qualifier: z.optional(z.string()),
    /** The text as the clerk typed it, when it differs from the number. */
    raw: z.optional(z.string()),
    note: z.optional(z.string()),
    source: SourceLocationSchema,
  }),
);
export type IndicatorValue = z.infer<typeof IndicatorValueSchema>;

export const LedgerCellSchema = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null()]));
export const LedgerRowSchema = z.lazy(() =>
  z.object({
    /** Row number in the source (sheet row, CSV line, or array index + 1). */
    row: z.int().check(z.positive()),
    fields: z.record(z.string(), LedgerCellSchema),
  }),
);
export type LedgerRow = z.infer<typeof LedgerRowSchema>;

export const NarrativeItemSchema = z.lazy(() =>
  z.object({
    /** A section key from the template (e.g. "decision_making"). */
    section: z.string().check(z.minLength(1)),
    text: z.string().check(z.minLength(1)),
    order: z.optional(z.int()),
    source: z.optional(SourceLocationSchema),
  }),
);
export type NarrativeItem = z.infer<typeof NarrativeItemSchema>;

export const NormalizedSubmissionSchema = z.lazy(() =>
  z.object({
    schemaVersion: z.literal(1),
    county: z.string().check(z.minLength(1)),
    year: z.int().check(z.minimum(2000), z.maximum(2100)),
    unitId: z.string().check(z.minLength(1)),
    format: z.enum(['json', 'csv', 'xlsx']),
    contact: z.optional(z.object({ name: z.optional(z.string()), phone: z.optional(z.string()) })),
    indicators: z.array(IndicatorValueSchema),
    /** Ledger id → case-level rows (台账). */
    ledgers: z.record(z.string(), z.array(LedgerRowSchema)),
    narratives: z.array(NarrativeItemSchema),
    /** Indicators the unit marked 暂无数据: it has no figure (distinct from 0 and from 未发生). */
    noData: z.optional(z.array(z.object({ indicatorId: z.string().check(z.minLength(1)), source: SourceLocationSchema }))),
    /** Warnings do not reject (e.g. an indicator left empty). */
    warnings: z.array(SubmissionProblemSchema),
  }),
);
export type NormalizedSubmission = z.infer<typeof NormalizedSubmissionSchema>;

/** The result of parsing one file: a submission, or every problem found. */
export type ParseOutcome =
  | { ok: true; submission: NormalizedSubmission }
  | { ok: false; problems: import('./problems').SubmissionProblem[] };
