import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { DemoSummary, printDemoSummary, runDemo } from '../../cli/demo-run';
import { ReportSchema } from '../../shared/core/report/schema';

/**
 * What `npm start` runs: emulators, the county's resources, every sample
 * upload through S3 → SQS → ingest, a scheduled aggregation, the artifacts
 * downloaded into out/<county>/<year>/.
 */
describe('demo: the local pipeline from upload to report', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-e2e-'));
  let summary: DemoSummary;

  beforeAll(async () => {
    summary = await runDemo({ countyId: 'lingshou', year: 2021, outRoot: path.join(work, 'out'), stateDir: path.join(work, 'state') });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const outFile = (name: string) => path.join(work, 'out', 'lingshou', '2021', name);

  it('accepts every sample submission and finds no unit missing', () => {
    expect(summary.uploaded).toBe(39);
    expect(summary.accepted).toHaveLength(39);
    expect(summary.rejected).toEqual([]);
    expect(summary.failedDeliveries).toBe(0);
    expect(summary.completeness).toEqual({ expected: 39, accepted: 39, missing: 0, late: 0 });
  });

  it('writes every artifact into out/<county>/<year>/', () => {
    expect(summary.artifacts.map((a) => path.basename(a))).toEqual(['data.xlsx', 'report.docx', 'report.html', 'report.json', 'report.md', '报送情况.docx']);
  });

  it('writes a report.json that validates and traces each figure to its upload', () => {
    const report = ReportSchema.parse(JSON.parse(readFileSync(outFile('report.json'), 'utf8')));
    const online = report.figures.find((f) => f.indicatorId === 'services_fully_online');
    expect(online).toMatchObject({ value: 517, approximate: false });
    expect(online!.sources).toEqual([expect.objectContaining({ unitId: 'approval_bureau', s3Key: 'submissions/2021/approval_bureau/approval_bureau.json' })]);
    expect(online!.sources[0]!.versionId).not.toBe('');
  });

  it('writes a report.md that reads like the seed', () => {
    const md = readFileSync(outFile('report.md'), 'utf8');
    expect(md).toContain('# 灵寿县人民政府关于2021年度法治政府建设情况的报告');
    expect(md).toContain('灵政函〔2022〕6号');
    expect(md).toMatch(/517项事项实现全流程网办/);
    expect(md).toMatch(/共收行政复议案件11件，已结案9件，尚在审理中2件/);
    expect(md).not.toContain('【待补充');
  });

  it('prints a summary naming units, figures, warnings and artifact paths', () => {
    let printed = '';
    printDemoSummary(summary, new Writable({ write: (chunk, _enc, done) => ((printed += chunk.toString()), done()) }));
    expect(printed).toMatch(/39 files .* 39 accepted, 0 rejected/);
    expect(printed).toMatch(/39\/39 expected units submitted, 0 missing, 0 late/);
    const report = ReportSchema.parse(JSON.parse(readFileSync(outFile('report.json'), 'utf8')));
    const withData = report.figures.filter((f) => f.value !== null).length;
    expect(printed).toContain(`figures:      ${withData} with data, ${report.figures.length - withData} without data (${report.figures.length} in the report)`);
    expect(printed).toMatch(/received 2022年1月9日 10:00/);
    expect(printed).toContain(path.join('lingshou', '2021', 'report.md'));
  });
});
