import { handle } from 'hono/aws-lambda';
import '../../shared/core/zod-mini-locale';
import * as z from 'zod/mini';
import { COMMON_ENV, readEnvironment } from '../../shared/adapters/environment';
import { EnvironmentError } from '../../shared/core/errors';
import { loadCounty } from '../../shared/core/county/load';
import { OfficeSignInSchema } from '../../shared/core/county/schema';
import { invokeAggregate } from './invoke-aggregate';
import { createPortalApi } from './app';
import { createOfficeAuth, type OfficeAuthConfig } from './office-auth';
import { cameThroughDistribution, NOT_THROUGH_DISTRIBUTION } from './origin-check';
import { portalStorage } from './storage';

/** The portal API in Lambda, behind API Gateway and the county's CloudFront distribution. */
const nonEmpty = z.string().check(z.minLength(1));
const env = readEnvironment({
  ...COMMON_ENV,
  SUBMISSIONS_BUCKET: nonEmpty,
  REPORTS_BUCKET: nonEmpty,
  // Where the county signs in with Cognito (county.json officeSignIn.provider "cognito"): the pool, its app client, its hosted domain.
  USER_POOL_ID: z.optional(nonEmpty),
  USER_POOL_CLIENT_ID: z.optional(nonEmpty),
  USER_POOL_DOMAIN_URL: z.optional(z.url({ protocol: /^https$/ })),
  // Where it signs in at its own OpenID provider: officeSignIn as the deploy settled it (county.json, or -c oidcIssuer/oidcClientId).
  OFFICE_SIGN_IN: z.optional(nonEmpty),
  AGGREGATE_FUNCTION_NAME: nonEmpty,
  PORTAL_ORIGIN_SECRET: nonEmpty,
});
const county = loadCounty(env.COUNTY_CONFIG_DIR, { expectedId: env.COUNTY_ID });
const signIn = env.OFFICE_SIGN_IN ? z.parse(OfficeSignInSchema, JSON.parse(env.OFFICE_SIGN_IN)) : county.config.officeSignIn;
const officeAuth: OfficeAuthConfig =
  signIn.provider === 'oidc'
    ? signIn // the county's own provider: everything is in officeSignIn
    : { provider: 'cognito', userPoolId: required('USER_POOL_ID', env.USER_POOL_ID), clientId: required('USER_POOL_CLIENT_ID', env.USER_POOL_CLIENT_ID), domainUrl: required('USER_POOL_DOMAIN_URL', env.USER_POOL_DOMAIN_URL) };
const { storage, presign } = portalStorage({ table: env.TABLE_NAME, submissionsBucket: env.SUBMISSIONS_BUCKET, reportsBucket: env.REPORTS_BUCKET });

const api = handle(
  createPortalApi({
    ...storage,
    county,
    now: () => new Date(),
    presign,
    officeAuth: createOfficeAuth(officeAuth),
    runAggregation: async (year, requestedBy) => {
      const out = await invokeAggregate(env.AGGREGATE_FUNCTION_NAME, { trigger: 'manual', county: env.COUNTY_ID, year, requestedBy });
      return { artifacts: out.artifacts };
    },
  }),
);

function required(name: string, value: string | undefined): string {
  if (!value) throw new EnvironmentError(`environment variable ${name} missing: the county signs in with Cognito (county.json officeSignIn)`);
  return value;
}
/** Requests that did not come through the distribution are refused before any route runs (origin-check.ts). */
export const handler = async (...args: Parameters<typeof api>) =>
  cameThroughDistribution(args[0].headers as Record<string, string | undefined> | undefined, env.PORTAL_ORIGIN_SECRET) ? api(...args) : NOT_THROUGH_DISTRIBUTION;
