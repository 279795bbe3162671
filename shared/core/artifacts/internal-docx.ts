import type { Paragraph, Table } from 'docx';
import { chineseDateTime, DEFAULT_TIME_ZONE } from '../county/time';
import type { Report } from '../report/schema';
import { columnWidths, fontTableXml, GONGWEN } from './docx';
import { figureText, locationText, missingUnits, partialFigures, statusLabel } from './labels';

export { INTERNAL_FILE_NAME } from './labels';
import { printableText } from './text';

/**
 * 报送情况.docx: the office's internal companion to the draft. Everything a
 * county does not publish lives here and not in report.docx/html/md: who
 * submitted when (late or not), figures computed while units were missing,
 * warnings, and where every figure came from. Same page and fonts as the
 * draft so it prints on the same printer the same way; no 公文 frame.
 */

export function internalTitle(report: Report): string {
  return `${report.countyName}${report.year}年度法治政府建设情况报告报送情况`;
}

export async function renderInternalDocx(report: Report): Promise<Uint8Array> {
  const docx = await import('docx');
  const { AlignmentType, Document, HeadingLevel, Packer, Paragraph: P, Table: T, TableCell, TableRow, TextRun, WidthType } = docx;
  const timeZone = report.timeZone ?? DEFAULT_TIME_ZONE;
  const local = (iso: string) => chineseDateTime(new Date(iso), timeZone);
  const unitName = new Map(report.completeness.units.map((u) => [u.unitId, u.unitName]));
  const names = (ids: readonly string[]) => ids.map((id) => unitName.get(id) ?? id).join('、');
  const text = (t: string, bold = false) => new TextRun({ text: printableText(t), bold });
  const para = (t: string) => new P({ children: [text(t)], spacing: { after: 120 } });
  const heading = (t: string) => new P({ heading: HeadingLevel.HEADING_1, children: [text(t)], spacing: { before: 240, after: 120 }, keepNext: true });
  const textWidth = GONGWEN.page.width - GONGWEN.margin.left - GONGWEN.margin.right;
  const table = (header: string[], rows: string[][]): Table => {
    const widths = columnWidths(header, rows, textWidth);
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

  const c = report.completeness;
  const partial = partialFigures(report);
  const unproven = (report.claims ?? []).filter((c) => !c.holds);
  const partialUnits = (f: (typeof partial)[number]) => {
    const noData = f.partial.noDataUnits ?? [];
    const absent = f.partial.missingUnits.filter((u) => !noData.includes(u));
    return [absent.length ? names(absent) : '', noData.length ? `${names(noData)}（填报暂无数据）` : ''].filter(Boolean).join('、');
  };
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
          para('下列数字缺少部分应报单位的材料（未报送、被退回或填报暂无数据）时算出，草稿中已用黄色标出，补齐材料前不能作为全县数字使用。'),
          table(
            ['指标', '草稿中的数字', '未计入的单位'],
            partial.map((f) => [f.name, figureText(f), partialUnits(f)]),
          ),
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
    heading('四、数据来源'),
    table(
      ['指标', '数值', '来源（单位：数值，文件，位置）'],
      report.figures.map((f) => [
        f.name,
        figureText(f),
        [
          ...f.sources.map((s) => `${s.unitName}：${s.value}${s.approximate ? '（约数）' : ''}，${s.s3Key.slice(s.s3Key.lastIndexOf('/') + 1)}${locationText(s.location) ? `，${locationText(s.location)}` : ''}`),
          ...(missingUnits(f).length ? [`未报：${names(missingUnits(f))}`] : []),
        ].join('；'),
      ]),
    ),
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
    sections: [{ properties: { page: { size: { width: GONGWEN.page.width, height: GONGWEN.page.height }, margin: GONGWEN.margin } }, children }],
  });
  return new Uint8Array(await Packer.toBuffer(document, false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]));
}
