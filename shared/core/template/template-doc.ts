import type { LoadedCatalogue } from '../catalogue/load';
import { printableText } from '../artifacts/text';
import { fontTableXml, GONGWEN } from '../artifacts/docx';
import { ReportTemplate, ReportTemplateSchema, TemplateBlock } from './schema';
import { SHARED_OTHERWISE, tokenize } from './tokens';
import { claimBinding, templatePlaceholders, type TemplateVariable } from './validate';

/**
 * The report template as a Word document the county office edits, and back.
 *
 * Each template field is a paragraph in a style of its own (模板·标题,
 * 模板·二级标题, …), so the structure survives ordinary editing: a new
 * paragraph typed after a 模板·正文 paragraph is 模板·正文 too. Placeholders
 * read as words in brackets, highlighted: 【指标：人民调解员总数】, 【年度】,
 * and the units' own material as 【各单位材料：mediation】. Import turns the
 * words back into {{fig:…}} and {{year}}, and names every problem it finds
 * instead of guessing.
 */

const STYLES = {
  instructions: 'TplInstructions',
  title: 'TplTitle',
  docNumber: 'TplDocNumber',
  preamble: 'TplPreamble',
  heading1: 'TplHeading1',
  heading2: 'TplHeading2',
  heading2Run: 'TplHeading2Char',
  paragraph: 'TplParagraph',
  closing: 'TplClosing',
  date: 'TplDate',
  signature: 'TplSignature',
  note: 'TplNote',
  placeholder: 'TplPlaceholder',
  review: 'TplReview',
} as const;

const STYLE_NAMES: Record<keyof typeof STYLES, string> = {
  instructions: '模板·说明（导入时忽略）',
  title: '模板·标题',
  docNumber: '模板·发文字号',
  preamble: '模板·开头',
  heading1: '模板·一级标题',
  heading2: '模板·二级标题',
  heading2Run: '模板·二级标题文字',
  paragraph: '模板·正文',
  closing: '模板·结束语',
  date: '模板·成文日期',
  signature: '模板·署名（导入时忽略）',
  note: '模板·附注',
  placeholder: '模板·占位符',
  review: '模板·待核对',
};

/** The words a report variable reads as in the document. */
export const VARIABLE_WORDS: Record<TemplateVariable, string> = {
  year: '年度',
  reportYear: '报告年份',
  county: '县名',
  government: '发文机关',
  docNumberPrefix: '发文字号前缀',
  docSequence: '发文序号',
};
const FIGURE_WORD = '指标';
const NARRATIVES_WORD = '各单位材料';

/** The date line of a template that sets none (the draft prints the same placeholder). */
const UNSET_DATE = '【成文日期】';

/** 【…】 as the document shows a placeholder. */
const BRACKETED = /【([^【】]*)】/g;

export class TemplateDocError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`模板文档有${problems.length}处问题：\n${problems.map((p, i) => `${i + 1}．${p}`).join('\n')}`);
    this.name = 'TemplateDocError';
  }
}

/** A shared figure, {{shared:a,b|各}}: 【共同数字：甲指标；乙指标｜各】. */
const SHARED_WORD = '共同数字';
/** A bound claim, {{claim:x}}…{{/claim}}: 【须有数据证实：核对规则或指标】…【证实到此】. */
const CLAIM_WORD = '须有数据证实';
const CLAIM_END_WORD = '证实到此';
/** Between the names of a shared figure's or a claim's indicators (names may hold 、). */
const NAME_SEPARATOR = '；';

/** "{{fig:mediators_total}}人" → "【指标：人民调解员总数】人". */
export function placeholdersToWords(text: string, catalogue: LoadedCatalogue): string {
  const name = (id: string) => catalogue.indicatorById.get(id)?.name ?? id;
  const bindingName = (id: string) => {
    const b = claimBinding(id, catalogue);
    return b?.kind === 'check' ? b.check.message : name(id);
  };
  return tokenize(text)
    .map((t) => {
      switch (t.kind) {
        case 'text':
          return t.text;
        case 'fig':
          return `【${FIGURE_WORD}：${name(t.id)}】`;
        case 'shared':
          return `【${SHARED_WORD}：${t.ids.map(name).join(NAME_SEPARATOR)}｜${t.word}${t.otherwise !== SHARED_OTHERWISE ? `｜${t.otherwise}` : ''}】`;
        case 'claimOpen':
          return `【${CLAIM_WORD}：${t.bindings.map(bindingName).join(NAME_SEPARATOR)}】`;
        case 'claimClose':
          return `【${CLAIM_END_WORD}】`;
        case 'variable': {
          const word = VARIABLE_WORDS[t.name as TemplateVariable];
          return word ? `【${word}】` : `{{${t.name}}}`;
        }
      }
    })
    .join('');
}

