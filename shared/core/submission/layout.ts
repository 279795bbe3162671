/**
 * The workbook layout shared by the template command (which writes it) and
 * the xlsx and csv parsers (which read it), so the two cannot drift. Labels
 * list what the template prints first, then what clerks type instead.
 */
export const SHEETS = {
  cover: '封面',
  indicators: '指标',
  narratives: '工作情况',
  instructions: '说明',
} as const;

export const SHEET_ALIASES: Readonly<Record<keyof typeof SHEETS, readonly string[]>> = {
  cover: ['封面', '基本信息', '报送信息', 'cover'],
  indicators: ['指标', '指标表', '统计指标', '指标数据', 'indicators'],
  narratives: ['工作情况', '工作开展情况', '文字材料', '工作亮点', 'narratives'],
  instructions: ['说明', '填表说明', '填报说明', 'instructions'],
};

export const COVER_LABELS = {
  county: ['县（市、区）', '县(市、区)', '县', '县区', '所属县', 'county'],
  unit: ['填报单位', '单位', '单位名称', '报送单位', 'unit'],
  year: ['年度', '年份', '报告年度', '填报年度', 'year'],
  contact: ['联系人', '填报人', '经办人', 'contact'],
  phone: ['联系电话', '电话', '手机', '手机号码', 'phone'],
} as const;

export const INDICATOR_COLUMNS = {
  code: ['指标代码', '代码', '指标编码', '编码', 'code', 'id'],
  name: ['指标名称', '名称', '指标', 'name'],
  unit: ['计量单位', '单位', 'unit'],
  value: ['数值', '填报数', '填报数值', '数量', '数据', '值', 'value'],
  note: ['备注', '说明', 'note'],
} as const;

export const NARRATIVE_COLUMNS = {
  section: ['栏目代码', '代码', 'section'],
  label: ['栏目', '栏目名称', '报告栏目', '所属栏目'],
  text: ['工作情况', '内容', '工作内容', '具体内容', 'text'],
} as const;

/**
 * Where the template puts each column (1-based). A person reads the name
 * first; the codes the parser prefers sit last and hidden (the parser finds
 * columns by header, so files laid out otherwise still read).
 */
export const TEMPLATE_INDICATOR_COLUMN = { name: 1, unit: 2, value: 3, note: 4, code: 5 } as const;
export const TEMPLATE_NARRATIVE_COLUMN = { label: 1, text: 2, section: 3 } as const;

/** Rows the template leaves open for ledger entries (validation and unlocked cells cover them). */
export const TEMPLATE_LEDGER_ROWS = 500;

/**
 * What the template shows, instead of an input cell, for a figure the unit's
 * own ledger gives (行政复议收案数 from the 行政复议案件台账): the parser
 * reads it as "not typed" and the ledger's count is the figure.
 */
export const LEDGER_COUNTED_TEXT = '由台账自动统计';
/** A ledger header may sit below a title row or two. */
export const MAX_HEADER_SEARCH_ROWS = 10;

/** Column number (1-based) → letters: 1 → A, 28 → AB. */
export function columnLetter(n: number): string {
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
