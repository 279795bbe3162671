import '../zod-mini-locale';
import * as z from 'zod/mini';

/**
 * Indicator, ledger and cross-check definitions. The national catalogue
 * (shared/core/catalogue/*.json) holds what every county's report may state;
 * a county adds its own in shared/counties/<id>/{indicators,ledgers,checks}.json
 * with these same schemas, and may leave national ones out (county.json
 * `catalogue.exclude`). Objects are strict: a misspelled key is an error, not
 * a silently ignored field.
 *
 * Each schema is built on first use (z.lazy): a Lambda loads its county from
 * the snapshot its bundle carries (county/snapshot.ts) and never parses a
 * config file, so its cold start does not pay for building them.
 */

export const ID = z.string().check(z.regex(/^[a-z][a-z0-9_]*$/, 'ids are snake_case ascii'));

/**
 * The measure word the report prints after a figure: 件, 项, 人, %, 万元, 人次 …
 * Any short word: counties state figures in units no national list foresees.
 */
export const MeasureUnitSchema = z.string().check(z.regex(/^[^\d\s]{1,6}$/, 'a measure word of 1–6 characters, e.g. 件, 人次, 万元, %'));

/**
 * Who is expected to submit an indicator or ledger. Units carry roles and
 * groups in the county config; a county may also name one of its units directly.
 */
export const SubmitterSchema = z.lazy(() =>
  z.discriminatedUnion('kind', [
    /** One office, by role: e.g. role "approval_bureau" → the county's 行政审批局. */
    z.strictObject({ kind: z.literal('role'), role: ID }),
    /** Every unit in a group: "townships", "enforcement_departments", "all". */
    z.strictObject({ kind: z.literal('group'), group: ID }),
    /** One unit by its id in county.json (county-defined indicators and assignments only). */
    z.strictObject({ kind: z.literal('unit'), unit: ID }),
  ]),
);
export type Submitter = z.infer<typeof SubmitterSchema>;

/** How unit values combine into the county figure. */
export const AggregationSchema = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('sum') }),
    z.strictObject({ kind: z.literal('max') }),
    /** The mean of the reporting units' values (an entered rate reported by several units). */
    z.strictObject({ kind: z.literal('mean') }),
    /** Yes/no facts: yes when every expected unit says yes ("全覆盖"). */
    z.strictObject({ kind: z.literal('all') }),
    /** Yes/no facts: yes when any unit says yes. */
    z.strictObject({ kind: z.literal('any') }),
    /** Distinct values of a ledger field across units (e.g. one person counted once). */
    z.strictObject({ kind: z.literal('distinct_count'), ledger: ID, field: ID }),
    /** The sum of other county figures, e.g. suggestions + proposals as the base of a rate; nobody types it again. */
    z.strictObject({ kind: z.literal('sum_of'), parts: z.array(ID).check(z.minLength(2)) }),
    /** sum(numerator) / sum(denominator) × scale, e.g. an appearance rate in %. Both parts are in the provenance. */
    z.strictObject({ kind: z.literal('ratio'), numerator: ID, denominator: ID, scale: z._default(z.number().check(z.positive()), 100) }),
    /**
     * Units of the submitter set reporting a value > 0, as a count ("15个乡(镇)均已聘用").
     * `of` names the indicator whose per-unit value is tested (e.g. legal advisers engaged);
     * without it, the indicator's own per-unit value is.
     */
    z.strictObject({ kind: z.literal('coverage_count'), of: z.optional(ID) }),
    /** The same as a share of expected units, in %. */
    z.strictObject({ kind: z.literal('coverage_share'), of: z.optional(ID) }),
  ]),
);
export type Aggregation = z.infer<typeof AggregationSchema>;

/** How a unit's value is computed from its own ledger rows, when it keeps one. */
export const LedgerDerivationSchema = z.lazy(() =>
  z.strictObject({
    ledger: ID,
    op: z.enum(['count', 'count_where', 'sum', 'share_where']),
    /** For sum: the numeric field. */
    field: z.optional(ID),
    /** For count_where / share_where: field equals one of these values. */
    where: z.optional(z.record(ID, z.array(z.union([z.string(), z.boolean(), z.number()])))),
  }),
);
export type LedgerDerivation = z.infer<typeof LedgerDerivationSchema>;

/**
 * What kind of value a unit enters:
 * - count: a whole number (件, 人, 项 …), the default;
 * - amount: a number that may have decimals (课时, 万元);
 * - percent: a rate in % (0–100), entered or computed;
 * - yesno: a fact (是/否), printed with yesText/noText ("实现了"/"尚未实现").
 */
export const ValueTypeSchema = z.enum(['count', 'amount', 'percent', 'yesno']);
export type ValueType = z.infer<typeof ValueTypeSchema>;

