import { MAX_LOCATION_CHARS, MAX_PROBLEM_TEXT_CHARS } from './limits';
import type { SubmissionProblem } from './problems';

/**
 * Every problem code a parser can report, with its severity and the rule in
 * Chinese. Codes are stable (tests, tooling and the error report key on
 * them); FORMAT.md lists them for clerks and support staff.
 */
export const PROBLEM_CODES = {
  // The file as a whole
  FILE_EMPTY: ['error', '文件为空'],
  FILE_TOO_LARGE: ['error', '文件超过大小上限'],
  FILE_TYPE_UNSUPPORTED: ['error', '不支持的文件类型'],
  FILE_TYPE_MISMATCH: ['error', '文件内容与扩展名不符'],
  NOT_TEXT: ['error', '文件不是文本文件'],
  XLSX_NOT_A_ZIP: ['error', '文件不是有效的Excel工作簿（.xlsx）'],
  XLSX_LEGACY_OR_ENCRYPTED: ['error', '文件是旧版.xls或加密的工作簿：请在Excel或WPS表格中打开，去掉密码后“另存为”Excel 工作簿（*.xlsx）再上传'],
  XLSX_NOT_A_WORKBOOK: ['error', '压缩包中没有Excel工作簿'],
  XLSX_ZIP_CORRUPT: ['error', '工作簿压缩结构已损坏'],
  XLSX_ZIP_BOMB: ['error', '工作簿解压后体积异常（疑似压缩炸弹）'],
  XLSX_ZIP_TAMPERED: ['error', '工作簿压缩结构异常（含有目录未列出或与目录不一致的内容），请在Excel中打开后重新保存再上传'],
  XLSX_MACRO_ENABLED: ['error', '工作簿含有宏'],
  XLSX_UNREADABLE: ['error', '工作簿无法读取'],
  XLSX_NO_KNOWN_SHEETS: ['error', '工作簿中没有可识别的工作表'],
  JSON_NOT_UTF8: ['error', 'JSON文件不是UTF-8编码'],
  JSON_SYNTAX: ['error', 'JSON格式错误'],
  JSON_TOO_DEEP: ['error', 'JSON嵌套层数过多'],
  JSON_TOO_MANY_ELEMENTS: ['error', 'JSON元素过多'],
  JSON_FORBIDDEN_KEY: ['error', 'JSON中含有禁止使用的键名'],
  JSON_SCHEMA_VERSION: ['error', 'JSON文件格式版本不受支持'],
  JSON_SCHEMA: ['error', 'JSON文件结构不符合规定'],
  CSV_SYNTAX: ['error', 'CSV格式错误'],
  CSV_RAGGED_ROW: ['error', 'CSV行的列数与表头不一致'],
  CSV_UNKNOWN_BLOCK: ['error', '无法判断CSV文件的内容类别'],
  CSV_VALUE_WITHOUT_HEADER: ['error', '数据所在列没有表头'],
  TOO_MANY_PROBLEMS: ['error', '问题过多，仅列出前面部分'],
  NOTHING_TO_SUBMIT: ['error', '文件中没有任何填报内容'],
  // Who and when
  MISSING_FIELD: ['error', '缺少必填项'],
  COUNTY_MISMATCH: ['error', '县（市、区）与报送的县不符'],
  YEAR_MISMATCH: ['error', '年度与所报年度不符'],
  BAD_YEAR: ['error', '年度不是有效年份'],
  UNKNOWN_UNIT: ['error', '填报单位不在本县单位名单中'],
  UNIT_MISMATCH: ['error', '填报单位不一致'],
  // Indicators
  UNKNOWN_INDICATOR: ['error', '指标代码不存在'],
  INDICATOR_NOT_FOR_UNIT: ['warning', '本年度报告不向本单位收集该指标，已忽略（如确应由本单位报送，请联系县依法治县办调整配置）'],
  INDICATOR_NO_DATA: ['warning', '已填“暂无数据”：该项不计入合计，报告中标注为待补充'],
  PERCENT_OUT_OF_RANGE: ['error', '百分比应在0到100之间'],
  DUPLICATE_INDICATOR: ['error', '指标重复填报'],
  INDICATOR_EMPTY: ['warning', '指标未填写'],
  INDICATOR_MISSING: ['warning', '缺少本单位应填报的指标'],
  NOT_A_NUMBER: ['error', '不是有效数字'],
  NEGATIVE_NUMBER: ['error', '数值不能为负数'],
  NOT_AN_INTEGER: ['error', '数值应为整数'],
  NUMBER_TOO_LARGE: ['error', '数值过大，超出可准确保存的范围（9007199254740991）'],
  NUMBER_OUT_OF_RANGE: ['error', '数值超出该指标的合理范围'],
  CELL_TOO_LONG: ['error', '单元格内容过长'],
  APPROXIMATE_NOT_ALLOWED: ['error', '该指标须填写准确数，不能填写约数'],
  MEASURE_WORD_MISMATCH: ['warning', '数值后的计量单位与指标单位不一致'],
  FORMULA_CELL: ['warning', '单元格含公式，已采用公式的计算结果'],
  CELL_ERROR_VALUE: ['error', '单元格为错误值'],
  // Ledgers (台账)
  UNKNOWN_LEDGER: ['error', '台账名称不存在'],
  UNKNOWN_SHEET: ['warning', '无法识别的工作表，已忽略'],
  SHEET_RECOGNISED_BY_HEADER: ['warning', '工作表名称不规范，已按表头识别'],
  LEDGER_NOT_FOR_UNIT: ['warning', '该台账不由本单位填报，已忽略'],
  HEADER_NOT_FOUND: ['error', '找不到表头'],
  LEDGER_COLUMN_MISSING: ['error', '台账缺少必填列'],
  UNKNOWN_COLUMN: ['warning', '无法识别的列，已忽略'],
  DUPLICATE_COLUMN: ['error', '同一列出现两次'],
  REQUIRED_CELL_EMPTY: ['error', '必填项为空'],
  BAD_DATE: ['error', '不是有效日期'],
  BAD_ENUM: ['error', '不是允许的选项'],
  BAD_BOOLEAN: ['error', '应填“是”或“否”'],
  DUPLICATE_LEDGER_KEY: ['error', '台账中编号重复'],
  LEDGER_TOO_MANY_ROWS: ['error', '台账行数超过上限'],
  LEDGER_SUMMARY_DISAGREE: ['warning', '台账统计数与填报的汇总数不一致'],
  // Narratives
  UNKNOWN_SECTION: ['error', '工作情况栏目不存在'],
  NARRATIVE_TOO_LONG: ['error', '工作情况文字过长'],
  // Storage (a file the checks above let through but the database refused: a bug, alarmed)
  STORAGE_REJECTED: ['error', '文件内容无法保存'],
} as const satisfies Record<string, readonly ['error' | 'warning', string]>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** Where a problem is; every field optional, fill in what applies. */
export type ProblemLocation = Pick<SubmissionProblem, 'sheet' | 'cell' | 'row' | 'column' | 'path'>;

