import { Report } from '../report/schema';
import { renderDocx } from './docx';
import { renderHtml } from './html';
import { renderInternalDocx } from './internal-docx';
import { INTERNAL_FILE_NAME } from './labels';
import { renderMarkdown } from './markdown';
import { renderXlsx } from './xlsx';

/**
 * Every artifact of a report run, rendered from the one Report value.
 * Renderers that pull in large libraries (docx, exceljs) import them inside
 * their render function, so loading this module (and a Lambda's cold start)
 * does not load them until an artifact is actually rendered.
 */
export interface Artifact {
  fileName: string;
  contentType: string;
  body: string | Uint8Array;
}

export const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/**
 * In this order: report.json, report.md, report.html, report.docx (what a
 * county publishes, and its previews), then the internal material: 报送情况.docx
 * (completeness, partial figures, warnings, sources) and data.xlsx.
 */
export async function renderArtifacts(report: Report): Promise<Artifact[]> {
  const [docx, internal, xlsx] = await Promise.all([renderDocx(report), renderInternalDocx(report), renderXlsx(report)]);
  return [
    { fileName: 'report.json', contentType: CONTENT_TYPES.json, body: `${JSON.stringify(report, null, 2)}\n` },
    { fileName: 'report.md', contentType: CONTENT_TYPES.md, body: renderMarkdown(report) },
    { fileName: 'report.html', contentType: CONTENT_TYPES.html, body: renderHtml(report) },
    { fileName: 'report.docx', contentType: CONTENT_TYPES.docx, body: docx },
    { fileName: INTERNAL_FILE_NAME, contentType: CONTENT_TYPES.docx, body: internal },
    { fileName: 'data.xlsx', contentType: CONTENT_TYPES.xlsx, body: xlsx },
  ];
}
