import { createDocumentClient } from '../../shared/adapters/aws-clients';
import { DynamoUploadTokenStore } from '../../shared/adapters/dynamo-upload-token-store';
import { postUpload, requestUploadGrant, UploadApiError, waitForOutcome } from '../../shared/adapters/upload-api-client';
import { reportYearAt } from '../../shared/core/aggregate-event';
import { MAX_SUBMISSION_BYTES } from '../../shared/core/submission/limits';
import { issueUploadToken } from '../../shared/core/upload-access/token';
import type { LocalPipeline } from '../../shared/local/local-pipeline';
import type { S3EventRecordLike } from '../../shared/local/s3-event-delivery';
import { startPipeline, submissionFile } from './helpers';
import { startUploadApi } from './upload-api-server';

/**
 * A unit's whole upload with nothing but its token: the client asks the
 * upload API (the real handler behind a local HTTP listener shaped like API
 * Gateway's HTTP API), posts the file to s3rver with the presigned POST, the
 * S3 notification is delivered to the real ingest handler, and the client
 * polls the API for the outcome.
 */
const openYear = reportYearAt(new Date(), 'Asia/Shanghai');

let pipeline: LocalPipeline;
let cleanup: () => Promise<void>;
let closeApi: () => Promise<void>;
let apiUrl: string;
const tokens: Record<string, string> = {};
const notifications: S3EventRecordLike[] = [];

beforeAll(async () => {
  ({ pipeline, cleanup } = await startPipeline());
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  pipeline.aws.onObjectCreated((record) => notifications.push(record));
  const store = new DynamoUploadTokenStore(createDocumentClient(), pipeline.names.table);
  for (const unitId of ['justice_bureau', 'education_bureau']) {
    const { token, record } = issueUploadToken({ county: 'lingshou', unitId, createdBy: 'test', now: new Date(), validDays: 30 });
    await store.put(record);
    tokens[unitId] = token;
  }
  ({ url: apiUrl, close: closeApi } = await startUploadApi());
});

afterAll(async () => {
  await closeApi?.();
  await cleanup?.();
});

async function deliverNotificationFor(key: string): Promise<void> {
  const until = Date.now() + 5000;
  while (!notifications.some((n) => n.s3.object.key === key) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  const record = notifications.find((n) => n.s3.object.key === key);
  expect(record).toBeDefined();
  await pipeline.deliver([record!]);
}

test('a unit uploads with its token and reads what ingest made of it', async () => {
  const token = tokens.justice_bureau!;
  const grant = await requestUploadGrant(apiUrl, token, { year: openYear, unit: 'justice_bureau', fileName: '灵寿县司法局 报送.json' });
  const bytes = Buffer.from(submissionFile('县司法局', { legality_review_meeting_items: 125 }, { year: openYear }));
  const uploaded = await postUpload(grant, bytes);
  expect(uploaded.eTag).toMatch(/^[0-9a-f]{32}$/);
  await deliverNotificationFor(grant.key);

  const outcome = await waitForOutcome(apiUrl, token, { key: grant.key, ...uploaded }, 5000, 50);
  expect(outcome).toMatchObject({ state: 'accepted' });
});

test('a rejected file comes back with its error report', async () => {
  const token = tokens.justice_bureau!;
  const grant = await requestUploadGrant(apiUrl, token, { year: openYear, unit: 'justice_bureau', fileName: 'bad.json' });
  const uploaded = await postUpload(grant, Buffer.from('{"not": "a submission"'));
  await deliverNotificationFor(grant.key);
  const outcome = await waitForOutcome(apiUrl, token, { key: grant.key, ...uploaded }, 5000, 50);
  expect(outcome?.state).toBe('rejected');
  expect(outcome?.errorReport?.length).toBeGreaterThan(0);
});

test("a unit cannot read another unit's outcome, and an oversized file is refused before it is sent", async () => {
  const grant = await requestUploadGrant(apiUrl, tokens.justice_bureau!, { year: openYear, unit: 'justice_bureau', fileName: 'big.xlsx' });
  await expect(waitForOutcome(apiUrl, tokens.education_bureau!, { key: grant.key, eTag: 'x' }, 1000, 50)).rejects.toMatchObject({ status: 403, code: 'not_your_upload' });
  const before = notifications.length;
  await expect(postUpload(grant, new Uint8Array(MAX_SUBMISSION_BYTES + 1))).rejects.toThrow(UploadApiError);
  await expect(postUpload(grant, new Uint8Array(MAX_SUBMISSION_BYTES + 1))).rejects.toThrow(/size/);
  await new Promise((r) => setTimeout(r, 100));
  expect(notifications.length).toBe(before);
});

test('the grant is refused over HTTP with the status the unit sees', async () => {
  await expect(requestUploadGrant(apiUrl, 'yrt_0000000000000000_' + 'A'.repeat(43), { year: openYear, unit: 'justice_bureau', fileName: 'a.json' })).rejects.toMatchObject({
    status: 401,
    code: 'token_unknown',
  });
});
