import '../zod-mini-locale';
import * as z from 'zod/mini';

/**
 * The JSON submission file, version 1 (documented in FORMAT.md). A breaking
 * change is a new file (submission-file.v2.ts) and a new $schema id; the
 * parser keeps accepting older versions it knows.
 *
 * Ledger rows are only checked to be arrays here: each row is checked by
 * the same hand-written, ledgers.json-driven rules as csv and xlsx rows, so
 * a 100,000-row ledger is not walked twice.
 */
export const SUBMISSION_FILE_SCHEMA_ID = 'yearly-report/submission-file@1';

const Scalar = z.union([z.number(), z.string(), z.null()]);

export const IndicatorEntryV1Schema = z.union([
  Scalar,
  z.strictObject({ value: Scalar, note: z.optional(z.string()) }),
]);

export const SubmissionFileV1Schema = z.strictObject({
  $schema: z.literal(SUBMISSION_FILE_SCHEMA_ID),
  county: z.string().check(z.minLength(1)),
  year: z.union([z.int(), z.string().check(z.minLength(1))]),
  /** The unit's id, official name or any alias from the county config. */
  unit: z.string().check(z.minLength(1)),
  contact: z.optional(z.strictObject({ name: z.optional(z.string()), phone: z.optional(z.string()) })),
  /** Indicator id → value: 125, "1000余", or { value, note }. */
  indicators: z._default(z.record(z.string(), IndicatorEntryV1Schema), {}),
  /** Ledger id (or its Chinese name) → rows keyed by column id, printed header or alias. */
  ledgers: z._default(z.record(z.string(), z.array(z.unknown())), {}),
  narratives: z._default(z.array(z.strictObject({ section: z.string().check(z.minLength(1)), text: z.string() })), []),
});
export type SubmissionFileV1 = z.infer<typeof SubmissionFileV1Schema>;
