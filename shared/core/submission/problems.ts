import '../zod-mini-locale';
import * as z from 'zod/mini';

/**
 * One problem found in an uploaded file. Every problem of a file is collected
 * in one pass, so a clerk fixes them all before uploading again.
 * `code` is stable English (for tests and tooling); `message` is Chinese, for
 * the clerk.
 */
export const SubmissionProblemSchema = z.lazy(() =>
  z.object({
    severity: z.enum(['error', 'warning']),
    code: z.string().check(z.regex(/^[A-Z][A-Z0-9_]+$/)),
    message: z.string().check(z.minLength(1)),
    /** Where it is: any of these that apply. */
    sheet: z.optional(z.string()),
    cell: z.optional(z.string()), // A1 notation, e.g. "D7"
    row: z.optional(z.int().check(z.positive())), // 1-based, as Excel shows it
    column: z.optional(z.string()), // column header or JSON path segment
    path: z.optional(z.string()), // JSON path, e.g. "indicators.legality_review_items"
    value: z.optional(z.string()), // the value seen, as text
  }),
);
export type SubmissionProblem = z.infer<typeof SubmissionProblemSchema>;
