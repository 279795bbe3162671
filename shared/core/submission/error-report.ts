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
}

export const ERROR_REPORT_SCHEMA_ID = 'yearly-report/error-report@1';

export function writeErrorReport(problems: readonly SubmissionProblem[], meta: ErrorReportMeta): { json: string; text: string } {
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  const { countyName, unitName, timeZone, ...ids } = meta;
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
    list.forEach((p, i) => lines.push(formatProblemLine(p, i + 1)));
  };
  section('一、错误', errors);
  section(errors.length ? '二、提醒（不影响通过）' : '一、提醒（不影响通过）', warnings);
  lines.push('');
  return { json, text: `\uFEFF${lines.join('\r\n')}` };
}

/** Alias kept for the ingest use case, which names it by what it returns. */
export const formatErrorReport = writeErrorReport;

/** "3. 工作表“行政诉讼案件台账” D7（第7行，办理状态）：不是允许的选项：可选：已结案、审理中 [填写内容：在审] (BAD_ENUM)" */
export function formatProblemLine(p: SubmissionProblem, n?: number): string {
  const where = describeLocation(p);
  const seen = p.value !== undefined ? ` [填写内容：${p.value}]` : '';
  return `${n !== undefined ? `${n}. ` : ''}${where ? `${where}：` : ''}${p.message}${seen} (${p.code})`;
}

export function describeLocation(p: Pick<SubmissionProblem, 'sheet' | 'cell' | 'row' | 'column' | 'path'>): string {
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
