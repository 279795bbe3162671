import '../zod-mini-locale';
import * as z from 'zod/mini';

/**
 * A report template: the fixed prose of the genre, with every number a
 * placeholder bound to an indicator. Per county (shared/counties/<id>/template.json),
 * overridable per year (template.<year>.json replaces the fields it names).
 *
 * Placeholders inside text (template/tokens.ts reads them all):
 *   {{fig:<indicator id>}}   the county figure as printed ("1000余"); the template writes the measure word after it
 *   {{shared:<a>,<b>|各}}    one figure for parts that agree ("各1"), each figure otherwise ("分别为1次、2")
 *   {{claim:<check or indicator>}}…{{/claim}}   a clause printed as written only when what proves it holds
 *   {{year}} {{reportYear}} {{county}} {{government}} {{docNumberPrefix}}   report variables
 * A block's `narratives` names a section key: units' own narrative items for that
 * section are appended to the block in a stable order (unit order in the config, then item order).
 *
 * Each schema is built on first use (z.lazy): a Lambda loads its county from
 * the snapshot its bundle carries (county/snapshot.ts) and never parses a
 * config file, so its cold start does not pay for building them.
 */
export const TemplateBlockSchema = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('heading1'), text: z.string().check(z.minLength(1)) }),
    z.strictObject({
      kind: z.literal('heading2'),
      text: z.string().check(z.minLength(1)),
      body: z._default(z.string(), ''),
      narratives: z.optional(z.string()),
    }),
    z.strictObject({ kind: z.literal('paragraph'), text: z.string().check(z.minLength(1)), narratives: z.optional(z.string()) }),
  ]),
);
export type TemplateBlock = z.infer<typeof TemplateBlockSchema>;

export const ReportTemplateSchema = z.lazy(() =>
  z.strictObject({
    /** "{{government}}关于{{year}}年度法治政府建设情况的报告" */
    title: z.string().check(z.minLength(1)),
    /** "{{docNumberPrefix}}〔{{reportYear}}〕{{docSequence}}号"; omitted when the number is not yet assigned. */
    docNumber: z.optional(z.string()),
    docSequence: z.optional(z.int().check(z.positive())),
    preamble: z.string().check(z.minLength(1)),
    blocks: z.array(TemplateBlockSchema).check(z.minLength(1)),
    closing: z._default(z.string(), '特此报告。'),
    /** Date line, e.g. "2022年1月14日"; defaults to the generation date. */
    date: z.optional(z.string()),
    note: z.optional(z.string()),
    /**
     * The year whose prose the base template.json holds, when it was written for
     * one (a county onboarded from one year's published report): that year needs
     * no template.<year>.json, and its draft carries no "reused prose" notice.
     */
    writtenFor: z.optional(z.int().check(z.minimum(2000), z.maximum(2100))),
    /**
     * No longer read: who submitted when is internal and always goes to
     * 报送情况.docx, never into the published report (issue 12). Kept so the
     * shipped templates stay valid; drop it with the next template change.
     */
    completenessAnnex: z._default(z.boolean(), true),
  }),
);
export type ReportTemplate = z.infer<typeof ReportTemplateSchema>;
