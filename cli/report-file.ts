import { readFileSync } from 'node:fs';
import { Report, ReportSchema } from '../shared/core/report/schema';

/** Reads a report.json the pipeline wrote, checking it against its schema. */
export function loadReportFile(file: string): Report {
  return ReportSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}
