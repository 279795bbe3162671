import '../zod-mini-locale';
import * as z from 'zod/mini';
import { SourceLocationSchema } from '../submission/normalized';

/**
 * report.json: every figure with its provenance, completeness, warnings, and
 * the document itself as structured blocks. Every renderer (md, html, docx,
 * xlsx) reads this one value, so the artifacts can never disagree.
 * Versioned: a breaking change bumps REPORT_SCHEMA_ID.
 */
export const REPORT_SCHEMA_ID = 'yearly-report/report@1';

/** One unit's contribution to a figure, traceable to the object version. */
export const FigureSourceSchema = z.object({
  unitId: z.string(),
  unitName: z.string(),
  value: z.number(),
  approximate: z.boolean(),
  /** The qualifier as the unit wrote it (近, 余, 左右 …). */
  qualifier: z.optional(z.string()),
  /** For a computed rate: which part of it this source feeds; for a rate or a county-level sum: that part's indicator. */
  part: z.optional(z.enum(['numerator', 'denominator'])),
  partIndicatorId: z.optional(z.string()),
  /** That part's indicator as people name it: the companion labels the source with it, never with the id. */
  partName: z.optional(z.string()),
  s3Key: z.string(),
  versionId: z.string(),
  /**
   * Where in the file: indicator cell, or the ledger the value was derived from. `ledgerName` and
   * `indicatorName` (the indicator a JSON path names) say it as the unit's file does, for people.
   */
  location: z.extend(SourceLocationSchema, {
    ledger: z.optional(z.string()),
    rows: z.optional(z.int()),
    ledgerName: z.optional(z.string()),
    indicatorName: z.optional(z.string()),
  }),
});
export type FigureSource = z.infer<typeof FigureSourceSchema>;

export const FigureSchema = z.object({
  indicatorId: z.string(),
  name: z.string(),
  unit: z.string(),
  /** The measure word the report writes after it when that is not `unit` (名 for 人, allowed by county.json measureWords or reminded of by `county check`). */
  printedUnit: z.optional(z.string()),
  /** null when no unit reported it: the draft marks it 【待补充：…】. */
  value: z.nullable(z.number()),
  approximate: z.boolean(),
  /** The qualifier printed with an approximate figure, true of the combined value (see qualifier.ts). */
  qualifier: z.optional(z.string()),
  /** As the report prints it, without the measure word: "1000余", "近60", "517", "100", "实现". */
  display: z.string(),
  sources: z.array(FigureSourceSchema),
  expectedUnits: z.array(z.string()),
  reportingUnits: z.array(z.string()),
  /** Units that declared 暂无数据 for it: the figure is short of their share. */
  noDataUnits: z.optional(z.array(z.string())),
  /**
   * How the county figure is made from the units' values, as the catalogue
   * says (sum, coverage_count of another indicator, ratio of two): readers of
   * the per-unit rows need it to tell a count of units from the values tested.
   */
  aggregation: z.optional(z.object({ kind: z.string(), of: z.optional(z.string()), numerator: z.optional(z.string()), denominator: z.optional(z.string()) })),
  /**
   * Set when the figure has a value but some of its expected units had not
   * submitted, or were rejected, when it was computed: the value is not the
   * county's, and every artifact marks it.
   */
  partial: z.optional(z.object({ missingUnits: z.array(z.string()), noDataUnits: z.optional(z.array(z.string())) })),
});
export type Figure = z.infer<typeof FigureSchema>;

export const WarningSchema = z.object({
  code: z.string().check(z.regex(/^[A-Z][A-Z0-9_]+$/)),
  message: z.string(),
  indicatorId: z.optional(z.string()),
  unitId: z.optional(z.string()),
});
export type ReportWarning = z.infer<typeof WarningSchema>;

export const UnitStatusSchema = z.object({
  unitId: z.string(),
  unitName: z.string(),
  status: z.enum(['accepted', 'rejected', 'missing']),
  late: z.boolean(),
  /** The office returned the current submission for correction (审核 → 退回修改): its figures are marked, not stated as fact. */
  returned: z.optional(z.object({ comment: z.optional(z.string()), by: z.string(), at: z.string() })),
  s3Key: z.optional(z.string()),
  versionId: z.optional(z.string()),
  receivedAt: z.optional(z.string()),
  /** The current file replaced an earlier one of the unit: what it added, changed and dropped, by name (and the replaced file's name). */
  replaced: z.optional(z.object({ replaced: z.string(), added: z.array(z.string()), changed: z.array(z.string()), dropped: z.array(z.string()) })),
});
export type UnitStatus = z.infer<typeof UnitStatusSchema>;

