import type { FileChild, ICommentOptions, IParagraphOptions, IRunOptions, Paragraph, ParagraphChild } from 'docx';
import { Block, Report, Segment } from '../report/schema';
import { markNote, segmentMark, unitNames } from './labels';
import { printableText } from './text';

/**
 * report.docx in the official document format (GB/T 9704-2012, 党政机关公文格式),
 * so the county office only has to proofread and seal it.
 *
 * Every measure lives in GONGWEN below. Fonts are named in the styles with
 * eastAsia as well as ascii/hAnsi: Word picks the font of a Chinese
 * character from w:eastAsia alone, so without it a government PC would fall
 * back to 宋体 whatever the run says.
 *
 * docx is imported lazily (inside renderDocx) so that loading the artifacts
 * module does not load it; the `import type` above is erased at compile time.
 */

const mmToTwips = (mm: number) => Math.round((mm * 1440) / 25.4);
const ptToTwips = (pt: number) => Math.round(pt * 20);
const ptToHalfPoints = (pt: number) => Math.round(pt * 2);

const BODY_PT = 16; // 3号
const FOOTER_PT = 14; // 4号
const LINE_PT = 28.95; // fixed line height: 22 lines fill the 225 mm text block

export const GONGWEN = {
  page: { width: mmToTwips(210), height: mmToTwips(297) },
  margin: {
    top: mmToTwips(37),
    bottom: mmToTwips(35),
    left: mmToTwips(28),
    right: mmToTwips(26),
    header: mmToTwips(15),
    // The page number's dash sits about 7 mm below the text block (35 mm − 7 mm
    // from the page edge); the footer distance is to the bottom of its line.
    footer: mmToTwips(25),
  },
  /** 版头's red: issuer mark and separator line. */
  red: 'FF0000',
  fonts: {
    title: '方正小标宋简体',
    body: '仿宋_GB2312',
    heading1: '黑体',
    heading2: '楷体_GB2312',
    pageNumber: '宋体',
  },
  size: {
    title: ptToHalfPoints(22), // 2号
    body: ptToHalfPoints(BODY_PT),
    // 小四: a unit's full name, its status and a local time fit one line of the 156 mm block.
    table: ptToHalfPoints(12),
    pageNumber: ptToHalfPoints(FOOTER_PT),
  },
  line: ptToTwips(LINE_PT),
  titleLine: ptToTwips(35),
  tableLine: ptToTwips(20),
  /** One character of body text: indents are counted in characters. */
  char: ptToTwips(BODY_PT),
  charsPerLine: 28,
  /**
   * 28 characters of 16 pt are 448 pt, a little wider than the 156 mm (442 pt)
   * text block; tightening each character by a quarter point fits 28 a line.
   * (A w:docGrid character pitch would do the same in Word, but LibreOffice
   * spreads characters apart under it.)
   */
  characterSpacing: -5,
} as const;

const textBlockWidth = GONGWEN.page.width - GONGWEN.margin.left - GONGWEN.margin.right;

/** A last paragraph this short moves whole with 特此报告 and the signature, leaving at most this many lines blank. */
const SHORT_LAST_PARAGRAPH_LINES = 4;

/** Marks that never start a line (the character before goes down with them) and never end one. */
const NEVER_STARTS = '，。、；：？！）》”’」』】〕…%％';
const NEVER_ENDS = '（《“‘「『【〔';

/**
 * Where the lines of a body paragraph begin, as LibreOffice and Word (without hanging punctuation) break 仿宋 text
 * of 28 characters a line: a run of Latin letters and digits is one word of about 0.62 character each, a mark that
 * never starts a line takes the character before it along, one that never ends a line goes down to the next.
 */
