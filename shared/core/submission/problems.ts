import * as z from 'zod';

/**
 * One problem found in an uploaded file. Every problem of a file is collected
 * in one pass, so a clerk fixes them all before uploading again.
 * `code` is stable English (for tests and tooling); `message` is Chinese, for
 * the clerk.
 */
export const SubmissionProblemSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string().regex(/^[A-Z][A-Z0-9_]+$/),
  message: z.string().min(1),
  /** Where it is: any of these that apply. */
  sheet: z.string().optional(),
  cell: z.string().optional(), // A1 notation, e.g. "D7"
  row: z.number().int().positive().optional(), // 1-based, as Excel shows it
  column: z.string().optional(), // column header or JSON path segment
  path: z.string().optional(), // JSON path, e.g. "indicators.legality_review_items"
  value: z.string().optional(), // the value seen, as text
});
export type SubmissionProblem = z.infer<typeof SubmissionProblemSchema>;
