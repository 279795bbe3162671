import * as z from 'zod';

/**
 * A report template: the fixed prose of the genre, with every number a
 * placeholder bound to an indicator. Per county (shared/counties/<id>/template.json),
 * overridable per year (template.<year>.json replaces the fields it names).
 *
 * Placeholders inside text:
 *   {{fig:<indicator id>}}   the county figure as printed ("1000余"); the template writes the measure word after it
 *   {{year}} {{reportYear}} {{county}} {{government}} {{docNumberPrefix}}   report variables
 * A block's `narratives` names a section key: units' own narrative items for that
 * section are appended to the block in a stable order (unit order in the config, then item order).
 */
export const TemplateBlockSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('heading1'), text: z.string().min(1) }).strict(),
  z.object({
    kind: z.literal('heading2'),
    text: z.string().min(1),
    body: z.string().default(''),
    narratives: z.string().optional(),
  }).strict(),
  z.object({ kind: z.literal('paragraph'), text: z.string().min(1), narratives: z.string().optional() }).strict(),
]);
export type TemplateBlock = z.infer<typeof TemplateBlockSchema>;

export const ReportTemplateSchema = z.object({
  /** "{{government}}关于{{year}}年度法治政府建设情况的报告" */
  title: z.string().min(1),
  /** "{{docNumberPrefix}}〔{{reportYear}}〕{{docSequence}}号"; omitted when the number is not yet assigned. */
  docNumber: z.string().optional(),
  docSequence: z.number().int().positive().optional(),
  preamble: z.string().min(1),
  blocks: z.array(TemplateBlockSchema).min(1),
  closing: z.string().default('特此报告。'),
  /** Date line, e.g. "2022年1月14日"; defaults to the generation date. */
  date: z.string().optional(),
  note: z.string().optional(),
  /**
   * The year whose prose the base template.json holds, when it was written for
   * one (a county onboarded from one year's published report): that year needs
   * no template.<year>.json, and its draft carries no "reused prose" notice.
   */
  writtenFor: z.number().int().min(2000).max(2100).optional(),
  /**
   * No longer read: who submitted when is internal and always goes to
   * 报送情况.docx, never into the published report (issue 12). Kept so the
   * shipped templates stay valid; drop it with the next template change.
   */
  completenessAnnex: z.boolean().default(true),
}).strict();
export type ReportTemplate = z.infer<typeof ReportTemplateSchema>;