export function lineStarts(text: string): number[] {
  const chars = [...text];
  const width = (ch: string) => (ch.codePointAt(0)! < 0x2e80 && !'“”‘’…—'.includes(ch) ? 0.62 : 1);
  const starts = [0];
  let used = 2; // the first line's indent
  let i = 0;
  while (i < chars.length) {
    let j = i + 1;
    if (/[A-Za-z0-9.]/.test(chars[i]!)) while (j < chars.length && /[A-Za-z0-9.]/.test(chars[j]!)) j++;
    const w = chars.slice(i, j).reduce((t, c) => t + width(c), 0);
    if (used + w > GONGWEN.charsPerLine + 1e-9 && i > starts.at(-1)!) {
      let start = i;
      if (NEVER_STARTS.includes(chars[i]!)) start--;
      while (start > starts.at(-1)! + 1 && NEVER_ENDS.includes(chars[start - 1]!)) start--;
      starts.push(start);
      used = chars.slice(start, i).reduce((t, c) => t + width(c), 0);
      continue;
    }
    used += w;
    i = j;
  }
  return starts;
}

/**
 * A long last paragraph (after its level-2 heading's words, if any) cut before its last two lines, two characters early so that the head's last line is sure
 * to fit its line: undefined when the cut would fall inside a figure or a marked claim, or the text holds no
 * more than that.
 */
function splitLastLines(heading: string, segments: readonly Segment[]): { head: Segment[]; tail: Segment[] } | undefined {
  const text = heading + segments.map((s) => s.text).join('');
  const starts = lineStarts(text);
  if (starts.length <= SHORT_LAST_PARAGRAPH_LINES) return undefined;
  // Offsets count code points, as lineStarts does; a level-2 heading's own words come first.
  const cut = starts[starts.length - 2]! - 2;
  let offset = [...heading].length;
  if (cut <= offset) return undefined;
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k]!;
    const length = [...seg.text].length;
    if (cut < offset + length) {
      if (seg.figure !== undefined || seg.partial !== undefined || seg.missing) return undefined;
      const chars = [...seg.text];
      const at = cut - offset;
      const head = [...segments.slice(0, k), ...(at > 0 ? [{ ...seg, text: chars.slice(0, at).join('') }] : [])];
      const tail = [{ ...seg, text: chars.slice(at).join('') }, ...segments.slice(k + 1)];
      return { head, tail };
    }
    offset += length;
  }
  return undefined;
}

/** Lines a body paragraph takes: 28 characters a line, two of them the first line's indent. */
function estimatedLines(block: Block): number {
  const text = block.kind === 'paragraph' ? block.segments.map((s) => s.text).join('') : block.kind === 'heading2' ? block.text + block.body.map((s) => s.text).join('') : '';
  return Math.ceil((textWidthInChars(text, 0.6) + 2) / GONGWEN.charsPerLine);
}

/**
 * The fonts the styles name, with the font Word and WPS take when the named
 * one is not installed (w:altName in the font table). Stock Windows ships
 * 仿宋 and 楷体 but not their _GB2312 cuts, and no 方正小标宋简体 at all;
 * without a substitute every paragraph falls back to one default font and
 * headings look like body text. charset 86 (GB2312) and the family tell the
 * program what kind of face to look for when even the substitute is absent.
 */
export const FONT_SUBSTITUTES: Readonly<Record<string, { altName?: string; family: 'roman' | 'modern' | 'swiss' }>> = {
  仿宋_GB2312: { altName: '仿宋', family: 'modern' },
  楷体_GB2312: { altName: '楷体', family: 'modern' },
  方正小标宋简体: { altName: '华文中宋', family: 'roman' },
  黑体: { altName: 'SimHei', family: 'modern' },
  宋体: { altName: 'SimSun', family: 'roman' },
};

