import type { LoadedCatalogue } from '../catalogue/load';
import { chineseDateTime } from '../county/time';
import type { SubmissionProblem } from './problems';

/**
 * The error report stored next to a quarantined upload: JSON for tooling and
 * a plain-text file a clerk can open in Notepad (UTF-8 with BOM so Windows
 * Notepad of any age shows the Chinese correctly).
 */
export interface ErrorReportMeta {
  county: string;
  year: number;
  unitId: string;
  /** Names and the time zone for the text a clerk reads; the ids stay in the JSON. */
  countyName?: string;
  unitName?: string;
  timeZone?: string;
  s3Key?: string;
  versionId?: string;
  receivedAt?: string;
  fileName?: string;
  /** Indicator and ledger names for the places of a JSON upload's problems (not written to the JSON). */
  names?: PlaceNames;
}

export const ERROR_REPORT_SCHEMA_ID = 'yearly-report/error-report@1';

export function writeErrorReport(problems: readonly SubmissionProblem[], meta: ErrorReportMeta): { json: string; text: string } {
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  const { countyName, unitName, timeZone, names, ...ids } = meta;
  const json = JSON.stringify({ $schema: ERROR_REPORT_SCHEMA_ID, ...ids, errorCount: errors.length, warningCount: warnings.length, problems }, null, 2);

  const lines: string[] = [];
  const file = meta.fileName ?? meta.s3Key?.split('/').pop() ?? '';
  lines.push(`报送文件检查结果${file ? `：${file}` : ''}`);
  lines.push(`县（市、区）：${countyName ?? meta.county}    年度：${meta.year}    单位：${unitName ?? meta.unitId}`);
  if (meta.receivedAt) lines.push(`收到时间：${timeZone ? chineseDateTime(new Date(meta.receivedAt), timeZone) : meta.receivedAt}`);
  lines.push('');
  lines.push(errors.length > 0 ? `结论：未通过。发现${errors.length}处错误${warnings.length ? `、${warnings.length}处提醒` : ''}，请改正后重新上传。` : `结论：通过${warnings.length ? `，有${warnings.length}处提醒` : ''}。`);
  const section = (title: string, list: readonly SubmissionProblem[]) => {
    if (list.length === 0) return;
    lines.push('', `${title}（${list.length}处）`);
    list.forEach((p, i) => lines.push(formatProblemLine(p, i + 1, names)));
  };
  section('一、错误', errors);
  section(errors.length ? '二、提醒（不影响通过）' : '一、提醒（不影响通过）', warnings);
  lines.push('');
  return { json, text: `\uFEFF${lines.join('\r\n')}` };
}

/** Alias kept for the ingest use case, which names it by what it returns. */
export const formatErrorReport = writeErrorReport;

/** "3. 工作表“行政诉讼案件台账” D7（第7行，办理状态）：不是允许的选项：可选：已结案、审理中 [填写内容：在审] (BAD_ENUM)" */
export function formatProblemLine(p: SubmissionProblem, n?: number, names?: PlaceNames): string {
  const where = describeLocation(p, names);
  const seen = p.value !== undefined ? ` [填写内容：${p.value}]` : '';
  return `${n !== undefined ? `${n}. ` : ''}${where ? `${where}：` : ''}${p.message}${seen} (${p.code})`;
}

/**
 * The Chinese names a place is told with: a JSON upload's problems carry JSON
 * paths (indicators.legal_advisers_engaged), which a clerk reads as
 * 指标“聘用法律顾问人数”. Without names, the ids are shown in their place.
 */
export interface PlaceNames {
  indicator(id: string): string | undefined;
  ledger(ref: string): string | undefined;
  ledgerColumn(ledgerRef: string, key: string): string | undefined;
}

export function placeNamesOf(catalogue: LoadedCatalogue): PlaceNames {
  const ledgerOf = (ref: string) => catalogue.ledgerById.get(ref) ?? catalogue.ledgers.find((l) => l.name === ref);
  return {
    indicator: (id) => (catalogue.indicatorById.get(id) ?? catalogue.indicators.find((d) => d.name === id))?.name,
    ledger: (ref) => ledgerOf(ref)?.name,
    ledgerColumn: (ref, key) => ledgerOf(ref)?.columns.find((c) => c.id === key || c.name === key || c.aliases.includes(key))?.name,
  };
}

const FIELD_NAMES: Record<string, string> = {
  county: '县（市、区）',
  year: '年度',
  unit: '填报单位',
  'contact.name': '联系人',
  'contact.phone': '联系电话',
  $schema: '文件格式标识（$schema）',
  '(root)': '整个文件',
};

/** A JSON path as a clerk reads it, or undefined for a path with no reading (it is then shown as it is). */
function readablePath(path: string, names: PlaceNames | undefined): { text: string; hasRow: boolean } | undefined {
  if (FIELD_NAMES[path]) return { text: FIELD_NAMES[path]!, hasRow: false };
  let m = /^indicators\.([^.[\]]+)(?:\.(value|note))?$/.exec(path);
  if (m) return { text: `指标“${names?.indicator(m[1]!) ?? m[1]}”${m[2] === 'note' ? '的备注' : ''}`, hasRow: false };
  m = /^ledgers\.([^.[\]]+)(?:\[(\d+|\*)\](?:\.(.+))?)?$/.exec(path);
  if (m) {
    const [, ref, index, key] = m as unknown as [string, string, string | undefined, string | undefined];
    const ledger = `台账“${names?.ledger(ref) ?? ref}”`;
    const row = index === undefined ? '' : index === '*' ? '' : `第${Number(index) + 1}条`;
    const column = key === undefined ? '' : `“${names?.ledgerColumn(ref, key) ?? key}”${index === '*' ? '列' : ''}`;
    return { text: `${ledger}${row}${column}`, hasRow: index !== undefined };
  }
  m = /^narratives\[(\d+)\](?:\.(text|section))?$/.exec(path);
  if (m) return { text: `工作情况第${Number(m[1]) + 1}条${m[2] === 'section' ? '的栏目' : ''}`, hasRow: true };
  return undefined;
}

export function describeLocation(p: Pick<SubmissionProblem, 'sheet' | 'cell' | 'row' | 'column' | 'path'>, names?: PlaceNames): string {
  const readable = p.path ? readablePath(p.path, names) : undefined;
  if (readable) return readable.text;
  const parts: string[] = [];
  if (p.sheet) parts.push(`工作表“${p.sheet}”`);
  if (p.cell) parts.push(p.cell);
  const detail: string[] = [];
  if (p.row !== undefined && !p.cell) detail.push(`第${p.row}行`);
  if (p.column) detail.push(p.column);
  if (p.path) parts.push(p.path);
  const head = parts.join(' ');
  if (!head) return detail.join('，');
  return detail.length ? `${head}（${detail.join('，')}）` : head;
}
