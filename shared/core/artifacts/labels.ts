import { Block, Figure, FigureSource, UnitStatus } from '../report/schema';

/**
 * The words every artifact uses for provenance and completeness, in one
 * place so the html, the xlsx and the md never describe the same thing
 * differently.
 */

export const STATUS_LABEL: Record<UnitStatus['status'], string> = { accepted: '已采用', rejected: '被退回', missing: '未报送' };

/** Where in the unit's file a value came from: "工作表“指标” C3（第3行）", "台账 reconsideration_cases，11行". */
export function locationText(location: FigureSource['location']): string {
  const parts: string[] = [];
  if (location.sheet !== undefined) parts.push(`工作表“${location.sheet}”`);
  if (location.cell !== undefined) parts.push(location.cell);
  if (location.row !== undefined) parts.push(`第${location.row}行`);
  if (location.path !== undefined) parts.push(location.path);
  if (location.ledger !== undefined) parts.push(`台账 ${location.ledger}${location.rows !== undefined ? `，${location.rows}行` : ''}`);
  return parts.join(' ');
}

/** The figure as the report prints it, with its measure word: "1000余名", "100%"; a gap says so. */
export function figureText(figure: Figure): string {
  return figure.value === null ? '待补充' : `${figure.display}${figure.unit}`;
}

/** Expected units that sent nothing for this figure. */
export function missingUnits(figure: Figure): string[] {
  return figure.expectedUnits.filter((u) => !figure.reportingUnits.includes(u));
}

/** 版记 as printed: "抄送：县纪委监委，市司法局。" and "灵寿县人民政府办公室 2022年1月14日印发". */
export function imprintLines(block: Extract<Block, { kind: 'imprint' }>): string[] {
  return [
    ...(block.copyTo ? [`抄送：${block.copyTo.join('，')}。`] : []),
    ...(block.printedBy ? [`${block.printedBy} ${block.printedOn}印发`] : []),
  ];
}
