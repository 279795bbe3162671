import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDocumentClient } from '../../shared/adapters/aws-clients';
import { DynamoUploadTokenStore } from '../../shared/adapters/dynamo-upload-token-store';
import { reportYearAt } from '../../shared/core/aggregate-event';
import { issueUploadToken } from '../../shared/core/upload-access/token';
import type { LocalPipeline } from '../../shared/local/local-pipeline';
import { runCli, startPipeline } from './helpers';
import { startUploadApi } from './upload-api-server';

/**
 * What a clerk runs: `yearly-report upload FILE --token … --api …`, against
 * the real upload API handler, s3rver, and ingest fed by S3's notification.
 */
const openYear = reportYearAt(new Date(), 'Asia/Shanghai');
const files = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-upload-cli-'));
let pipeline: LocalPipeline;
let cleanup: () => Promise<void>;
let api: { url: string; close: () => Promise<void> };
let justiceToken: string;

const file = (name: string, indicators: Record<string, unknown>) => {
  const full = path.join(files, name);
  writeFileSync(full, JSON.stringify({ $schema: 'yearly-report/submission-file@1', county: 'lingshou', year: openYear, unit: '县司法局', indicators }));
  return full;
};

beforeAll(async () => {
  ({ pipeline, cleanup } = await startPipeline({ autoDeliver: true }));
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  const issued = issueUploadToken({ county: 'lingshou', unitId: 'justice_bureau', createdBy: 'test', now: new Date(), validDays: 30 });
  await new DynamoUploadTokenStore(createDocumentClient(), pipeline.names.table).put(issued.record);
  justiceToken = issued.token;
  api = await startUploadApi();
});
afterAll(async () => {
  await api?.close();
  await cleanup?.();
  rmSync(files, { recursive: true, force: true });
});

const upload = (filePath: string, unit: string, token = justiceToken) =>
  runCli(['upload', filePath, '--county', 'lingshou', '--year', String(openYear), '--unit', unit, '--token', token, '--api', api.url, '--wait', '10']);

describe('yearly-report upload --token', () => {
  it('uploads through the API and prints that the file was accepted', async () => {
    const result = await upload(file('司法局 报送.json', { legality_review_meeting_items: 125 }), '县司法局');
    expect(result.stdout).toMatch(/✓ 司法局 报送\.json → 灵寿县司法局: 已接收/);
    expect(result.code).toBe(0);
    expect((await pipeline.repo.getCurrent(openYear, 'justice_bureau'))?.s3Key).toBe(`submissions/${openYear}/justice_bureau/司法局 报送.json`);
  });

  it('prints every problem of a bad file and exits 1', async () => {
    const result = await upload(file('bad.json', { legality_review_meeting_items: -1 }), 'justice_bureau');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ bad.json');
    expect(result.stdout).toContain('NEGATIVE_NUMBER');
  });

  it("refuses to upload for another unit with this unit's token", async () => {
    const result = await upload(file('edu.json', { school_law_lectures: 3 }), '教育局');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ edu\.json → 灵寿县教育局.*\n.*403/);
    expect(await pipeline.repo.getCurrent(openYear, 'education_bureau')).toBeUndefined();
  });

  it('says what is missing when the API URL is not given', async () => {
    const result = await runCli(['upload', file('x.json', {}), '--county', 'lingshou', '--year', String(openYear), '--token', justiceToken]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs the upload API URL/);
  });
});
