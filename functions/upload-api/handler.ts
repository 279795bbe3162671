import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients';
import { DynamoSubmissionRepository } from '../../shared/adapters/dynamo-submission-repository';
import { DynamoUploadTokenStore } from '../../shared/adapters/dynamo-upload-token-store';
import { COMMON_ENV, readEnvironment } from '../../shared/adapters/environment';
import { loadCounty } from '../../shared/core/county/load';
import { requestUpload } from '../../shared/core/upload-access/request-upload';
import { MAX_SUBMISSION_BYTES } from '../../shared/core/submission/limits';
import { presignUpload } from './presign';

/**
 * POST /uploads with `Authorization: Bearer yrt_…` and
 * { year, unit, fileName, contentType? } → a presigned POST for exactly that
 * file under submissions/{year}/{unit}/ (shared/core/upload-access decides).
 * 401 for a missing, wrong, revoked or expired token; 403 for another unit's
 * folder or a year that is not open; 400 for a bad request.
 */
const env = readEnvironment({
  COUNTY_ID: COMMON_ENV.COUNTY_ID,
  COUNTY_CONFIG_DIR: COMMON_ENV.COUNTY_CONFIG_DIR,
  SUBMISSIONS_BUCKET: COMMON_ENV.SUBMISSIONS_BUCKET,
  TABLE_NAME: COMMON_ENV.TABLE_NAME,
});
const logger = new Logger({ serviceName: 'upload-api', persistentKeys: { county: env.COUNTY_ID } });
const county = loadCounty(env.COUNTY_CONFIG_DIR).config;
const documentClient = createDocumentClient();
const tokens = new DynamoUploadTokenStore(documentClient, env.TABLE_NAME);
const repo = new DynamoSubmissionRepository(documentClient, env.TABLE_NAME);
const s3 = createS3Client();

export const handler = middy(async (event: APIGatewayProxyEventV2, _context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
  let body: unknown;
  try {
    const text = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? '');
    body = text ? JSON.parse(text) : undefined;
  } catch {
    return json(400, { error: 'bad_request', message: '请求内容不是 JSON' });
  }

  const decision = await requestUpload(
    { authorization: event.headers?.authorization ?? event.headers?.Authorization, body },
    {
      county,
      findToken: (tokenId) => tokens.get(tokenId),
      yearLock: async (year) => ({ locked: (await repo.getLock(year)) !== undefined, exceptions: await repo.listLockExceptions(year) }),
      maxBytes: MAX_SUBMISSION_BYTES,
      now: () => new Date(),
    },
  );
  // The token's id and unit are logged, never the token itself.
  const who = decision.token ? { unit: decision.token.unitId, tokenId: decision.token.tokenId } : {};
  if (decision.status !== 200) {
    logger.warn('upload refused', { ...who, status: decision.status, error: decision.error });
    return json(decision.status, { error: decision.error, message: decision.message });
  }
  const { grant } = decision;
  const post = await presignUpload(s3, env.SUBMISSIONS_BUCKET, grant);
  logger.info('upload granted', { ...who, year: grant.year, objectKey: grant.key });
  return json(200, {
    url: post.url,
    fields: post.fields,
    key: grant.key,
    contentType: grant.contentType,
    maxBytes: grant.maxBytes,
    expiresAt: new Date(Date.now() + grant.expiresInSeconds * 1000).toISOString(),
  });
}).use(injectLambdaContext(logger));

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}