/** Paragraphs of the exported document: [style key, text with placeholders as words]. */
function templateParagraphs(template: ReportTemplate, catalogue: LoadedCatalogue): { style: keyof typeof STYLES; heading?: string; text: string }[] {
  const words = (t: string) => placeholdersToWords(t, catalogue);
  const narratives = (key: string | undefined) => (key ? `【${NARRATIVES_WORD}：${key}】` : '');
  const out: { style: keyof typeof STYLES; heading?: string; text: string }[] = [{ style: 'title', text: words(template.title) }];
  if (template.docNumber !== undefined) out.push({ style: 'docNumber', text: words(template.docNumber) });
  out.push({ style: 'preamble', text: words(template.preamble) });
  for (const block of template.blocks) {
    if (block.kind === 'heading1') out.push({ style: 'heading1', text: words(block.text) });
    else if (block.kind === 'heading2') out.push({ style: 'heading2', heading: words(block.text), text: words(block.body) + narratives(block.narratives) });
    else out.push({ style: 'paragraph', text: words(block.text) + narratives(block.narratives) });
  }
  out.push({ style: 'closing', text: words(template.closing) });
  // The document ends as the report does: the issuer (from the county's config, so import skips it) and the date,
  // 【成文日期】 while the office has not set one.
  out.push({ style: 'signature', text: `【${VARIABLE_WORDS.government}】` });
  out.push({ style: 'date', text: template.date !== undefined ? words(template.date) : UNSET_DATE });
  if (template.note !== undefined) out.push({ style: 'note', text: words(template.note) });
  return out;
}

const INSTRUCTIONS = [
  '说明：这是本县报告模板的Word版，改好后用 yearly-report template-doc import 导回。',
  '黄色【】内是占位符，生成报告时换成数字或名称：【指标：…】是该指标的全县数字（后面的量词照写），【年度】等是报告的年份和名称，【各单位材料：…】处接各单位报送的文字；【须有数据证实：…】与【证实到此】之间的话只在数据证实时照印，否则标出；【共同数字：…｜各】在几个数字相同时印“各X”，不同时分别列出。可以删除或移动占位符，不要改其中的字。',
  '每段的样式（模板·一级标题、模板·二级标题、模板·正文等）决定它在报告中的位置；新增段落请套用相应样式。二级标题的楷体部分是标题，其后是正文。本说明三段在导入时忽略。',
];

/**
 * `review`: phrases to highlight for the office to check (in template form,
 * e.g. "{{year}}年以来", "十九届六中全会"), as `template next` lists them.
 */
