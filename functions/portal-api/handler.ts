import { handle } from 'hono/aws-lambda';
import '../../shared/core/zod-mini-locale';
import * as z from 'zod/mini';
import { COMMON_ENV, readEnvironment } from '../../shared/adapters/environment';
import { loadCounty } from '../../shared/core/county/load';
import { invokeAggregate } from './invoke-aggregate';
import { createPortalApi } from './app';
import { createOfficeVerifier } from './office-auth';
import { cameThroughDistribution, NOT_THROUGH_DISTRIBUTION } from './origin-check';
import { portalStorage } from './storage';

/** The portal API in Lambda, behind API Gateway and the county's CloudFront distribution. */
const nonEmpty = z.string().check(z.minLength(1));
const env = readEnvironment({
  ...COMMON_ENV,
  SUBMISSIONS_BUCKET: nonEmpty,
  REPORTS_BUCKET: nonEmpty,
  USER_POOL_ID: nonEmpty,
  USER_POOL_CLIENT_ID: nonEmpty,
  AGGREGATE_FUNCTION_NAME: nonEmpty,
  PORTAL_ORIGIN_SECRET: nonEmpty,
});
const county = loadCounty(env.COUNTY_CONFIG_DIR, { expectedId: env.COUNTY_ID });
const { storage, presign } = portalStorage({ table: env.TABLE_NAME, submissionsBucket: env.SUBMISSIONS_BUCKET, reportsBucket: env.REPORTS_BUCKET });

const api = handle(
  createPortalApi({
    ...storage,
    county,
    now: () => new Date(),
    presign,
    verifyOffice: createOfficeVerifier({ userPoolId: env.USER_POOL_ID, clientId: env.USER_POOL_CLIENT_ID }),
    runAggregation: async (year, requestedBy) => {
      const out = await invokeAggregate(env.AGGREGATE_FUNCTION_NAME, { trigger: 'manual', county: env.COUNTY_ID, year, requestedBy });
      return { artifacts: out.artifacts };
    },
  }),
);

/** Requests that did not come through the distribution are refused before any route runs (origin-check.ts). */
export const handler = async (...args: Parameters<typeof api>) =>
  cameThroughDistribution(args[0].headers as Record<string, string | undefined> | undefined, env.PORTAL_ORIGIN_SECRET) ? api(...args) : NOT_THROUGH_DISTRIBUTION;
