import { PREFIX, SUBMISSION_EXTENSIONS } from '../storage/layout';
import { NotASubmissionError } from './errors';

/**
 * Submission object keys: submissions/{year}/{unitId}/{file name}. The path,
 * not the file, says which unit and year an upload is for (a per-unit upload
 * policy can then restrict the prefix); a file that claims otherwise is
 * rejected by the parser.
 */
export interface SubmissionKey {
  key: string;
  year: number;
  unitId: string;
  fileName: string;
  format: 'json' | 'csv' | 'xlsx';
}

export function submissionKey(year: number, unitId: string, fileName: string): string {
  return `${PREFIX.submissions}${year}/${unitId}/${fileName}`;
}

export function parseSubmissionKey(key: string): SubmissionKey {
  if (!key.startsWith(PREFIX.submissions)) throw new NotASubmissionError(`not under ${PREFIX.submissions}: ${key}`);
  const parts = key.slice(PREFIX.submissions.length).split('/');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) {
    throw new NotASubmissionError(`expected ${PREFIX.submissions}{year}/{unit}/{file}: ${key}`);
  }
  const [yearText, unitId, fileName] = parts as [string, string, string];
  if (!/^\d{4}$/.test(yearText)) throw new NotASubmissionError(`year is not four digits: ${key}`);
  const ext = fileName.slice(fileName.lastIndexOf('.')).toLowerCase();
  if (!(SUBMISSION_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new NotASubmissionError(`not a submission file type (${SUBMISSION_EXTENSIONS.join(', ')}): ${key}`);
  }
  return { key, year: Number(yearText), unitId, fileName, format: ext.slice(1) as SubmissionKey['format'] };
}
