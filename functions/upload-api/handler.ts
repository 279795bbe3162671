import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients';
import { DynamoSubmissionRepository } from '../../shared/adapters/dynamo-submission-repository';
import { DynamoUploadTokenStore } from '../../shared/adapters/dynamo-upload-token-store';
import { COMMON_ENV, INGEST_ENV, readEnvironment } from '../../shared/adapters/environment';
import { loadCounty } from '../../shared/core/county/load';
import { requestOutcome } from '../../shared/core/upload-access/request-outcome';
import { requestUpload } from '../../shared/core/upload-access/request-upload';
import { findUploadOutcome } from '../../shared/usecases/find-upload-outcome';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { MAX_SUBMISSION_BYTES } from '../../shared/core/submission/limits';
import { presignUpload } from './presign';
import { grantRecord } from '../../shared/core/upload-access/grant';

/**
 * The upload API, both routes authenticated by `Authorization: Bearer yrt_…`
 * (shared/core/upload-access decides; this file only adapts):
 *   POST /uploads { year, unit, fileName, contentType? } → a presigned POST for
 *     exactly that file under submissions/{year}/{unit}/. 401 for a missing,
 *     wrong, revoked or expired token; 403 for another unit's folder or a year
 *     that is not open; 400 for a bad request.
 *   GET /uploads/outcome?key=…&versionId=…|eTag=… → what ingest made of the
 *     unit's upload (202 while pending), with the readable error report.
 */
const env = readEnvironment({
  COUNTY_ID: COMMON_ENV.COUNTY_ID,
  COUNTY_CONFIG_DIR: COMMON_ENV.COUNTY_CONFIG_DIR,
  SUBMISSIONS_BUCKET: INGEST_ENV.SUBMISSIONS_BUCKET,
  TABLE_NAME: COMMON_ENV.TABLE_NAME,
});
const logger = new Logger({ serviceName: 'upload-api', persistentKeys: { county: env.COUNTY_ID } });
const county = loadCounty(env.COUNTY_CONFIG_DIR, { expectedId: env.COUNTY_ID }).config;
const documentClient = createDocumentClient();
const tokens = new DynamoUploadTokenStore(documentClient, env.TABLE_NAME);
const repo = new DynamoSubmissionRepository(documentClient, env.TABLE_NAME);
const s3 = createS3Client();
const objects = new S3ObjectStore(s3);

export const handler = middy(async (event: APIGatewayProxyEventV2, _context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
  if (event.routeKey === 'GET /uploads/outcome') return outcome(event);
  if (event.routeKey !== 'POST /uploads') return json(404, { error: 'not_found', message: event.routeKey });
  let body: unknown;
  try {
    const text = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? '');
    body = text ? JSON.parse(text) : undefined;
  } catch {
    return json(400, { error: 'bad_request', message: '请求内容不是 JSON' });
  }

  const decision = await requestUpload(
    { authorization: authorizationOf(event), body },
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
  // Recorded before the presigned POST exists: ingest checks the grant's link and single use (grant.ts).
  await tokens.putGrant(grantRecord(grant, decision.token, new Date()));
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

async function outcome(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const decision = await requestOutcome(
    { authorization: authorizationOf(event), query: event.queryStringParameters ?? {} },
    { county, findToken: (tokenId) => tokens.get(tokenId), findOutcome: (key, year, version) => findUploadOutcome(repo, key, year, version), now: () => new Date() },
  );
  if (decision.status === 202) return json(202, { state: 'pending' });
  if (decision.status !== 200) return json(decision.status, { error: decision.error, message: decision.message });
  const { outcome: found } = decision;
  const errorReport = found.errorReportKey
    ? Buffer.from((await objects.get(env.SUBMISSIONS_BUCKET, `${found.errorReportKey}.txt`, undefined, 1024 * 1024)).bytes).toString('utf8')
    : undefined;
  return json(200, { state: found.status, reason: found.reason, rowCount: found.rowCount, problemCount: found.problemCount, errorReport, changes: found.changes });
}

function authorizationOf(event: APIGatewayProxyEventV2): string | undefined {
  return event.headers?.authorization ?? event.headers?.Authorization;
}

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}
