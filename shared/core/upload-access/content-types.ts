import { SUBMISSION_EXTENSIONS } from '../../storage/layout';

/**
 * The Content-Type each accepted submission extension must be uploaded with.
 * The presigned POST pins it, so a unit cannot store a file S3 would later
 * serve as something else.
 */
export const SUBMISSION_CONTENT_TYPES: Record<(typeof SUBMISSION_EXTENSIONS)[number], string> = {
  '.json': 'application/json',
  '.csv': 'text/csv',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function contentTypeFor(fileName: string): string | undefined {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return undefined;
  const ext = fileName.slice(dot).toLowerCase() as keyof typeof SUBMISSION_CONTENT_TYPES;
  return SUBMISSION_CONTENT_TYPES[ext];
}
