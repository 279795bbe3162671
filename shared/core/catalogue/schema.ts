import { z } from 'zod';

/**
 * The indicator catalogue: national, the same for every county. Data, not
 * code branches: adding an indicator is an entry in indicators.json.
 */

export const ID = z.string().regex(/^[a-z][a-z0-9_]*$/, 'ids are snake_case ascii');

/** Measure words the report uses after a figure. */
export const MeasureUnitSchema = z.enum(['件', '项', '人', '名', '次', '场', '册', '户', '个', '课时', '%', '家', '篇', '条', '期', '部']);

/**
 * Who is expected to submit an indicator. Units carry roles and groups in
 * the county config; the catalogue never names a county's unit.
 */
export const SubmitterSchema = z.discriminatedUnion('kind', [
  /** One office, by role: e.g. role "approval_bureau" → the county's 行政审批局. */
  z.object({ kind: z.literal('role'), role: ID }),
  /** Every unit in a group: "townships", "enforcement_departments", "all". */
  z.object({ kind: z.literal('group'), group: ID }),
]);
export type Submitter = z.infer<typeof SubmitterSchema>;

/** How unit values combine into the county figure. */
export const AggregationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sum') }),
  z.object({ kind: z.literal('max') }),
  /** Distinct values of a ledger field across units (e.g. one person counted once). */
  z.object({ kind: z.literal('distinct_count'), ledger: ID, field: ID }),
  /** sum(numerator) / sum(denominator) × scale, e.g. an appearance rate in %. */
  z.object({ kind: z.literal('ratio'), numerator: ID, denominator: ID, scale: z.number().positive().default(100) }),
  /**
   * Units of the submitter set reporting a value > 0, as a count ("15个乡(镇)均已聘用").
   * `of` names the indicator whose per-unit value is tested (e.g. legal advisers engaged);
   * without it, the indicator's own per-unit value is.
   */
  z.object({ kind: z.literal('coverage_count'), of: ID.optional() }),
  /** The same as a share of expected units, in %. */
  z.object({ kind: z.literal('coverage_share'), of: ID.optional() }),
]);
export type Aggregation = z.infer<typeof AggregationSchema>;

/** How a unit's value is computed from its own ledger rows, when it keeps one. */
export const LedgerDerivationSchema = z.object({
  ledger: ID,
  op: z.enum(['count', 'count_where', 'sum', 'share_where']),
  /** For sum: the numeric field. */
  field: ID.optional(),
  /** For count_where / share_where: field equals one of these values. */
  where: z.record(ID, z.array(z.union([z.string(), z.boolean(), z.number()]))).optional(),
});
export type LedgerDerivation = z.infer<typeof LedgerDerivationSchema>;

export const IndicatorDefSchema = z.object({
  id: ID,
  name: z.string().min(1), // Chinese, as the statistical returns name it
  unit: MeasureUnitSchema,
  /** Catalogue section: a topic, not a place in any one county's template. */
  topic: ID,
  submittedBy: z.array(SubmitterSchema).min(1),
  aggregation: AggregationSchema,
  approximateAllowed: z.boolean().default(false),
  /** Bounds a unit's value must lie within (e.g. a rate 0–100); outside is an error, not a warning. */
  range: z.object({ min: z.number().optional(), max: z.number().optional() }).strict().optional(),
  fromLedger: LedgerDerivationSchema.optional(),
  description: z.string().optional(),
  /** Where a national system asks for it (示范指标体系 item, statistical return). */
  reference: z.string().optional(),
});
export type IndicatorDef = z.infer<typeof IndicatorDefSchema>;

export const LedgerColumnSchema = z.object({
  id: ID,
  name: z.string().min(1), // header as printed in the template
  aliases: z.array(z.string()).default([]), // headers people type instead
  type: z.enum(['string', 'integer', 'number', 'date', 'boolean', 'enum']),
  values: z.array(z.string()).optional(), // for enum: the allowed values
  required: z.boolean().default(false),
});
export type LedgerColumn = z.infer<typeof LedgerColumnSchema>;

export const LedgerDefSchema = z.object({
  id: ID,
  name: z.string().min(1), // e.g. 行政复议案件台账
  submittedBy: z.array(SubmitterSchema).min(1),
  columns: z.array(LedgerColumnSchema).min(1),
  /** Column whose value identifies a row (case no., certificate no.). */
  key: ID.optional(),
});
export type LedgerDef = z.infer<typeof LedgerDefSchema>;

/** Invariants between county figures, reported as warnings when they fail. */
export const CrossCheckSchema = z.discriminatedUnion('kind', [
  /** sum(parts) = total, e.g. closed + pending = received. */
  z.object({ id: ID, kind: z.literal('sum_equals'), parts: z.array(ID).min(1), total: ID, message: z.string() }),
  /** lesser ≤ greater, e.g. village-level mediators ≤ all mediators. */
  z.object({ id: ID, kind: z.literal('lte'), lesser: ID, greater: ID, message: z.string() }),
  /** min ≤ value ≤ max, e.g. a rate within 0–100. */
  z.object({ id: ID, kind: z.literal('range'), indicator: ID, min: z.number(), max: z.number(), message: z.string() }),
  /** Every expected unit's own value ≥ min, e.g. each township has at least 2 full-time mediators. */
  z.object({ id: ID, kind: z.literal('unit_min'), indicator: ID, min: z.number(), message: z.string() }),
]);
export type CrossCheck = z.infer<typeof CrossCheckSchema>;

export const CatalogueSchema = z.object({
  version: z.number().int().positive(),
  indicators: z.array(IndicatorDefSchema).min(1),
  ledgers: z.array(LedgerDefSchema),
  checks: z.array(CrossCheckSchema),
});
export type Catalogue = z.infer<typeof CatalogueSchema>;
