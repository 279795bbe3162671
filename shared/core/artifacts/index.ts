import { Report } from '../report/schema';
import { renderMarkdown } from './markdown';

/**
 * Every artifact of a report run, rendered from the one Report value.
 * Renderers that pull in large libraries (docx, exceljs) are imported lazily
 * so that a Lambda that never renders them does not pay for them at cold start.
 */
export interface Artifact {
  fileName: string;
  contentType: string;
  body: string | Uint8Array;
}

export async function renderArtifacts(report: Report): Promise<Artifact[]> {
  return [
    { fileName: 'report.json', contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(report, null, 2)}\n` },
    { fileName: 'report.md', contentType: 'text/markdown; charset=utf-8', body: renderMarkdown(report) },
  ];
}
