import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/aws-clients';
import { DynamoUploadTokenStore } from '../../shared/adapters/dynamo-upload-token-store';
import { issueUploadToken } from '../../shared/core/upload-access/token';
import type { LocalPipeline } from '../../shared/local/local-pipeline';
import { ORIGIN_SECRET_HEADER } from '../../functions/portal-api/origin-check';
import { startPipeline } from './helpers';

/**
 * The same Hono router through its other adapter: the Lambda handler
 * (hono/aws-lambda) with an HTTP API payload 2.0 event from events/,
 * against the emulators.
 */
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const CONTEXT = { functionName: 'portal-api', awsRequestId: 'local', getRemainingTimeInMillis: () => 10_000 } as unknown as Context; // the adapter reads none of the rest

let pipeline: LocalPipeline;
let cleanup: () => Promise<void>;
let handler: Handler;
let token: string;
const sample = JSON.parse(readFileSync(path.join(__dirname, '../../events/portal-api-clerk-me.json'), 'utf8')) as APIGatewayProxyEventV2;

/** What CloudFront adds to every request it forwards (infra/constructs/portal-distribution.ts). */
const ORIGIN_SECRET = 'test-origin-secret-from-secrets-manager';
const event = (rawPath: string, authorization?: string, originHeaders: Record<string, string> = { [ORIGIN_SECRET_HEADER]: ORIGIN_SECRET }): APIGatewayProxyEventV2 => ({
  ...sample,
  rawPath,
  requestContext: { ...sample.requestContext, http: { ...sample.requestContext.http, path: rawPath } },
  headers: { ...sample.headers, authorization: authorization ?? '', ...originHeaders },
});

beforeAll(async () => {
  ({ pipeline, cleanup } = await startPipeline());
  Object.assign(process.env, { USER_POOL_ID: 'us-east-1_Example', USER_POOL_CLIENT_ID: 'example-client', USER_POOL_DOMAIN_URL: 'https://lingshou.auth.us-east-1.amazoncognito.com', AGGREGATE_FUNCTION_NAME: 'yearly-report-lingshou-local-aggregate', PORTAL_ORIGIN_SECRET: ORIGIN_SECRET, POWERTOOLS_LOG_LEVEL: 'ERROR' });
  const issued = issueUploadToken({ county: 'lingshou', unitId: 'justice_bureau', createdBy: 'test', now: new Date(), validDays: 5 });
  await new DynamoUploadTokenStore(createDocumentClient(), pipeline.names.table).put(issued.record);
  token = issued.token;
  ({ handler } = (await import('../../functions/portal-api/handler')) as unknown as { handler: Handler });
});
afterAll(async () => cleanup?.());

test('the sample event with a unit token answers with the unit, as JSON', async () => {
  const result = await handler(event('/api/clerk/me', `Bearer ${token}`), CONTEXT);
  expect(result.statusCode).toBe(200);
  expect(result.headers?.['cache-control']).toBe('no-store');
  expect(JSON.parse(result.body!)).toMatchObject({ unit: { id: 'justice_bureau', name: '灵寿县司法局' }, stateLabel: '未报送' });
});

test('without a credential, clerk and office routes answer 401', async () => {
  for (const p of ['/api/clerk/me', '/api/office/status']) {
    const result = await handler(event(p), CONTEXT);
    expect(result.statusCode).toBe(401);
  }
  // A malformed ID token is refused before any key is fetched.
  expect((await handler(event('/api/office/status', 'Bearer not-a-jwt'), CONTEXT)).statusCode).toBe(401);
});

test("with Cognito, the page is sent to the pool's hosted domain for the code flow and signs out at its /logout", async () => {
  const result = await handler(event('/api/sign-in/settings'), CONTEXT);
  expect(result.statusCode).toBe(200);
  expect(JSON.parse(result.body!)).toEqual({
    provider: 'cognito',
    authorizationEndpoint: 'https://lingshou.auth.us-east-1.amazoncognito.com/oauth2/authorize',
    clientId: 'example-client',
    scopes: ['openid', 'email', 'profile'],
    endSession: { url: 'https://lingshou.auth.us-east-1.amazoncognito.com/logout', style: 'cognito' },
  });
});

test('the template comes back base64-encoded, as API Gateway needs for a binary body', async () => {
  const result = await handler(event('/api/clerk/template', `Bearer ${token}`), CONTEXT);
  expect(result.statusCode).toBe(200);
  expect(result.isBase64Encoded).toBe(true);
  expect(Buffer.from(result.body!, 'base64').subarray(0, 2).toString()).toBe('PK');
});

test('a request that did not come through CloudFront (no origin secret, or a wrong one) gets 403 before any route, even with a valid token', async () => {
  const bypasses: Record<string, string>[] = [{}, { [ORIGIN_SECRET_HEADER]: 'guessed' }, { [ORIGIN_SECRET_HEADER]: '' }];
  for (const headers of bypasses) {
    const result = await handler(event('/api/clerk/me', `Bearer ${token}`, headers), CONTEXT);
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body!)).toEqual({ error: 'forbidden', message: '请通过门户地址访问' });
  }
  // Header names are case-insensitive (a REST API passes them as sent).
  expect((await handler(event('/api/clerk/me', `Bearer ${token}`, { 'X-Portal-Origin-Secret': ORIGIN_SECRET }), CONTEXT)).statusCode).toBe(200);
});

test('the REST API payload (China, where the regional web ACL needs a REST stage) reaches the same router', async () => {
  const restEvent = {
    resource: '/api/clerk/{proxy+}',
    path: '/api/clerk/me',
    httpMethod: 'GET',
    headers: { Authorization: `Bearer ${token}`, [ORIGIN_SECRET_HEADER]: ORIGIN_SECRET, Host: 'abc.execute-api.cn-north-1.amazonaws.com.cn' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: 'me' },
    stageVariables: null,
    requestContext: { ...sample.requestContext, stage: 'portal', path: '/portal/api/clerk/me', httpMethod: 'GET', resourcePath: '/api/clerk/{proxy+}' },
    body: null,
    isBase64Encoded: false,
  };
  const result = await handler(restEvent as unknown as APIGatewayProxyEventV2, CONTEXT);
  expect(result.statusCode).toBe(200);
  expect(JSON.parse(result.body!)).toMatchObject({ unit: { id: 'justice_bureau' } });
});