export const CompletenessSchema = z.object({
  expected: z.int(),
  submitted: z.int(),
  accepted: z.int(),
  late: z.int(),
  missing: z.int(),
  units: z.array(UnitStatusSchema),
});
export type Completeness = z.infer<typeof CompletenessSchema>;

/** A run of text; figures and gaps are marked so renderers can link or highlight them. */
export const SegmentSchema = z.object({
  text: z.string(),
  figure: z.optional(z.string()), // indicator id
  missing: z.optional(z.boolean()), // a 【待补充：…】 marker
  /** The indicator whose partial figure this text states, or whose completeness it asserts (均已, 全部): marked in every artifact. */
  partial: z.optional(z.string()),
  /** The id of a bound claim ({{claim:…}}) this text belongs to that the data do not prove: marked with the claim's reason. */
  claim: z.optional(z.string()),
});
export type Segment = z.infer<typeof SegmentSchema>;

export const BlockSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('title'), text: z.string() }),
  z.object({ kind: z.literal('docNumber'), text: z.string() }),
  z.object({ kind: z.literal('addressees'), text: z.string() }),
  z.object({ kind: z.literal('heading1'), text: z.string() }),
  /** "(一)…情况。" printed in 楷体, optionally followed on the same line by body text. */
  z.object({ kind: z.literal('heading2'), text: z.string(), body: z._default(z.array(SegmentSchema), []) }),
  z.object({ kind: z.literal('paragraph'), segments: z.array(SegmentSchema) }),
  z.object({ kind: z.literal('table'), caption: z.optional(z.string()), header: z.array(z.string()), rows: z.array(z.array(z.string())) }),
  z.object({ kind: z.literal('closing'), text: z.string() }),
  z.object({ kind: z.literal('signature'), text: z.string() }),
  /**
   * 成文日期. `placeholder` when the template sets no date: the text is 【成文日期】, printed highlighted until
   * the office decides the date (never the day the draft happened to be generated).
   */
  z.object({ kind: z.literal('date'), text: z.string(), placeholder: z.optional(z.literal(true)) }),
  z.object({ kind: z.literal('note'), text: z.string() }),
  /** A warning on the draft's first page, e.g. units still missing after the deadline; never part of a published text. */
  z.object({ kind: z.literal('notice'), text: z.string() }),
  /** 版头: the issuer's red mark (GB/T 9704 §7.2); the document number and a red line follow it. */
  z.object({ kind: z.literal('masthead'), text: z.string() }),
  /** 版记 (GB/T 9704 §7.4): 抄送 line and 印发 line, after everything else. */
  z.object({ kind: z.literal('imprint'), copyTo: z.optional(z.array(z.string())), printedBy: z.optional(z.string()), printedOn: z.string() }),
]);
export type Block = z.infer<typeof BlockSchema>;

/** A clause the template binds to what proves it ({{claim:…}}), and whether the data prove it. */
export const ClaimSchema = z.object({
  id: z.string(),
  text: z.string(),
  /** Check or indicator ids, as the template names them. */
  bindings: z.array(z.string()),
  holds: z.boolean(),
  /** Why it is not proved, as a reader is told: "核对未通过：…", "未计入…（未报送）". */
  reason: z.optional(z.string()),
});
export type Claim = z.infer<typeof ClaimSchema>;

export const ReportSchema = z.object({
  schema: z.literal(REPORT_SCHEMA_ID),
  county: z.string(),
  countyName: z.string(),
  year: z.int(),
  generatedAt: z.string(),
  /** The county's IANA time zone: every time a person reads is shown in it. Older reports lack it (China time then). */
  timeZone: z.optional(z.string()),
  title: z.string(),
  figures: z.array(FigureSchema),
  completeness: CompletenessSchema,
  warnings: z.array(WarningSchema),
  /** The template's bound claims; older reports lack them. */
  claims: z.optional(z.array(ClaimSchema)),
  document: z.array(BlockSchema),
});
export type Report = z.infer<typeof ReportSchema>;
