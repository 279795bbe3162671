import type { Paragraph, Table } from 'docx';
import { chineseDateTime, DEFAULT_TIME_ZONE } from '../county/time';
import type { Report } from '../report/schema';
import { columnWidths, fontTableXml, GONGWEN, textWidthInChars } from './docx';

const mmToTwips = (mm: number) => Math.round((mm * 1440) / 25.4);
import { figureText, missingUnits, partialFigures, sourceFileName, sourcePlace, sourceValueText, statusLabel } from './labels';

export { INTERNAL_FILE_NAME } from './labels';
import { printableText } from './text';

/**
 * 报送情况.docx: the office's internal companion to the draft. Everything a
 * county does not publish lives here and not in report.docx/html/md: who
 * submitted when (late or not), figures computed while units were missing,
 * warnings, and where every figure came from. Same page and fonts as the
 * draft so it prints on the same printer the same way; no 公文 frame.
 */

/**
 * Columns for a printed check list: every column as wide as its widest entry (so a number, a unit's name or a
 * file name never wraps), at most `cap` characters, and the `flexible` column takes the rest, at least `min`
 * characters, wrapping there. Only when even that does not fit does the last column give way too.
 */
export function fitColumns(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  total: number,
  options: { flexible: number; min: number; cap?: number; halfPoints: number },
): number[] {
  const charTwips = options.halfPoints * 10;
  const cellMargin = 2 * 108;
  // Latin letters and digits at 0.55 of a character: the fallback fonts set them a little wider than 仿宋's half width.
  const twips = (chars: number) => Math.ceil((chars + 0.6) * charTwips) + cellMargin;
  // Curly quotes (“法律顾问名册”) are set full width in Chinese text.
  const width = (t: string) => textWidthInChars(t, 0.55) + 0.45 * (t.match(/[\u2018-\u201f]/g)?.length ?? 0);
  const need = header.map((h, c) => twips(Math.min(options.cap ?? Infinity, Math.max(width(h), ...rows.map((r) => width(r[c] ?? ''))))));
  const fixed = need.reduce((t, w, c) => (c === options.flexible ? t : t + w), 0);
  const widths = need.map((w, c) => (c === options.flexible ? Math.max(twips(options.min), total - fixed) : w));
  const over = widths.reduce((a, b) => a + b, 0) - total;
  if (over > 0) {
    const last = widths.length - 1 === options.flexible ? widths.length - 2 : widths.length - 1;
    widths[last] = Math.max(twips(options.min), widths[last]! - over);
  }
  return widths;
}

/** 10 pt in the sources table: a landscape row holds a unit's full name, its value, its file and the place whole. */
const SOURCE_TABLE_SIZE = 20; // half-points

export function internalTitle(report: Report): string {
  return `${report.countyName}${report.year}年度法治政府建设情况报告报送情况`;
}

