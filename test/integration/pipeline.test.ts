import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ReportSchema } from '../../shared/core/report/schema';
import type { LocalPipeline } from '../../shared/local/local-pipeline';
import { startPipeline, submissionFile } from './helpers';

/**
 * The ingest and aggregate handlers against dynalite and s3rver, fed the
 * events AWS would send (S3 notifications inside SQS messages).
 */
let pipeline: LocalPipeline;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ pipeline, cleanup } = await startPipeline());
});
afterAll(async () => cleanup());

const readEvent = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '../../events', name), 'utf8'));

describe('ingest', () => {
  it('accepts a file whose name has Chinese characters and spaces, keeping the key intact', async () => {
    const [result] = await pipeline.upload([
      { year: 2021, unitId: 'justice_bureau', fileName: '灵寿县司法局 2021年度 报送.json', bytes: submissionFile('县司法局', { legality_review_meeting_items: 125 }) },
    ]);
    expect(result!.batchItemFailures).toBe(0);
    expect(result!.record).toMatchObject({ status: 'accepted', unitId: 'justice_bureau', s3Key: 'submissions/2021/justice_bureau/灵寿县司法局 2021年度 报送.json', rowCount: 1 });
    const current = await pipeline.repo.getCurrent(2021, 'justice_bureau');
    expect(current?.s3Key).toBe(result!.key);
    const stored = await pipeline.repo.readSubmission(2021, 'justice_bureau', current!.versionToken);
    expect(stored.indicators).toEqual([expect.objectContaining({ indicatorId: 'legality_review_meeting_items', value: 125, approximate: false })]);
  });

  it('rejects an invalid file with a per-cell error report next to it, and acknowledges the message', async () => {
    const [result] = await pipeline.upload([
      { year: 2021, unitId: 'approval_bureau', fileName: 'approval.json', bytes: submissionFile('approval_bureau', { services_fully_online: -3 }) },
    ]);
    expect(result!.batchItemFailures).toBe(0);
    expect(result!.record?.status).toBe('rejected');
    expect(result!.record?.errorReportKey).toMatch(/^error-reports\/2021\/approval_bureau\/approval\.json\./);
    expect(result!.errorReport).toContain('指标“全流程网办政务服务事项数”：数值不能为负数');
    expect(result!.errorReport).toContain('NEGATIVE_NUMBER');
    const s3 = new S3Client({ forcePathStyle: true });
    const json = await s3.send(new GetObjectCommand({ Bucket: pipeline.names.submissionsBucket, Key: `${result!.record!.errorReportKey}.json` }));
    const report = JSON.parse(await json.Body!.transformToString());
    expect(report.problems).toEqual([expect.objectContaining({ code: 'NEGATIVE_NUMBER', path: 'indicators.services_fully_online', value: '-3' })]);
    s3.destroy();
    expect(await pipeline.repo.getCurrent(2021, 'approval_bureau')).toBeUndefined();
  });

  it('acknowledges the s3:TestEvent without failing the batch', async () => {
    const response = await pipeline.redeliverRaw(readEvent('sqs-s3-test-event.json'));
    expect(response.batchItemFailures).toEqual([]);
  });

  it('counts a redelivered notification once', async () => {
    const [first] = await pipeline.upload([
      { year: 2021, unitId: 'education_bureau', fileName: 'edu.json', bytes: submissionFile('教育局', { school_law_lectures: 48 }) },
    ]);
    const before = await pipeline.repo.getCurrent(2021, 'education_bureau');
    const response = await pipeline.deliver(pipeline.eventsFor(first!.key));
    expect(response.batchItemFailures).toEqual([]);
    expect(await pipeline.repo.getCurrent(2021, 'education_bureau')).toEqual(before);
    const audit = (await pipeline.repo.listAudit(2021)).filter((a) => a.unitId === 'education_bureau').map((a) => a.outcome);
    expect(audit.sort()).toEqual(['accepted', 'duplicate']);
  });
});

describe('aggregate', () => {
  it('writes report artifacts for a manual event to the reports bucket, which ingest never watches', async () => {
    const response = await pipeline.aggregate(readEvent('aggregate-manual.json'));
    expect(response.year).toBe(2021);
    expect(response.latestPrefix).toBe('reports/2021/latest/');
    expect(response.reportsBucket).not.toBe(pipeline.names.submissionsBucket);
    expect(response.artifacts).toEqual(expect.arrayContaining(['report.json', 'report.md']));
    const s3 = new S3Client({ forcePathStyle: true });
    const out = await s3.send(new GetObjectCommand({ Bucket: response.reportsBucket, Key: `${response.latestPrefix}report.json` }));
    const report = ReportSchema.parse(JSON.parse(await out.Body!.transformToString()));
    s3.destroy();
    const legality = report.figures.find((f) => f.indicatorId === 'legality_review_meeting_items');
    expect(legality).toMatchObject({ value: 125 });
    expect(legality!.sources[0]).toMatchObject({ unitId: 'justice_bureau', s3Key: 'submissions/2021/justice_bureau/灵寿县司法局 2021年度 报送.json' });
    const approval = report.completeness.units.find((u) => u.unitId === 'approval_bureau');
    expect(approval?.status).toBe('rejected');
  });

  it("compares with last year's report and warns about a change beyond the county's factor", async () => {
    await pipeline.upload([
      { year: 2020, unitId: 'justice_bureau', fileName: '2020.json', bytes: submissionFile('县司法局', { legality_review_meeting_items: 20 }, { year: 2020 }) },
    ]);
    await pipeline.aggregate({ trigger: 'manual', county: 'lingshou', year: 2020 });
    const response = await pipeline.aggregate({ trigger: 'manual', county: 'lingshou', year: 2021 });
    const s3 = new S3Client({ forcePathStyle: true });
    const out = await s3.send(new GetObjectCommand({ Bucket: response.reportsBucket, Key: `${response.latestPrefix}report.json` }));
    const report = ReportSchema.parse(JSON.parse(await out.Body!.transformToString()));
    s3.destroy();
    // 20 → 125 is more than the factor of 3 in lingshou's county.json.
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'YEAR_OVER_YEAR_OUTLIER', indicatorId: 'legality_review_meeting_items' }));
  });

  it('refuses an event for another county', async () => {
    await expect(pipeline.aggregate({ trigger: 'manual', county: 'elsewhere', year: 2021 })).rejects.toThrow(/county "lingshou", not "elsewhere"/);
  });
});
