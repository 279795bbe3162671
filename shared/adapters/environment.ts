import { z } from 'zod';
import { EnvironmentError } from '../core/errors';

/**
 * Reads a Lambda's environment once, at module load, with zod. A missing or
 * malformed variable fails the cold start with its name instead of failing a
 * record later with an undefined bucket.
 */
export function readEnvironment<T extends z.ZodRawShape>(shape: T, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<T>> {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => `${i.path.join('.')} (${i.message})`).join(', ');
    throw new EnvironmentError(`environment variables missing or invalid: ${names}`);
  }
  return parsed.data;
}

const nonEmpty = z.string().min(1);

/** What every function of a county stack is given. */
export const COMMON_ENV = {
  COUNTY_ID: nonEmpty,
  /** The county's config folder: bundled next to the handler in Lambda, shared/counties/<id> locally. */
  COUNTY_CONFIG_DIR: nonEmpty,
  TABLE_NAME: nonEmpty,
  /** Set by the stack per function; the handler's own name is the fallback locally. */
  POWERTOOLS_SERVICE_NAME: z.string().optional(),
};

/** Ingest (and the upload API) work on the submissions bucket. */
export const INGEST_ENV = { ...COMMON_ENV, SUBMISSIONS_BUCKET: nonEmpty };

/** Aggregation reads the table and writes the reports bucket; it never reads the uploaded files. */
export const AGGREGATE_ENV = { ...COMMON_ENV, REPORTS_BUCKET: nonEmpty };