export async function renderInternalDocx(report: Report): Promise<Uint8Array> {
  const docx = await import('docx');
  const { AlignmentType, Document, Footer, HeadingLevel, PageNumber, PageOrientation, Packer, Paragraph: P, Table: T, TableCell, TableRow, TextRun, VerticalAlign, WidthType } = docx;
  const timeZone = report.timeZone ?? DEFAULT_TIME_ZONE;
  const local = (iso: string) => chineseDateTime(new Date(iso), timeZone);
  const unitName = new Map(report.completeness.units.map((u) => [u.unitId, u.unitName]));
  const names = (ids: readonly string[]) => ids.map((id) => unitName.get(id) ?? id).join('、');
  const text = (t: string, bold = false) => new TextRun({ text: printableText(t), bold });
  const para = (t: string) => new P({ children: [text(t)], spacing: { after: 120 } });
  const heading = (t: string) => new P({ heading: HeadingLevel.HEADING_1, children: [text(t)], spacing: { before: 240, after: 120 }, keepNext: true });
  const textWidth = GONGWEN.page.width - GONGWEN.margin.left - GONGWEN.margin.right;
  const table = (header: string[], rows: string[][], fit?: { flexible: number; min: number; cap: number }): Table => {
    const widths = fit ? fitColumns(header, rows, textWidth, { ...fit, halfPoints: GONGWEN.size.table }) : columnWidths(header, rows, textWidth);
    const row = (cells: readonly string[], isHeader: boolean) =>
      new TableRow({
        tableHeader: isHeader,
        cantSplit: true,
        children: header.map(
          (_, c) => new TableCell({ width: { size: widths[c]!, type: WidthType.DXA }, children: [new P({ children: [text(cells[c] ?? '', isHeader)] })] }),
        ),
      });
    return new T({ width: { size: textWidth, type: WidthType.DXA }, columnWidths: widths, rows: [row(header, true), ...rows.map((r) => row(r, false))] });
  };

  /**
   * 四、数据来源, on landscape pages: one row per unit's value, the figure's name and county value merged down its
   * rows, each value with the unit, the file as uploaded and the sheet and cell (or ledger and rows) where the
   * office finds it. Columns are as wide as their longest entry allows, so names and numbers stay whole.
   */
  const figureById = new Map(report.figures.map((f) => [f.indicatorId, f]));
  const sourceRows = report.figures.map((f) => {
    const agg = f.aggregation;
    const parts =
      agg?.kind === 'ratio'
        ? `（分子：${figureById.get(agg.numerator ?? '')?.name ?? ''}；分母：${figureById.get(agg.denominator ?? '')?.name ?? ''}）`
        : '';
    const rows = f.sources.map((s) => [
      s.unitName,
      `${s.part === 'numerator' ? '分子 ' : s.part === 'denominator' ? '分母 ' : ''}${sourceValueText(s)}`,
      sourceFileName(s),
      sourcePlace(s, s.partName ?? f.name),
    ]);
    const missing = missingUnits(f);
    if (missing.length) rows.push([`未报：${names(missing)}`, '', '', '']);
    if (!rows.length) rows.push(['无单位报送', '', '', '']);
    return { figure: `${f.name}${parts}`, value: figureText(f), rows };
  });
  const sourceHeader = ['指标', '全县数', '报送单位', '填报数', '文件', '位置'];
  const landscape = { width: GONGWEN.page.height, height: GONGWEN.page.width };
  const landscapeMargin = { top: GONGWEN.margin.left, bottom: GONGWEN.margin.right, left: mmToTwips(12), right: mmToTwips(12) };
  const landscapeWidth = landscape.width - landscapeMargin.left - landscapeMargin.right;
  const sourceTable = (): Table => {
    // The 未报 lines list many units and wrap in their cell: they do not set the unit column's width.
    const flat = sourceRows.flatMap((g) => g.rows.filter((r) => r[1] !== '' || r[2] !== '').map((r) => [g.figure, g.value, ...r]));
    const widths = fitColumns(sourceHeader, flat, landscapeWidth, { flexible: 0, min: 8, halfPoints: SOURCE_TABLE_SIZE });
    const small = { size: SOURCE_TABLE_SIZE };
    const cell = (value: string, c: number, extra: { rowSpan?: number; columnSpan?: number; bold?: boolean } = {}) =>
      new TableCell({
        width: { size: extra.columnSpan ? widths.slice(c, c + extra.columnSpan).reduce((a, b) => a + b, 0) : widths[c]!, type: WidthType.DXA },
        ...(extra.rowSpan && extra.rowSpan > 1 ? { rowSpan: extra.rowSpan } : {}),
        ...(extra.columnSpan ? { columnSpan: extra.columnSpan } : {}),
        verticalAlign: VerticalAlign.TOP,
        children: [new P({ children: [new TextRun({ text: printableText(value), bold: extra.bold, ...small })] })],
      });
    const header = new TableRow({ tableHeader: true, cantSplit: true, children: sourceHeader.map((h, c) => cell(h, c, { bold: true })) });
    const body = sourceRows.flatMap((g) =>
      g.rows.map(
        (r, i) =>
          new TableRow({
            cantSplit: true,
            children: [
              ...(i === 0 ? [cell(g.figure, 0, { rowSpan: g.rows.length }), cell(g.value, 1, { rowSpan: g.rows.length })] : []),
              // A 未报 line runs across the unit, value, file and place columns: a long list of names needs the room.
              ...(r.slice(1).every((v) => v === '') ? [cell(r[0]!, 2, { columnSpan: 4 })] : r.map((v, k) => cell(v, k + 2))),
            ],
          }),
      ),
    );
    return new T({ width: { size: landscapeWidth, type: WidthType.DXA }, columnWidths: widths, rows: [header, ...body] });
  };

  // "第 1 页 共 17 页": the office checks a printed stack page by page.
  const footer = new Footer({
    children: [new P({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['第 ', PageNumber.CURRENT, ' 页 共 ', PageNumber.TOTAL_PAGES, ' 页'] })] })],
  });

  const c = report.completeness;
  const partial = partialFigures(report);
  const unproven = (report.claims ?? []).filter((c) => !c.holds);
  const partialUnits = (f: (typeof partial)[number]) => {
    const noData = f.partial.noDataUnits ?? [];
    const absent = f.partial.missingUnits.filter((u) => !noData.includes(u));
    return [absent.length ? names(absent) : '', noData.length ? `${names(noData)}（填报暂无数据）` : ''].filter(Boolean).join('、');
  };
  // The partial table lists what the draft prints; the rest is named after it.
  const printed = new Set(
    report.document.flatMap((b) => (b.kind === 'paragraph' ? b.segments : b.kind === 'heading2' ? b.body : [])).flatMap((s) => (s.figure ? [s.figure] : [])),
  );
  const partialPrinted = partial.filter((f) => printed.has(f.indicatorId));
  const partialUnprinted = partial.filter((f) => !printed.has(f.indicatorId));
  const children: (Paragraph | Table)[] = [
    // Two lines, broken where the words allow: the report's name, then what this is.
    new P({
      alignment: AlignmentType.CENTER,
      children: [
        new TextRun({ text: printableText(`${report.countyName}${report.year}年度法治政府建设情况报告`), size: GONGWEN.size.title, font: GONGWEN.fonts.title }),
        new TextRun({ text: '报送情况', size: GONGWEN.size.title, font: GONGWEN.fonts.title, break: 1 }),
      ],
      spacing: { after: 240 },
    }),
    new P({ alignment: AlignmentType.CENTER, children: [text('内部材料，不对外公开')], spacing: { after: 240 } }),
    para(`生成时间：${local(report.generatedAt)}。本材料随报告草稿（report.docx）生成，供县依法治县办核对，不随报告公开。`),
    heading('一、材料报送情况'),
    para(`应报${c.expected}个单位，已报${c.submitted}个，采用${c.accepted}个，逾期${c.late}个，未报${c.missing}个。`),
    table(
      ['单位', '报送情况', '报送时间'],
      c.units.map((u) => [u.unitName, `${statusLabel(u)}${u.late ? '（逾期）' : ''}`, u.receivedAt ? local(u.receivedAt) : '']),
    ),
    heading('二、数据不完整的指标'),
    ...(partial.length
      ? [
          ...(partialPrinted.length
            ? [
                para('下列数字缺少部分应报单位的材料（未报送、被退回或填报暂无数据）时算出，草稿中已用黄色标出，补齐材料前不能作为全县数字使用。'),
                table(
                  ['指标', '草稿中的数字', '未计入的单位'],
                  partialPrinted.map((f) => [f.name, figureText(f), partialUnits(f)]),
                  { flexible: 2, min: 12, cap: 10 },
                ),
              ]
            : []),
          ...(partialUnprinted.length
            ? [para(`另有${partialUnprinted.length}项指标草稿未引用，同样缺少部分单位的材料（见四、数据来源）：${partialUnprinted.map((f) => f.name).join('、')}。`)]
            : []),
        ]
      : [para('无。草稿中每个数字都包含全部应报单位的材料。')]),
    ...(unproven.length
      ? [
          para(`下列${unproven.length}处表述称全部完成或全覆盖，但数据尚不能证实，草稿中已用黄色标出并加批注；数据证实前请勿照印，或改写。`),
          table(
            ['草稿中的表述', '未经证实的原因'],
            unproven.map((c) => [c.text, c.reason ?? '']),
          ),
        ]
      : []),
    heading(`三、预警（${report.warnings.length}条）`),
    ...(report.warnings.length ? report.warnings.map((w, i) => para(`${i + 1}．${w.message}`)) : [para('无。')]),
  ];
  const sourceSection: (Paragraph | Table)[] = [
    heading('四、数据来源'),
    para('每个数字的来源：报送单位、所填数值、上传的文件及其中的工作表和单元格（或台账及行数），可据此逐项核对原件。'),
    sourceTable(),
  ];

  const document = new Document({
    title: internalTitle(report),
    creator: report.countyName,
    description: `${report.schema} generated ${report.generatedAt}`,
    styles: {
      default: {
        document: {
          run: { font: { ascii: GONGWEN.fonts.body, hAnsi: GONGWEN.fonts.body, eastAsia: GONGWEN.fonts.body, cs: GONGWEN.fonts.body }, size: GONGWEN.size.table, language: { value: 'en-US', eastAsia: 'zh-CN' } },
        },
        heading1: { run: { font: { ascii: GONGWEN.fonts.heading1, hAnsi: GONGWEN.fonts.heading1, eastAsia: GONGWEN.fonts.heading1, cs: GONGWEN.fonts.heading1 }, size: GONGWEN.size.body, color: '000000' } },
      },
    },
    sections: [
      { properties: { page: { size: { width: GONGWEN.page.width, height: GONGWEN.page.height }, margin: GONGWEN.margin } }, footers: { default: footer }, children },
      {
        // docx swaps width and height itself for a landscape page.
        properties: { page: { size: { width: GONGWEN.page.width, height: GONGWEN.page.height, orientation: PageOrientation.LANDSCAPE }, margin: landscapeMargin } },
        footers: { default: footer },
        children: sourceSection,
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document, false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]));
}
