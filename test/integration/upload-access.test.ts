import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/aws-clients';
import { DynamoSubmissionRepository } from '../../shared/adapters/dynamo-submission-repository';
import { DynamoUploadTokenStore } from '../../shared/adapters/dynamo-upload-token-store';
import { reportYearAt } from '../../shared/core/aggregate-event';
import { countyDirInRepo } from '../../shared/core/county/load';
import { MAX_SUBMISSION_BYTES } from '../../shared/core/submission/limits';
import { contentLengthRange, decodePostPolicy, policyViolations } from '../../shared/core/upload-access/post-policy';
import { issueUploadToken, parseToken } from '../../shared/core/upload-access/token';
import { ensureCountyResources } from '../../shared/local/county-resources';
import { startLocalAws, type LocalAws } from '../../shared/local/emulators';
import { physicalNames } from '../../shared/storage/layout';

/**
 * The upload API handler against dynalite (tokens, locks) and s3rver (the
 * presigned POST is actually posted). Tokens are stored hashed, as the CLI
 * stores them.
 *
 * s3rver 3.7 does not evaluate POST policies (it ignores the `Policy`
 * field), so the size, type and folder limits are checked on the signed
 * policy the API returns: the policy is decoded, its signature verified with
 * the emulator's secret, and a planned upload checked against it, exactly
 * the conditions S3 enforces.
 */
const names = physicalNames('lingshou', 'uploadtest');
const unitA = 'justice_bureau';
const unitB = 'education_bureau';
const openYear = reportYearAt(new Date(), 'Asia/Shanghai');
const LAMBDA_CONTEXT = { functionName: 'upload-api', awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context; // handlers read only these

let aws: LocalAws;
let stateDir: string;
let handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let tokens: DynamoUploadTokenStore;
let repo: DynamoSubmissionRepository;
const issued: Record<'a' | 'b' | 'revoked' | 'expired', string> = { a: '', b: '', revoked: '', expired: '' };

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(os.tmpdir(), 'upload-access-'));
  aws = await startLocalAws(stateDir);
  Object.assign(process.env, aws.env, {
    COUNTY_ID: 'lingshou',
    COUNTY_CONFIG_DIR: countyDirInRepo('lingshou'),
    SUBMISSIONS_BUCKET: names.submissionsBucket,
    TABLE_NAME: names.table,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  await ensureCountyResources({ buckets: [names.submissionsBucket], table: names.table });
  tokens = new DynamoUploadTokenStore(createDocumentClient(), names.table);
  repo = new DynamoSubmissionRepository(createDocumentClient(), names.table);

  const now = new Date();
  const issue = async (unitId: string, when: Date, validDays: number) => {
    const { token, record } = issueUploadToken({ county: 'lingshou', unitId, createdBy: 'test', now: when, validDays });
    await tokens.put(record);
    return { token, record };
  };
  issued.a = (await issue(unitA, now, 30)).token;
  issued.b = (await issue(unitB, now, 30)).token;
  const revoked = await issue(unitA, now, 30);
  expect(await tokens.revoke(revoked.record.tokenId, 'test', now)).toBe(true);
  issued.revoked = revoked.token;
  issued.expired = (await issue(unitA, new Date(now.getTime() - 10 * 86_400_000), 1)).token;

  ({ handler } = await import('../../functions/upload-api/handler'));
});

