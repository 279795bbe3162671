import { Block, Figure, FigureSource, Report, Segment, UnitStatus } from '../report/schema';

/**
 * The words every artifact uses for provenance and completeness, in one
 * place so the html, the xlsx and the md never describe the same thing
 * differently.
 */

/** The internal companion of the draft: what a county does not publish (see internal-docx.ts). */
export const INTERNAL_FILE_NAME = '报送情况.docx';

export const STATUS_LABEL: Record<UnitStatus['status'], string> = { accepted: '已采用', rejected: '被退回', missing: '未报送' };

/** A unit's status as the office reads it: an accepted submission the office returned reads 已退回修改. */
export const statusLabel = (u: Pick<UnitStatus, 'status' | 'returned'>): string => (u.returned ? '已退回修改' : STATUS_LABEL[u.status]);

/** Where in the unit's file a value came from: "工作表“指标” C3（第3行）", "台账 reconsideration_cases，11行". */
export function locationText(location: FigureSource['location']): string {
  const parts: string[] = [];
  if (location.sheet !== undefined) parts.push(`工作表“${location.sheet}”`);
  if (location.cell !== undefined) parts.push(location.cell);
  if (location.row !== undefined) parts.push(`第${location.row}行`);
  if (location.path !== undefined) parts.push(location.indicatorName ? `指标“${location.indicatorName}”` : location.path);
  if (location.ledger !== undefined) parts.push(`台账“${location.ledgerName ?? location.ledger}”${location.rows !== undefined ? `，${location.rows}行` : ''}`);
  return parts.join(' ');
}

/** The file's own name, as the unit uploaded it. */
export const sourceFileName = (source: Pick<FigureSource, 's3Key'>): string => source.s3Key.slice(source.s3Key.lastIndexOf('/') + 1);

/**
 * Where a person finds a source value in the unit's file, by what the file shows: a workbook's sheet and cell
 * ("工作表“指标” D5") or a ledger's sheet and rows ("工作表“法律顾问名册”，2行"), a CSV's block and line
 * ("“【指标】”部分 第6行"), a JSON file's indicator or ledger by name. Never an id.
 */
export function sourcePlace(source: Pick<FigureSource, 's3Key' | 'location'>, figureName?: string): string {
  const l = source.location;
  const kind = /\.(xlsx|csv|json)$/i.exec(source.s3Key)?.[1]?.toLowerCase();
  const block = (name: string) => (kind === 'csv' ? `“【${name}】”部分` : kind === 'json' ? `“${name}”` : `工作表“${name}”`);
  const parts: string[] = [];
  if (l.ledger !== undefined) {
    const name = l.ledgerName ?? '台账';
    parts.push(`${kind === 'json' ? `台账“${name}”` : block(name)}${l.rows !== undefined ? `，${l.rows}${kind === 'json' ? '条' : '行'}` : ''}`);
    return parts.join('');
  }
  if (l.sheet !== undefined) parts.push(block(l.sheet));
  if (l.cell !== undefined) parts.push(l.cell);
  else if (l.row !== undefined) parts.push(`第${l.row}行`);
  // A JSON file holds the figure under its indicator: "本指标" when that is the figure in the row, else its name.
  if (l.path !== undefined && l.indicatorName) parts.push(l.indicatorName === figureName ? '本指标' : `指标“${l.indicatorName}”`);
  return parts.join(' ');
}

/** A unit's value as it wrote it: "1000余", "近300", "约12" for an approximate one without its word. */
export function sourceValueText(source: Pick<FigureSource, 'value' | 'approximate' | 'qualifier'>): string {
  const q = source.qualifier ?? (source.approximate ? '约' : undefined);
  if (!q) return String(source.value);
  return /^(近|约|不足)$/.test(q) ? `${q}${source.value}` : `${source.value}${q}`;
}

/** A ratio's part, a sum's part: "分子（办结件数）", "（行政复议收案数）"; nothing for a figure's own values. */
export function sourcePart(source: Pick<FigureSource, 'part' | 'partName'>): string {
  const label = source.part === 'numerator' ? '分子' : source.part === 'denominator' ? '分母' : '';
  return source.partName ? `${label}（${source.partName}）` : label;
}

/** The figure as the report prints it, with its measure word: "1000余名", "100%"; a gap says so. */
export function figureText(figure: Figure): string {
  return figure.value === null ? '待补充' : `${figure.display}${figure.printedUnit ?? figure.unit}`;
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

/** Figures computed while some expected units were missing or rejected. */
export function partialFigures(report: Report): (Figure & { partial: NonNullable<Figure['partial']> })[] {
  return report.figures.filter((f): f is Figure & { partial: NonNullable<Figure['partial']> } => f.partial !== undefined);
}

/**
 * What a partial mark says, in every artifact: "不完整：未计入灵寿县岔头镇人民政府等3个单位（未报送或被退回）",
 * and "…未计入灵寿县青廉乡人民政府（填报暂无数据）" for a unit that wrote 暂无数据.
 * Long lists are cut after five names: the companion 报送情况.docx has them all.
 */
export function partialNote(figure: Figure | undefined, unitName: ReadonlyMap<string, string>): string {
  const noData = figure?.partial?.noDataUnits ?? [];
  const absent = (figure?.partial?.missingUnits ?? []).filter((id) => !noData.includes(id));
  const list = (ids: readonly string[]) => `${ids.slice(0, 5).map((id) => unitName.get(id) ?? id).join('、')}${ids.length > 5 ? `等${ids.length}个单位` : ''}`;
  const parts = [absent.length ? `${list(absent)}（未报送或被退回）` : '', noData.length ? `${list(noData)}（填报暂无数据）` : ''].filter(Boolean);
  return `不完整：${figure ? `“${figure.name}”` : ''}未计入${parts.join('、') || '（未报送或被退回）'}`;
}

/**
 * The text a run is marked with, if any: a bound claim the data do not prove
 * (its reason), else a partial figure (or a sentence claiming completeness on
 * one). `key` groups adjacent runs into one mark.
 */
export function segmentMark(segment: Segment): string | undefined {
  return segment.claim !== undefined ? `claim:${segment.claim}` : segment.partial !== undefined ? `partial:${segment.partial}` : undefined;
}

export function markNote(report: Report, key: string, unitName: ReadonlyMap<string, string>): string {
  if (key.startsWith('claim:')) {
    const claim = report.claims?.find((c) => c.id === key.slice('claim:'.length));
    return `未经数据证实：${claim?.reason ?? ''}`;
  }
  return partialNote(report.figures.find((f) => f.indicatorId === key.slice('partial:'.length)), unitName);
}

/** Unit id → name, from the units the report knows. */
export const unitNames = (report: Report) => new Map(report.completeness.units.map((u) => [u.unitId, u.unitName]));