const xmlAttr = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** word/fontTable.xml: docx writes this part only for embedded fonts, so it is supplied whole. */
export function fontTableXml(): string {
  const fonts = [...new Set(Object.values(GONGWEN.fonts))].map((name) => {
    const sub = FONT_SUBSTITUTES[name];
    return (
      `<w:font w:name="${xmlAttr(name)}">` +
      (sub?.altName ? `<w:altName w:val="${xmlAttr(sub.altName)}"/>` : '') +
      `<w:charset w:val="86"/><w:family w:val="${sub?.family ?? 'auto'}"/><w:pitch w:val="variable"/></w:font>`
    );
  });
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${fonts.join('')}</w:fonts>`
  );
}


const STYLE = {
  body: 'GwBody',
  title: 'GwTitle',
  docNumber: 'GwDocNumber',
  addressees: 'GwAddressees',
  heading1: 'GwHeading1',
  heading2: 'GwHeading2',
  heading2Run: 'GwHeading2Char',
  missingRun: 'GwMissing',
  partialRun: 'GwPartial',
  signature: 'GwSignature',
  annexLabel: 'GwAnnexLabel',
  annexTitle: 'GwAnnexTitle',
  tableText: 'GwTableText',
  tableHeader: 'GwTableHeader',
  footer: 'GwFooter',
  masthead: 'GwMasthead',
  imprint: 'GwImprint',
} as const;

/** Word reads ascii/hAnsi for Latin text and eastAsia for Chinese: name the font in all of them. */
const font = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name });

/**
 * Width in characters: Chinese and full-width punctuation are one, ASCII
 * half in 仿宋_GB2312. asciiWidth can allow for a wider fallback font where
 * a too-narrow guess would wrap (table columns).
 */
export function textWidthInChars(text: string, asciiWidth = 0.5): number {
  let width = 0;
  for (const ch of text) width += ch.codePointAt(0)! < 0x2e80 ? asciiWidth : 1;
  return width;
}

export async function renderDocx(report: Report): Promise<Uint8Array> {
  const docx = await import('docx');
  const { AlignmentType, BorderStyle, Document, Footer, LineRuleType, Packer, PageNumber, TextRun, Table, TableRow, TableCell, WidthType } = docx;
  const P = docx.Paragraph;

  /** Every piece of text enters the document through here, so none can break the XML. */
  const textRun = (text: string, options: Omit<IRunOptions, 'text' | 'children'> = {}) => new TextRun({ ...options, text: printableText(text) });
  /**
   * A partial figure, or a sentence claiming completeness on one, is
   * highlighted and carries a Word comment naming the units it lacks: the
   * proofreader sees it in Word and WPS, and it never prints as fact.
   */
  const names = unitNames(report);
  const comments: ICommentOptions[] = [];
  const bodyRuns = (segments: readonly Segment[]): ParagraphChild[] =>
    segments.flatMap((segment, i): ParagraphChild[] => {
      if (segment.missing) return [textRun(segment.text, { style: STYLE.missingRun, highlight: 'yellow' })];
      const mark = segmentMark(segment);
      if (mark === undefined) return [textRun(segment.text)];
      const opens = segmentMark(segments[i - 1] ?? { text: '' }) !== mark;
      const closes = segmentMark(segments[i + 1] ?? { text: '' }) !== mark;
      if (opens) {
        comments.push({
          id: comments.length,
          author: '法治政府建设报告系统',
          initials: '系统',
          date: new Date(report.generatedAt),
          children: [new P({ children: [textRun(markNote(report, mark, names))] })],
        });
      }
      const id = comments.length - 1;
      return [
        ...(opens ? [new docx.CommentRangeStart(id)] : []),
        textRun(segment.text, { style: STYLE.partialRun, highlight: 'yellow' }),
        ...(closes ? [new docx.CommentRangeEnd(id), new TextRun({ children: [new docx.CommentReference(id)] })] : []),
      ];
    });

  /**
   * Every paragraph allows hanging punctuation (标点悬挂, Word's default for
   * Chinese): a 。，、 that falls just past the line end stays on that line,
   * in the margin. Without the explicit switch LibreOffice neither hangs nor
   * wraps it but drops it (seven marks vanished from the Lingshou PDF).
   * docx takes the switch on paragraphs only, not in styles.
   */
  const paragraph = (style: string, children: ParagraphChild[], extra: Omit<IParagraphOptions, 'style' | 'children'> = {}) =>
    new P({ style, children, overflowPunctuation: true, ...extra });

  const tables = report.document.filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table');
  // A caption may already say "附件：…"; the label and the 附件说明 add that themselves.
  const annexName = (caption: string | undefined, i: number) =>
    caption?.replace(/^附件\s*\d*\s*[：:]\s*/, '') || `附件${tables.length > 1 ? i + 1 : ''}`;

  /**
   * 附件说明: a line under the text, two characters in (GB/T 9704 §7.3.4). A
   * long name wraps under its own first character, so the paragraph hangs by
   * the width of "附件：" from five characters in; later items start there.
   */
  const annexNotes = (): Paragraph[] =>
    tables.map((t, i) => {
      const name = tables.length > 1 ? `${i + 1}．${annexName(t.caption, i)}` : annexName(t.caption, i);
      return paragraph(STYLE.body, [textRun(i === 0 ? `附件：${name}` : name)], {
        spacing: i === 0 ? { before: GONGWEN.line } : undefined,
        indent: { left: GONGWEN.char * 5, hanging: i === 0 ? GONGWEN.char * 3 : 0, firstLine: undefined },
        keepNext: true, // with the issuer and date below
      });
    });

  // Issuer centred over the date, the date four characters in from the right (sealed layout, §7.3.5.1).
  const dateBlock = report.document.find((b) => b.kind === 'date');
  const dateWidth = dateBlock ? textWidthInChars(dateBlock.text) : 0;
  const dateRightIndent = GONGWEN.char * 4;

  const mainText: Paragraph[] = [];
  let annexNotesPlaced = false;
  const placeAnnexNotes = () => {
    if (!annexNotesPlaced) mainText.push(...annexNotes());
    annexNotesPlaced = true;
  };
  const nonTableBlocks = report.document.filter((b) => b.kind !== 'table');
  const hasMasthead = nonTableBlocks.some((b) => b.kind === 'masthead');
  /**
   * 特此报告, the annex notes, issuer and date stay with the end of the last
   * paragraph of text (GB/T 9704 §7.3.5: no page may carry only the closing
   * lines): each of them, and that paragraph, keeps with the next. Its own
   * lines may still split, so only its last lines move when the page is full.
   */
  const closingIndex = nonTableBlocks.findIndex((b) => b.kind === 'closing' || b.kind === 'signature');
  const lastIndex = (upTo: number, kinds: readonly Block['kind'][]) => {
    for (let i = upTo - 1; i >= 0; i--) if (kinds.includes(nonTableBlocks[i]!.kind)) return i;
    return -1;
  };
  const keptFrom = closingIndex < 0 ? -1 : lastIndex(closingIndex, ['paragraph', 'heading2']);
  const lastKept = lastIndex(nonTableBlocks.length, ['date', 'signature', 'note']);
  /**
   * The last paragraph before 特此报告: LibreOffice moves a paragraph that keeps with the next whole whenever it
   * fits on the next page (a 12-line paragraph left 14 blank lines behind it). So a short one is kept whole, and
   * a long one is printed as two paragraphs that read as one: its last two lines (tail) keep with the closing
   * lines, the rest (head) fills its page. The head's last line is set edge to edge (distributed), so where the
   * head ends reads as any other full line.
   */
  const lastBlock = keptFrom >= 0 ? nonTableBlocks[keptFrom] : undefined;
  const lastSplit =
    lastBlock?.kind === 'paragraph' ? splitLastLines('', lastBlock.segments) : lastBlock?.kind === 'heading2' ? splitLastLines(lastBlock.text, lastBlock.body) : undefined;
  const keptShort = lastBlock !== undefined && estimatedLines(lastBlock) <= SHORT_LAST_PARAGRAPH_LINES;
  const keep = (i: number): Omit<IParagraphOptions, 'style' | 'children'> => {
    if (keptFrom < 0 || i < keptFrom || i >= lastKept) return {};
    if (i > keptFrom) return { keepNext: true };
    return keptShort ? { keepNext: true, keepLines: true } : {};
  };
  nonTableBlocks.forEach((block, i) => {
    const next = nonTableBlocks[i + 1];
    switch (block.kind) {
      case 'masthead': {
        // 版头: the red issuer mark, the document number under it, then the red line (GB/T 9704 §7.2).
        mainText.push(paragraph(STYLE.masthead, [textRun(block.text)]));
        const number = nonTableBlocks.find((b) => b.kind === 'docNumber');
        mainText.push(
          paragraph(STYLE.docNumber, number ? [textRun(number.text)] : [], {
            spacing: { before: GONGWEN.line, after: GONGWEN.line * 2 },
            border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: GONGWEN.red, space: 11 } },
          }),
        );
        return;
      }
      case 'imprint':
        return; // after the annexes, below
      case 'notice':
        mainText.push(paragraph(STYLE.addressees, [textRun(block.text, { highlight: 'yellow', bold: true })], { spacing: { after: GONGWEN.line } }));
        return;
      case 'title':
        // A blank line follows the title unless the document number sits under it.
        mainText.push(
          paragraph(
            STYLE.title,
            titleLines(block.text).map((line, n) => (n === 0 ? textRun(line) : textRun(line, { break: 1 }))),
            next?.kind === 'docNumber' && !hasMasthead ? { spacing: { after: 0 } } : {},
          ),
        );
        return;
      case 'docNumber':
        if (!hasMasthead) mainText.push(paragraph(STYLE.docNumber, [textRun(block.text)]));
        return;
      case 'addressees':
        mainText.push(paragraph(STYLE.addressees, [textRun(block.text)]));
        return;
      case 'heading1':
        mainText.push(paragraph(STYLE.heading1, [textRun(block.text)]));
        return;
      case 'heading2':
        // 楷体 heading and 仿宋 text share one paragraph, as the genre prints them.
        if (i === keptFrom && !keptShort && lastSplit) {
          mainText.push(paragraph(STYLE.heading2, [textRun(block.text, { style: STYLE.heading2Run }), ...bodyRuns(lastSplit.head)], { alignment: AlignmentType.DISTRIBUTE }));
          mainText.push(paragraph(STYLE.body, bodyRuns(lastSplit.tail), { indent: { firstLine: 0 }, keepNext: true, keepLines: true }));
          return;
        }
        mainText.push(paragraph(STYLE.heading2, [textRun(block.text, { style: STYLE.heading2Run }), ...bodyRuns(block.body)], keep(i)));
        return;
      case 'paragraph':
        if (i === keptFrom && !keptShort && lastSplit) {
          mainText.push(paragraph(STYLE.body, bodyRuns(lastSplit.head), { alignment: AlignmentType.DISTRIBUTE }));
          mainText.push(paragraph(STYLE.body, bodyRuns(lastSplit.tail), { indent: { firstLine: 0 }, keepNext: true, keepLines: true }));
          return;
        }
        mainText.push(paragraph(STYLE.body, bodyRuns(block.segments), keep(i)));
        return;
      case 'closing':
        mainText.push(paragraph(STYLE.body, [textRun(block.text)], keep(i)));
        return;
      case 'signature': {
        placeAnnexNotes();
        const offset = dateBlock ? ((dateWidth - textWidthInChars(block.text)) / 2) * GONGWEN.char : 0;
        mainText.push(
          paragraph(STYLE.signature, [textRun(block.text)], {
            spacing: { before: GONGWEN.line },
            indent: { right: Math.max(0, Math.round(dateRightIndent + offset)) },
            ...keep(i),
          }),
        );
        return;
      }
      case 'date':
        placeAnnexNotes();
        mainText.push(
          paragraph(STYLE.signature, [block.placeholder ? textRun(block.text, { style: STYLE.missingRun, highlight: 'yellow' }) : textRun(block.text)], {
            indent: { right: dateRightIndent },
            ...keep(i),
          }),
        );
        return;
      case 'note':
        mainText.push(paragraph(STYLE.body, [textRun(block.text)], keep(i)));
        return;
    }
  });
  placeAnnexNotes();

  /** Each table is an annex on its own page: 附件 label top-left in 黑体, its name centred, then the table. */
  const annexes: FileChild[] = tables.flatMap((table, i) => {
    const label = tables.length > 1 ? `附件${i + 1}` : '附件';
    const widths = columnWidths(table.header, table.rows, textBlockWidth);
    const row = (cells: readonly string[], header: boolean) =>
      new TableRow({
        tableHeader: header,
        cantSplit: true,
        children: table.header.map(
          (_, c) =>
            new TableCell({
              width: { size: widths[c]!, type: WidthType.DXA },
              children: [paragraph(header ? STYLE.tableHeader : STYLE.tableText, [textRun(cells[c] ?? '')])],
            }),
        ),
      });
    return [
      paragraph(STYLE.annexLabel, [textRun(label)], { pageBreakBefore: true }),
      paragraph(STYLE.annexTitle, [textRun(annexName(table.caption, i))]),
      new Table({
        width: { size: textBlockWidth, type: WidthType.DXA },
        columnWidths: widths,
        rows: [row(table.header, true), ...table.rows.map((r) => row(r, false))],
      }),
    ];
  });

  /**
   * 版记 (GB/T 9704 §7.4): 4号 仿宋, one character in from either side, a
   * thick rule above the first line and below the last, thin rules between;
   * the 印发 line has the office on the left and the date on the right.
   */
  const imprintBlock = report.document.find((b) => b.kind === 'imprint');
  const imprint: Paragraph[] = [];
  if (imprintBlock) {
    const thick = { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 1 } as const;
    const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000', space: 1 } as const;
    const lines: { text: ParagraphChild[] }[] = [];
    if (imprintBlock.copyTo) lines.push({ text: [textRun(`抄送：${imprintBlock.copyTo.join('，')}。`)] });
    if (imprintBlock.printedBy) lines.push({ text: [textRun(imprintBlock.printedBy), new TextRun({ children: [new docx.Tab(), printableText(`${imprintBlock.printedOn}印发`)] })] });
    lines.forEach((line, n) =>
      imprint.push(
        paragraph(STYLE.imprint, line.text, {
          keepNext: n < lines.length - 1,
          spacing: n === 0 ? { before: GONGWEN.line * 2 } : undefined,
          tabStops: [{ type: docx.TabStopType.RIGHT, position: textBlockWidth - ptToTwips(FOOTER_PT) }],
          border: { top: n === 0 ? thick : thin, ...(n === lines.length - 1 ? { bottom: thick } : {}) },
        }),
      ),
    );
  }

  // "— 1 —": odd pages right, even pages left, one character in from the edge (§7.5).
  const pageNumberFooter = (alignment: 'right' | 'left') =>
    new Footer({
      children: [
        new P({
          style: STYLE.footer,
          alignment: alignment === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
          indent: alignment === 'right' ? { right: ptToTwips(FOOTER_PT) } : { left: ptToTwips(FOOTER_PT) },
          children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'] })],
        }),
      ],
    });

  const exact = { lineRule: LineRuleType.EXACT };
  const bodyParagraph = {
    alignment: AlignmentType.JUSTIFIED,
    // No single line of a paragraph alone at the foot or head of a page (Word's default; LibreOffice needs it said).
    widowControl: true,
    spacing: { line: GONGWEN.line, ...exact, before: 0, after: 0 },
    indent: { firstLine: GONGWEN.char * 2 },
  };
  const run = (fontName: string, size: number): IRunOptions => ({ font: font(fontName), size, sizeComplexScript: size });
  const paragraphStyle = (id: string, name: string, runOptions: IRunOptions, paragraphOptions: object) => ({
    id,
    name,
    basedOn: 'Normal',
    quickFormat: true,
    run: runOptions,
    paragraph: paragraphOptions,
  });

  const document = new Document({
    title: report.title,
    creator: report.countyName,
    description: `${report.schema} generated ${report.generatedAt}`,
    evenAndOddHeaderAndFooters: true,
    comments: { children: comments },
    styles: {
      default: {
        document: {
          run: { ...run(GONGWEN.fonts.body, GONGWEN.size.body), characterSpacing: GONGWEN.characterSpacing, language: { value: 'en-US', eastAsia: 'zh-CN' } },
          paragraph: { spacing: { line: GONGWEN.line, ...exact } },
        },
      },
      paragraphStyles: [
        paragraphStyle(STYLE.body, '公文正文', run(GONGWEN.fonts.body, GONGWEN.size.body), bodyParagraph),
        paragraphStyle(STYLE.title, '公文标题', run(GONGWEN.fonts.title, GONGWEN.size.title), {
          alignment: AlignmentType.CENTER,
          spacing: { line: GONGWEN.titleLine, ...exact, before: 0, after: GONGWEN.line },
        }),
        paragraphStyle(STYLE.docNumber, '发文字号', run(GONGWEN.fonts.body, GONGWEN.size.body), {
          alignment: AlignmentType.CENTER,
          spacing: { line: GONGWEN.line, ...exact, before: 0, after: GONGWEN.line },
        }),
        paragraphStyle(STYLE.addressees, '主送机关', run(GONGWEN.fonts.body, GONGWEN.size.body), {
          alignment: AlignmentType.LEFT,
          spacing: { line: GONGWEN.line, ...exact },
          indent: { firstLine: 0 },
        }),
        paragraphStyle(STYLE.heading1, '一级标题', run(GONGWEN.fonts.heading1, GONGWEN.size.body), { ...bodyParagraph, keepNext: true, outlineLevel: 0 }),
        paragraphStyle(STYLE.heading2, '二级标题', run(GONGWEN.fonts.body, GONGWEN.size.body), { ...bodyParagraph, outlineLevel: 1 }),
        paragraphStyle(STYLE.signature, '署名和成文日期', run(GONGWEN.fonts.body, GONGWEN.size.body), {
          alignment: AlignmentType.RIGHT,
          spacing: { line: GONGWEN.line, ...exact },
          indent: { firstLine: 0 },
        }),
        paragraphStyle(STYLE.annexLabel, '附件标识', run(GONGWEN.fonts.heading1, GONGWEN.size.body), {
          alignment: AlignmentType.LEFT,
          spacing: { line: GONGWEN.line, ...exact, after: GONGWEN.line },
          indent: { firstLine: 0 },
        }),
        paragraphStyle(STYLE.annexTitle, '附件标题', run(GONGWEN.fonts.title, GONGWEN.size.title), {
          alignment: AlignmentType.CENTER,
          spacing: { line: GONGWEN.titleLine, ...exact, after: GONGWEN.line },
        }),
        paragraphStyle(STYLE.tableText, '表格文字', run(GONGWEN.fonts.body, GONGWEN.size.table), {
          alignment: AlignmentType.CENTER,
          spacing: { line: GONGWEN.tableLine, ...exact },
          indent: { firstLine: 0 },
        }),
        paragraphStyle(STYLE.tableHeader, '表头文字', run(GONGWEN.fonts.heading1, GONGWEN.size.table), {
          alignment: AlignmentType.CENTER,
          spacing: { line: GONGWEN.tableLine, ...exact },
          indent: { firstLine: 0 },
        }),
        paragraphStyle(STYLE.masthead, '发文机关标志', { ...run(GONGWEN.fonts.title, ptToHalfPoints(36)), color: GONGWEN.red }, {
          alignment: AlignmentType.CENTER,
          spacing: { line: ptToTwips(48), ...exact },
          indent: { firstLine: 0 },
        }),
        paragraphStyle(STYLE.imprint, '版记', run(GONGWEN.fonts.body, GONGWEN.size.pageNumber), {
          alignment: AlignmentType.LEFT,
          spacing: { line: GONGWEN.line, ...exact },
          indent: { left: ptToTwips(FOOTER_PT), right: ptToTwips(FOOTER_PT), firstLine: 0 },
        }),
        paragraphStyle(STYLE.footer, '页码', run(GONGWEN.fonts.pageNumber, GONGWEN.size.pageNumber), {
          spacing: { line: ptToTwips(FOOTER_PT * 1.2), ...exact },
          indent: { firstLine: 0 },
        }),
      ],
      characterStyles: [
        { id: STYLE.heading2Run, name: '二级标题字符', run: run(GONGWEN.fonts.heading2, GONGWEN.size.body) },
        // The proofreader must see every gap before the document is signed.
        { id: STYLE.missingRun, name: '待补充', run: { highlight: 'yellow' } },
        { id: STYLE.partialRun, name: '数据不完整', run: { highlight: 'yellow' } },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: GONGWEN.page.width, height: GONGWEN.page.height },
            margin: GONGWEN.margin,
          },
          grid: { type: docx.DocumentGridType.LINES, linePitch: GONGWEN.line },
        },
        footers: { default: pageNumberFooter('right'), even: pageNumberFooter('left') },
        children: [...mainText, ...annexes, ...imprint],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document, false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]));
}

/** Characters of 2号 type on one line of the 156 mm text block. */
const TITLE_CHARS_PER_LINE = Math.floor(442 / 22);

/**
 * A title too long for one line breaks where the words allow (GB/T 9704
 * §7.3.1: 回行时要做到词意完整): after the issuer, before "关于", as the
 * county prints it. Otherwise Word wraps it wherever the line ends.
 */
export function titleLines(title: string): string[] {
  if (textWidthInChars(title) <= TITLE_CHARS_PER_LINE) return [title];
  const at = title.indexOf('关于');
  if (at <= 0) return [title];
  const lines = [title.slice(0, at), title.slice(at)];
  return lines.every((line) => textWidthInChars(line) <= TITLE_CHARS_PER_LINE) ? lines : [title];
}

/**
 * Columns get the width of their widest cell (in table characters, plus the
 * cell margins) when the table fits, and the room left over is shared in
 * proportion. When it does not fit, no header and no short column (序号,
 * 报送情况, a time) wraps: they keep their width, and only the long text
 * columns (unit names, descriptions) share what is left and wrap.
 */
export function columnWidths(header: readonly string[], rows: readonly (readonly string[])[], total: number): number[] {
  const charTwips = GONGWEN.size.table * 10; // half-points → twips
  // 0.65 for ASCII: the fallback font's digits are wider than 仿宋's half width.
  const twips = (chars: number) => Math.ceil((chars + 0.5) * charTwips) + 2 * TABLE_CELL_MARGIN;
  const headerWidth = header.map((h) => twips(Math.max(2, textWidthInChars(h, 0.65))));
  const needed = header.map((h, c) => twips(Math.max(2, textWidthInChars(h, 0.65), ...rows.map((r) => textWidthInChars(r[c] ?? '', 0.65)))));
  const fill = (widths: number[]) => {
    widths[widths.length - 1]! += total - widths.reduce((a, b) => a + b, 0);
    return widths;
  };
  const sum = needed.reduce((a, b) => a + b, 0);
  if (sum <= total) return fill(needed.map((w) => Math.floor((w / sum) * total)));
  const long = needed.map((w) => w > twips(SHORT_COLUMN_CHARS));
  const fixed = needed.reduce((t, w, c) => t + (long[c] ? 0 : w), 0);
  const minimum = headerWidth.reduce((t, w, c) => t + (long[c] ? w : 0), 0);
  // Even the headers do not fit: everything shrinks in proportion.
  if (!long.some(Boolean) || fixed + minimum > total) return fill(needed.map((w) => Math.floor((w / sum) * total)));
  // Long columns get their header's width and share the rest by how much more they need.
  const extra = needed.reduce((t, w, c) => t + (long[c] ? w - headerWidth[c]! : 0), 0);
  const room = total - fixed - minimum;
  return fill(needed.map((w, c) => (long[c] ? headerWidth[c]! + Math.floor(((w - headerWidth[c]!) / extra) * room) : w)));
}

/** Columns no wider than this many characters never wrap: 序号, 状态, a date and time. */
const SHORT_COLUMN_CHARS = 12;

/** Word's default left and right cell margin (w:tblCellMar), in twips. */
const TABLE_CELL_MARGIN = 108;