export async function exportTemplateDocx(template: ReportTemplate, catalogue: LoadedCatalogue, review: readonly string[] = []): Promise<Uint8Array> {
  const docx = await import('docx');
  const { AlignmentType, Document, LineRuleType, Packer, Paragraph, TextRun } = docx;
  const reviewWords = [...new Set(review.filter(Boolean).map((p) => placeholdersToWords(p, catalogue)))].sort((a, b) => b.length - a.length);
  const escapeRegExp = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const reviewPattern = reviewWords.length ? new RegExp(`(${reviewWords.map(escapeRegExp).join('|')})`) : undefined;
  // Inside a level-2 heading every run keeps the heading's character style (import finds the heading by it); highlights still show.
  const runs = (text: string, headingStyle?: string) =>
    (reviewPattern ? text.split(reviewPattern) : [text]).filter(Boolean).flatMap((piece) =>
      reviewWords.includes(piece)
        ? [new TextRun({ text: printableText(piece), style: headingStyle ?? STYLES.review, highlight: 'cyan' })]
        : piece
            .split(/(【[^【】]*】)/)
            .filter(Boolean)
            .map((part) =>
              part.startsWith('【') && part.endsWith('】')
                ? new TextRun({ text: printableText(part), style: headingStyle ?? STYLES.placeholder, highlight: 'yellow' })
                : new TextRun({ text: printableText(part), ...(headingStyle ? { style: headingStyle } : {}) }),
            ),
    );
  const children = [
    ...INSTRUCTIONS.map((t) => new Paragraph({ style: STYLES.instructions, children: [new TextRun(t)] })),
    ...templateParagraphs(template, catalogue).map(
      (p) => new Paragraph({ style: STYLES[p.style], children: [...(p.heading !== undefined ? runs(p.heading, STYLES.heading2Run) : []), ...runs(p.text)] }),
    ),
  ];
  const font = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name });
  const exact = { lineRule: LineRuleType.EXACT };
  const style = (key: keyof typeof STYLES, fontName: string, size: number, paragraph: object) => ({
    id: STYLES[key],
    name: STYLE_NAMES[key],
    basedOn: 'Normal',
    next: STYLES[key],
    quickFormat: true,
    run: { font: font(fontName), size },
    paragraph,
  });
  const body = { alignment: AlignmentType.JUSTIFIED, spacing: { line: GONGWEN.line, ...exact }, indent: { firstLine: GONGWEN.char * 2 } };
  const document = new Document({
    title: '报告模板',
    styles: {
      default: { document: { run: { font: font(GONGWEN.fonts.body), size: GONGWEN.size.body, language: { value: 'en-US', eastAsia: 'zh-CN' } } } },
      paragraphStyles: [
        style('instructions', GONGWEN.fonts.body, 24, { spacing: { after: 120 }, shading: { fill: 'EEEEEE', type: docx.ShadingType.CLEAR, color: 'auto' } }),
        style('title', GONGWEN.fonts.title, GONGWEN.size.title, { alignment: AlignmentType.CENTER, spacing: { before: 240, after: 240 } }),
        style('docNumber', GONGWEN.fonts.body, GONGWEN.size.body, { alignment: AlignmentType.CENTER, spacing: { after: GONGWEN.line } }),
        style('preamble', GONGWEN.fonts.body, GONGWEN.size.body, body),
        style('heading1', GONGWEN.fonts.heading1, GONGWEN.size.body, { ...body, outlineLevel: 0 }),
        style('heading2', GONGWEN.fonts.body, GONGWEN.size.body, { ...body, outlineLevel: 1 }),
        style('paragraph', GONGWEN.fonts.body, GONGWEN.size.body, body),
        style('closing', GONGWEN.fonts.body, GONGWEN.size.body, body),
        style('signature', GONGWEN.fonts.body, GONGWEN.size.body, { alignment: AlignmentType.RIGHT, spacing: { before: GONGWEN.line }, indent: { right: GONGWEN.char * 4 } }),
        style('date', GONGWEN.fonts.body, GONGWEN.size.body, { alignment: AlignmentType.RIGHT, indent: { right: GONGWEN.char * 4 } }),
        style('note', GONGWEN.fonts.body, GONGWEN.size.body, body),
      ],
      characterStyles: [
        { id: STYLES.heading2Run, name: STYLE_NAMES.heading2Run, run: { font: font(GONGWEN.fonts.heading2) } },
        { id: STYLES.placeholder, name: STYLE_NAMES.placeholder, run: { highlight: 'yellow' } },
        { id: STYLES.review, name: STYLE_NAMES.review, run: { highlight: 'cyan' } },
      ],
    },
    sections: [{ properties: { page: { size: { width: GONGWEN.page.width, height: GONGWEN.page.height }, margin: GONGWEN.margin } }, children }],
  });
  return new Uint8Array(await Packer.toBuffer(document, false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]));
}

interface DocParagraph {
  style?: string;
  runs: { text: string; style?: string }[];
  text: string;
}

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The body paragraphs of word/document.xml, with their paragraph style and runs (text, character style). */
async function readParagraphs(bytes: Uint8Array): Promise<DocParagraph[]> {
  const { default: JSZip } = await import('jszip');
  let xml: string;
  try {
    const zip = await JSZip.loadAsync(bytes);
    const part = zip.file('word/document.xml');
    if (!part) throw new Error('no word/document.xml');
    xml = await part.async('string');
  } catch {
    throw new TemplateDocError(['文件不是Word文档（.docx），或已损坏：请用Word或WPS另存为.docx后再导入']);
  }
  return [...xml.matchAll(/<w:p\b[^>]*?(?:\/>|>([\s\S]*?)<\/w:p>)/g)].map((m) => {
    const body = m[1] ?? '';
    const runs = [...body.matchAll(/<w:r\b[^>]*>([\s\S]*?)<\/w:r>/g)].map((r) => ({
      text: decode([...r[1]!.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)].map((t) => t[1] ?? '\t').join('')),
      style: /<w:rStyle w:val="([^"]+)"/.exec(r[1]!)?.[1],
    }));
    return { style: /<w:pStyle w:val="([^"]+)"/.exec(body)?.[1], runs, text: runs.map((r) => r.text).join('') };
  });
}

