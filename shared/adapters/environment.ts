import '../core/zod-mini-locale';
import * as z from 'zod/mini';
import { EnvironmentError } from '../core/errors';

/**
 * Reads a Lambda's environment once, at module load, with zod. A missing or
 * malformed variable fails the cold start with its name instead of failing a
 * record later with an undefined bucket. zod/mini: this runs in every cold
 * start, and its messages are zod's own (shared/core/zod-mini-locale.ts).
 */
export function readEnvironment<T extends z.core.$ZodLooseShape>(shape: T, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodMiniObject<T>> {
  const parsed = z.object(shape).safeParse(env, { jitless: true }); // parsed once: no use compiling a fast path
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => `${i.path.join('.')} (${i.message})`).join(', ');
    throw new EnvironmentError(`environment variables missing or invalid: ${names}`);
  }
  return parsed.data;
}

const nonEmpty = z.string().check(z.minLength(1));

/** What every function of a county stack is given. */
export const COMMON_ENV = {
  COUNTY_ID: nonEmpty,
  /** The county's config folder: bundled next to the handler in Lambda, shared/counties/<id> locally. */
  COUNTY_CONFIG_DIR: nonEmpty,
  TABLE_NAME: nonEmpty,
  /** Set by the stack per function; the handler's own name is the fallback locally. */
  POWERTOOLS_SERVICE_NAME: z.optional(z.string()),
};

/** Ingest (and the upload API) work on the submissions bucket. */
export const INGEST_ENV = { ...COMMON_ENV, SUBMISSIONS_BUCKET: nonEmpty };

/** Aggregation reads the table and writes the reports bucket; it never reads the uploaded files. */
export const AGGREGATE_ENV = { ...COMMON_ENV, REPORTS_BUCKET: nonEmpty };