const VALUE_SHOWN_MAX = 200;

/** A problem with its rule, an optional detail, where it is, and the value seen. */
export function problem(code: ProblemCode, location: ProblemLocation, detail?: string, value?: unknown): SubmissionProblem {
  const [severity, rule] = PROBLEM_CODES[code];
  // Details, sheet names and paths quote the file: clipped, so a hostile cell cannot make a report (or a stored warning) huge.
  const p: SubmissionProblem = { severity, code, message: clip(detail ? `${rule}：${detail}` : rule, MAX_PROBLEM_TEXT_CHARS) };
  if (location.sheet !== undefined) p.sheet = clip(location.sheet, MAX_LOCATION_CHARS);
  if (location.cell !== undefined) p.cell = location.cell;
  if (location.row !== undefined) p.row = location.row;
  if (location.column !== undefined) p.column = clip(location.column, MAX_LOCATION_CHARS);
  if (location.path !== undefined) p.path = clip(location.path, MAX_LOCATION_CHARS);
  if (value !== undefined && value !== null) p.value = showValue(value);
  return p;
}

/** At most `max` UTF-16 units, marked with … when cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString().slice(0, 10);
  else if (typeof value === 'object') {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  } else text = String(value);
  return text.length > VALUE_SHOWN_MAX ? `${text.slice(0, VALUE_SHOWN_MAX)}…` : text;
}