/**
 * The template a .docx holds. `base` gives what the document does not show
 * (the document number's sequence, the annex switch) and the placeholders it
 * had, so a deleted one that a cross-check reads is named.
 */
export async function importTemplateDocx(bytes: Uint8Array, base: ReportTemplate, catalogue: LoadedCatalogue): Promise<ReportTemplate> {
  const paragraphs = await readParagraphs(bytes);
  const problems: string[] = [];
  const byName = new Map(catalogue.indicators.map((d) => [d.name, d.id]));
  const variableByWord = new Map(Object.entries(VARIABLE_WORDS).map(([k, v]) => [v, k]));
  const quote = (t: string) => `“${t.length > 24 ? `${t.slice(0, 24)}…` : t}”`;

  /** Words back into placeholders; the narratives key comes out separately. */
  const toTemplateText = (text: string, where: string): { text: string; narratives?: string } => {
    let narratives: string | undefined;
    const converted = text.replace(BRACKETED, (all, inner: string) => {
      const colon = inner.search(/[：:]/);
      const word = (colon < 0 ? inner : inner.slice(0, colon)).trim();
      const arg = colon < 0 ? undefined : inner.slice(colon + 1).trim();
      if (word === CLAIM_END_WORD && arg === undefined) return '{{/claim}}';
      if ((word === SHARED_WORD || word === CLAIM_WORD) && arg) {
        const [names = '', ...options] = arg.split(/[｜|]/);
        const ids = names.split(NAME_SEPARATOR).map((n) => n.trim()).filter(Boolean).map((n) => (word === CLAIM_WORD ? (catalogue.checks.find((c) => c.message === n)?.id ?? byName.get(n)) : byName.get(n)) ?? `?${n}`);
        const unknown = ids.filter((id) => id.startsWith('?'));
        if (unknown.length) {
          problems.push(`${where}：占位符${all}中的${unknown.map((u) => `“${u.slice(1)}”`).join('、')}不是指标${word === CLAIM_WORD ? '或核对规则' : ''}的名称（占位符里的字不能改）`);
          return all;
        }
        return word === CLAIM_WORD ? `{{claim:${ids.join(',')}}}` : `{{shared:${ids.join(',')}|${options.join('|')}}}`;
      }
      if (word === FIGURE_WORD && arg !== undefined) {
        const id = byName.get(arg);
        if (id) return `{{fig:${id}}}`;
        problems.push(`${where}：未知的占位符${all}，指标目录中没有名为“${arg}”的指标（占位符里的字不能改）`);
        return all;
      }
      if (word === NARRATIVES_WORD && arg) {
        if (narratives !== undefined) problems.push(`${where}：一段里只能有一处${all.replace(/：.*】/, '】')}占位符`);
        narratives = arg;
        return '';
      }
      const variable = arg === undefined ? variableByWord.get(word) : undefined;
      if (variable) return `{{${variable}}}`;
      problems.push(`${where}：未知的占位符${all}（可用：【${FIGURE_WORD}：指标名称】、${Object.values(VARIABLE_WORDS).map((w) => `【${w}】`).join('、')}、【${NARRATIVES_WORD}：栏目】）`);
      return all;
    });
    return { text: converted, ...(narratives !== undefined ? { narratives } : {}) };
  };

  const styleKey = new Map<string, keyof typeof STYLES>((Object.keys(STYLES) as (keyof typeof STYLES)[]).map((k) => [STYLES[k], k]));
  const single: Partial<Record<'title' | 'docNumber' | 'preamble' | 'closing' | 'date' | 'note', string>> = {};
  const blocks: TemplateBlock[] = [];
  paragraphs.forEach((p, i) => {
    const where = `第${i + 1}段${quote(p.text)}`;
    if (p.text.trim() === '') return;
    const key = p.style ? styleKey.get(p.style) : undefined;
    if (key === 'instructions' || key === 'signature') return;
    // The date left open: the template sets none.
    if (key === 'date' && p.text.trim() === UNSET_DATE) return;
    if (!key || key === 'heading2Run' || key === 'placeholder' || key === 'review') {
      problems.push(`${where}：样式不是模板样式，无法判断它在报告中的位置；请套用“模板·一级标题”“模板·二级标题”“模板·正文”等样式之一`);
      return;
    }
    if (key === 'heading1') {
      const t = toTemplateText(p.text, where);
      if (t.narratives) problems.push(`${where}：一级标题下不能接各单位材料，请把【${NARRATIVES_WORD}】放到正文段落`);
      blocks.push({ kind: 'heading1', text: t.text });
    } else if (key === 'heading2') {
      // The 楷体 runs are the heading; without them, the heading ends at the first 。 as the genre writes it.
      const headingRuns = p.runs.findIndex((r) => r.style !== STYLES.heading2Run);
      const styled = p.runs.slice(0, headingRuns < 0 ? p.runs.length : headingRuns).map((r) => r.text).join('');
      const cut = styled ? styled.length : p.text.indexOf('。') + 1;
      if (cut <= 0) {
        problems.push(`${where}：二级标题找不到标题部分（应以“。”结束，或用“模板·二级标题文字”样式）`);
        return;
      }
      const heading = toTemplateText(p.text.slice(0, cut), where);
      const body = toTemplateText(p.text.slice(cut), where);
      blocks.push({ kind: 'heading2', text: heading.text, body: body.text, ...(body.narratives ? { narratives: body.narratives } : {}) });
    } else if (key === 'paragraph') {
      const t = toTemplateText(p.text, where);
      if (t.text === '') problems.push(`${where}：正文段落只有【${NARRATIVES_WORD}】而没有文字；请在同一段写上引导句`);
      blocks.push({ kind: 'paragraph', text: t.text, ...(t.narratives ? { narratives: t.narratives } : {}) });
    } else {
      if (single[key] !== undefined) problems.push(`${where}：“${STYLE_NAMES[key]}”只能有一段，这已是第二段`);
      const t = toTemplateText(p.text, where);
      if (t.narratives) problems.push(`${where}：“${STYLE_NAMES[key]}”中不能接各单位材料`);
      single[key] = t.text;
    }
  });
  for (const key of ['title', 'preamble'] as const) if (single[key] === undefined) problems.push(`缺少“${STYLE_NAMES[key]}”段落`);
  if (blocks.length === 0) problems.push('没有任何一级标题、二级标题或正文段落');
  if (blocks[0] && blocks[0].kind !== 'heading1' && blocks.some((b) => b.kind === 'heading1')) {
    problems.push(`第一个标题之前的正文${quote(blocks[0].text)}应放在“${STYLE_NAMES.preamble}”里，或在它前面加一级标题`);
  }

  const candidate = {
    title: single.title ?? '',
    ...(single.docNumber !== undefined ? { docNumber: single.docNumber } : {}),
    ...(base.docSequence !== undefined ? { docSequence: base.docSequence } : {}),
    ...(base.writtenFor !== undefined ? { writtenFor: base.writtenFor } : {}),
    preamble: single.preamble ?? '',
    blocks,
    closing: single.closing ?? base.closing,
    ...(single.date !== undefined ? { date: single.date } : {}),
    ...(single.note !== undefined ? { note: single.note } : {}),
    completenessAnnex: base.completenessAnnex,
  };

  // A figure a cross-check reads should stay in the text: deleting its placeholder hides what the check compares.
  const before = new Set(templatePlaceholders(base).filter((r) => r.kind === 'fig').map((r) => r.name));
  const after = new Set(templatePlaceholders(candidate as ReportTemplate).filter((r) => r.kind === 'fig').map((r) => r.name));
  for (const id of before) {
    if (after.has(id)) continue;
    const checks = catalogue.checks.filter((c) => JSON.stringify(c).includes(`"${id}"`));
    if (checks.length) {
      problems.push(`删除了占位符【${FIGURE_WORD}：${catalogue.indicatorById.get(id)?.name ?? id}】，但核对规则${checks.map((c) => `“${c.message}”`).join('、')}用到这个数字；请保留它，或与系统管理员商量`);
    }
  }

  if (problems.length) throw new TemplateDocError(problems);
  const parsed = ReportTemplateSchema.safeParse(candidate);
  if (!parsed.success) throw new TemplateDocError(parsed.error.issues.map((i) => `${i.path.join('.')}：${i.message}`));
  return parsed.data;
}