export const IndicatorDefSchema = z.lazy(() =>
  z.strictObject({
    id: ID,
    name: z.string().check(z.minLength(1)), // Chinese, as the statistical returns name it
    unit: MeasureUnitSchema,
    /** Defaults from the unit: % → percent, 课时 → amount, else count. */
    valueType: z.optional(ValueTypeSchema),
    /**
     * 万: print the figure in 万 ("1.3万件" for 13,000; one decimal at most), as
     * reports do for large counts. 汉字: print it in Chinese numerals (三次,
     * 两轮, 十二场, 近千人), as official texts do for small counts
     * (report/chinese-numerals.ts). Either way the value itself stays exact.
     */
    printIn: z.optional(z.enum(['万', '汉字'])),
    /** Decimal places printed (default 1; whole numbers print without any): 0 prints 99.1% as 99%. */
    decimals: z.optional(z.int().check(z.minimum(0), z.maximum(4))),
    /** For yesno: the words printed for yes and no. */
    yesText: z.optional(z.string().check(z.minLength(1))),
    noText: z.optional(z.string().check(z.minLength(1))),
    /** A topic, not a place in any one county's template. */
    topic: ID,
    submittedBy: z.array(SubmitterSchema).check(z.minLength(1)),
    aggregation: AggregationSchema,
    /** Whether 余/多/近/约/左右/以上/不足 figures are accepted; the qualifier is kept as written. */
    approximateAllowed: z._default(z.boolean(), false),
    /** Bounds a unit's value must lie within (e.g. a rate 0–100); outside is an error, not a warning. */
    range: z.optional(z.strictObject({ min: z.optional(z.number()), max: z.optional(z.number()) })),
    fromLedger: z.optional(LedgerDerivationSchema),
    description: z.optional(z.string()),
    /** Where a national system asks for it (示范指标体系 item, statistical return). */
    reference: z.optional(z.string()),
  }),
);
export type IndicatorDef = z.infer<typeof IndicatorDefSchema>;

export const LedgerColumnSchema = z.lazy(() =>
  z.strictObject({
    id: ID,
    name: z.string().check(z.minLength(1)), // header as printed in the template
    aliases: z._default(z.array(z.string()), []), // headers people type instead
    type: z.enum(['string', 'integer', 'number', 'date', 'boolean', 'enum']),
    values: z.optional(z.array(z.string())), // for enum: the allowed values
    required: z._default(z.boolean(), false),
  }),
);
export type LedgerColumn = z.infer<typeof LedgerColumnSchema>;

export const LedgerDefSchema = z.lazy(() =>
  z.strictObject({
    id: ID,
    name: z.string().check(z.minLength(1)), // e.g. 行政复议案件台账
    submittedBy: z.array(SubmitterSchema).check(z.minLength(1)),
    columns: z.array(LedgerColumnSchema).check(z.minLength(1)),
    /** Column whose value identifies a row (case no., certificate no.). */
    key: z.optional(ID),
  }),
);
export type LedgerDef = z.infer<typeof LedgerDefSchema>;

/** Invariants between county figures, reported as warnings when they fail. */
export const CrossCheckSchema = z.lazy(() =>
  z.discriminatedUnion('kind', [
    /** sum(parts) = total, e.g. closed + pending = received. */
    z.strictObject({ id: ID, kind: z.literal('sum_equals'), parts: z.array(ID).check(z.minLength(1)), total: ID, message: z.string() }),
    /** lesser ≤ greater, e.g. village-level mediators ≤ all mediators. */
    z.strictObject({ id: ID, kind: z.literal('lte'), lesser: ID, greater: ID, message: z.string() }),
    /** min ≤ value ≤ max, e.g. a rate within 0–100. */
    z.strictObject({ id: ID, kind: z.literal('range'), indicator: ID, min: z.number(), max: z.number(), message: z.string() }),
    /** Every expected unit's own value ≥ min, e.g. each township has at least 2 full-time mediators. */
    z.strictObject({ id: ID, kind: z.literal('unit_min'), indicator: ID, min: z.number(), message: z.string() }),
  ]),
);
export type CrossCheck = z.infer<typeof CrossCheckSchema>;

export const CatalogueSchema = z.lazy(() =>
  z.object({
    version: z.int().check(z.positive()),
    indicators: z.array(IndicatorDefSchema).check(z.minLength(1)),
    ledgers: z.array(LedgerDefSchema),
    checks: z.array(CrossCheckSchema),
  }),
);
export type Catalogue = z.infer<typeof CatalogueSchema>;

/** The value type an indicator's definition implies. */
export function valueTypeOf(def: Pick<IndicatorDef, 'valueType' | 'unit' | 'aggregation'>): ValueType {
  if (def.valueType) return def.valueType;
  if (def.aggregation.kind === 'all' || def.aggregation.kind === 'any') return 'yesno';
  if (def.unit === '%' || def.aggregation.kind === 'coverage_share') return 'percent';
  if (def.unit === '课时' || def.aggregation.kind === 'ratio') return 'amount';
  return 'count';
}