afterAll(async () => {
  await aws?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const call = async (token: string | undefined, body: unknown) => {
  const event = {
    version: '2.0',
    routeKey: 'POST /uploads',
    rawPath: '/uploads',
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2; // only the fields the handler reads
  const response = await handler(event, LAMBDA_CONTEXT);
  return { status: response.statusCode, body: JSON.parse(String(response.body)) };
};

const request = (unit: string, fileName = '灵寿县司法局 报送.json', year = openYear) => ({ year, unit, fileName });

describe('upload API', () => {
  it("gives unit A a presigned POST for its own folder, and the file lands there (Chinese name and spaces intact)", async () => {
    const { status, body } = await call(issued.a, request(unitA));
    expect(status).toBe(200);
    const key = `submissions/${openYear}/${unitA}/灵寿县司法局 报送.json`;
    expect(body).toMatchObject({ key, contentType: 'application/json', maxBytes: MAX_SUBMISSION_BYTES });

    const content = JSON.stringify({ unit: unitA, year: openYear });
    const form = new FormData();
    for (const [name, value] of Object.entries(body.fields as Record<string, string>)) form.append(name, value);
    form.append('file', new Blob([content], { type: 'application/json' }), 'upload.json');
    const posted = await fetch(body.url, { method: 'POST', body: form });
    expect(posted.status).toBe(204);

    const s3 = new S3Client({ forcePathStyle: true });
    const stored = await s3.send(new GetObjectCommand({ Bucket: names.submissionsBucket, Key: key }));
    expect(await stored.Body!.transformToString('utf8')).toBe(content);
    s3.destroy();
  });

  it("refuses unit A's token for unit B's folder (403), while B's own token works", async () => {
    expect(await call(issued.a, request(unitB))).toMatchObject({ status: 403, body: { error: 'wrong_unit' } });
    expect((await call(issued.b, request(unitB, 'education.xlsx'))).status).toBe(200);
  });

  it('refuses a missing, malformed, unknown, wrong, revoked or expired token with 401', async () => {
    const { tokenId: tokenIdA } = parseToken(issued.a)!;
    const cases: [string | undefined, string][] = [
      [undefined, 'token_missing'],
      ['not-a-token', 'token_malformed'],
      [`yrt_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('base64url')}`, 'token_unknown'],
      [`yrt_${tokenIdA}_${randomBytes(32).toString('base64url')}`, 'token_invalid'],
      [issued.revoked, 'token_revoked'],
      [issued.expired, 'token_expired'],
    ];
    for (const [token, error] of cases) {
      expect(await call(token, request(unitA))).toMatchObject({ status: 401, body: { error } });
    }
  });

  it('refuses a year that is not being collected, and a locked year unless the unit has an exception', async () => {
    expect(await call(issued.a, request(unitA, 'a.json', openYear - 1))).toMatchObject({ status: 403, body: { error: 'year_not_open' } });
    const by = { principal: 'test', source: 'local-os' as const };
    const at = (ms: number) => new Date(Date.now() - ms).toISOString();
    await repo.appendLockEvent({ year: openYear, kind: 'lock', at: at(3000), id: 'a', by });
    try {
      expect(await call(issued.a, request(unitA))).toMatchObject({ status: 403, body: { error: 'year_locked' } });
      await repo.appendLockEvent({ year: openYear, kind: 'exception', unitId: unitA, at: at(2000), id: 'b', by });
      expect((await call(issued.a, request(unitA))).status).toBe(200);
      expect((await call(issued.b, request(unitB, 'b.csv'))).status).toBe(403);
    } finally {
      await repo.appendLockEvent({ year: openYear, kind: 'unlock', at: at(1000), id: 'c', by });
    }
  });

  it('refuses a file that is not a submission or names a folder (400)', async () => {
    for (const fileName of ['report.docx', '../justice_bureau/x.json', 'a/b.json']) {
      expect(await call(issued.a, request(unitA, fileName))).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    }
    expect(await call(issued.a, { ...request(unitA, 'a.csv'), contentType: 'application/json' })).toMatchObject({ status: 400, body: { error: 'content_type_mismatch' } });
  });

  it('signs a policy that refuses an oversized file, another content type and another folder', async () => {
    const { body } = await call(issued.a, request(unitA, 'ledger.xlsx'));
    const fields = body.fields as Record<string, string>;
    const policy = decodePostPolicy(fields.Policy!);

    // The policy is the signed one: SigV4 over the base64 policy with the emulator's secret.
    const [, date, region, service] = fields['X-Amz-Credential']!.split('/');
    const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
    const signingKey = hmac(hmac(hmac(hmac('AWS4S3RVER', date!), region!), service!), 'aws4_request');
    expect(createHmac('sha256', signingKey).update(fields.Policy!).digest('hex')).toBe(fields['X-Amz-Signature']);

    expect(contentLengthRange(policy)).toEqual({ min: 1, max: MAX_SUBMISSION_BYTES });
    expect(policy.conditions).toEqual(
      expect.arrayContaining([{ key: `submissions/${openYear}/${unitA}/ledger.xlsx` }, ['starts-with', '$key', `submissions/${openYear}/${unitA}/`], { 'Content-Type': body.contentType }]),
    );
    const form = { ...fields, bucket: names.submissionsBucket };
    const now = new Date();
    expect(policyViolations(policy, form, MAX_SUBMISSION_BYTES, now)).toEqual([]);
    expect(policyViolations(policy, form, MAX_SUBMISSION_BYTES + 1, now)).toEqual([expect.stringMatching(/size/)]);
    expect(policyViolations(policy, { ...form, 'Content-Type': 'text/html' }, 100, now)).toEqual([expect.stringMatching(/Content-Type/)]);
    expect(policyViolations(policy, { ...form, key: `submissions/${openYear}/${unitB}/ledger.xlsx` }, 100, now).length).toBeGreaterThan(0);
    expect(policyViolations(policy, form, 100, new Date(now.getTime() + 10 * 60_000))).toEqual([expect.stringMatching(/expired/)]);
  });

  it('stores tokens hashed: the table never holds the secret', async () => {
    const { tokenId, secret } = parseToken(issued.a)!;
    const record = await tokens.get(tokenId);
    expect(record?.unitId).toBe(unitA);
    expect(JSON.stringify(record)).not.toContain(secret);
  });
});
