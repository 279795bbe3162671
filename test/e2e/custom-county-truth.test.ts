import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DemoSummary, runDemo } from '../../cli/demo-run';
import { ReportSchema, type Report } from '../../shared/core/report/schema';
import { runCli } from '../cli-runner';
import { openDocx, paragraphs, part } from '../unit/artifacts/ooxml';

/**
 * Issue 21's acceptance test for what the office signs, beside
 * custom-county.test.ts: a county outside the repository whose prose has a
 * shared figure whose parts agree and one whose parts differ, a bound claim,
 * an unbound claim, a measure word that is not its indicator's unit, and a
 * township that writes 暂无数据. `county check` reminds of the unbound claim
 * and the measure word; the real local pipeline marks what the data do not
 * prove in report.md, report.docx and 报送情况.docx.
 */
const COUNTY = 'hedong_test';
const YEAR = 2024;

const county = {
  id: COUNTY,
  name: '河东县',
  government: '河东县人民政府',
  addressees: ['中共河东市委', '河东市人民政府'],
  docNumberPrefix: '河东政报',
  timeZone: 'Asia/Shanghai',
  collection: { deadline: '01-15', schedules: [{ expression: 'cron(0 18 * 1 ? *)' }] },
  units: [
    { id: 'justice', name: '河东县司法局', aliases: ['司法局'], kind: 'department', roles: ['office'] },
    { id: 'town_a', name: '河东县东镇人民政府', aliases: ['东镇'], kind: 'township', groups: ['townships'] },
    { id: 'town_b', name: '河东县西乡人民政府', aliases: ['西乡'], kind: 'township', groups: ['townships'] },
  ],
};

const office = [{ kind: 'unit', unit: 'justice' }];
const towns = [{ kind: 'group', group: 'townships' }];
const indicators = [
  { id: 'committee_meetings', name: '依法治县委员会会议次数', unit: '次', topic: 'leadership', submittedBy: office, aggregation: { kind: 'sum' } },
  { id: 'office_meetings', name: '依法治县办公室会议次数', unit: '次', topic: 'leadership', submittedBy: office, aggregation: { kind: 'sum' } },
  { id: 'closure_rate', name: '行政复议办结率', unit: '%', topic: 'supervision', submittedBy: office, aggregation: { kind: 'max' } },
  { id: 'satisfaction_rate', name: '行政复议满意率', unit: '%', topic: 'supervision', submittedBy: office, aggregation: { kind: 'max' } },
  { id: 'town_mediators', name: '乡镇专职调解员数', unit: '人', topic: 'disputes', submittedBy: towns, aggregation: { kind: 'sum' } },
];
const checks = [{ id: 'two_mediators_each', kind: 'unit_min', indicator: 'town_mediators', min: 2, message: '每个乡镇应至少配备2名专职调解员' }];

const template = {
  title: '{{government}}关于{{year}}年度法治政府建设情况的报告',
  preamble: '{{year}}年，{{county}}扎实推进法治政府建设，现将有关情况报告如下：',
  blocks: [
    { kind: 'heading1', text: '一、主要做法和成效' },
    { kind: 'heading2', text: '（一）加强领导。', body: '召开依法治县委员会会议、办公室会议{{shared:committee_meetings,office_meetings|各}}次。' },
    { kind: 'heading2', text: '（二）强化监督。', body: '行政复议办结率、满意率{{shared:closure_rate,satisfaction_rate|均达}}%。' },
    {
      kind: 'heading2',
      text: '（三）化解矛盾纠纷。',
      body: '全县乡镇专职调解员{{fig:town_mediators}}名，{{claim:two_mediators_each}}实现了各乡镇至少配备2名专职调解员{{/claim}}。所有乡镇均已建立人民调解委员会。',
    },
  ],
  closing: '特此报告。',
  date: '2025年1月20日',
};

const sample = (unit: string, body: Record<string, unknown>) => JSON.stringify({ $schema: 'yearly-report/submission-file@1', county: COUNTY, year: YEAR, unit, ...body }, null, 2);

function writeCounty(dir: string): void {
  const samples = path.join(dir, 'samples', String(YEAR));
  mkdirSync(samples, { recursive: true });
  writeFileSync(path.join(dir, 'county.json'), JSON.stringify(county, null, 2));
  writeFileSync(path.join(dir, 'indicators.json'), JSON.stringify(indicators, null, 2));
  writeFileSync(path.join(dir, 'checks.json'), JSON.stringify(checks, null, 2));
  writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template, null, 2));
  writeFileSync(path.join(samples, 'justice.json'), sample('justice', { indicators: { committee_meetings: 1, office_meetings: 1, closure_rate: '100%', satisfaction_rate: '98%' } }));
  writeFileSync(path.join(samples, 'town_a.json'), sample('town_a', { indicators: { town_mediators: 3 } }));
  // The other township has no figure yet, and says so rather than writing 0.
  writeFileSync(path.join(samples, 'town_b.json'), sample('town_b', { indicators: { town_mediators: '暂无数据' } }));
}

describe('a county whose prose claims more than its data (issue 21)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-truth-'));
  const countyDir = path.join(work, COUNTY);
  const outDir = path.join(work, 'out', COUNTY, String(YEAR));
  const out = (name: string) => path.join(outDir, name);
  let summary: DemoSummary;
  let report: Report;
  let md: string;

  beforeAll(async () => {
    writeCounty(countyDir);
    summary = await runDemo({ countyId: COUNTY, countyDir, year: YEAR, outRoot: path.join(work, 'out'), stateDir: path.join(work, 'state') });
    report = ReportSchema.parse(JSON.parse(readFileSync(out('report.json'), 'utf8')));
    md = readFileSync(out('report.md'), 'utf8');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('`county check` reminds of the unbound claim and the measure word, naming file, block and words', async () => {
    const { code, stdout } = await runCli(['county', 'check', countyDir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/配置检查通过，\d+处提醒/);
    expect(stdout).toContain('提醒1. ');
    expect(stdout).toContain('template.json blocks[3].body: “所有乡镇均已建立人民调解委员会。” asserts completeness (“所有”、“均已”)');
    expect(stdout).toContain('template.json blocks[3].body: {{fig:town_mediators}} is followed by “名” but “乡镇专职调解员数” is counted in “人”');
    // The bound claim is not reminded of.
    expect(stdout).not.toContain('实现了各乡镇至少配备2名专职调解员');
  });

  it('accepts every sample; 暂无数据 is recorded, not a zero', () => {
    expect(summary.rejected).toEqual([]);
    expect(report.completeness).toMatchObject({ expected: 3, accepted: 3, missing: 0 });
    expect(report.figures.find((f) => f.indicatorId === 'town_mediators')).toMatchObject({ value: 3, noDataUnits: ['town_b'], partial: { missingUnits: ['town_b'], noDataUnits: ['town_b'] } });
  });

  it('prints the shared wording where the parts agree and each figure where they differ', () => {
    expect(md).toContain('召开依法治县委员会会议、办公室会议各1次。');
    expect(md).toContain('行政复议办结率、满意率分别为100%、98%。');
    expect(md).not.toContain('均达');
  });

  it('marks the total a unit wrote 暂无数据 for, and the claim it cannot prove, in report.md', () => {
    expect(md).toMatch(/全县乡镇专职调解员<mark>3<\/mark>\[\^p(\d)\]名/);
    expect(md).toContain('不完整：“乡镇专职调解员数”未计入河东县西乡人民政府（填报暂无数据）');
    expect(md).toMatch(/<mark>实现了各乡镇至少配备2名专职调解员<\/mark>\[\^p\d\]/);
    expect(md).toContain('未经数据证实：无法核对“每个乡镇应至少配备2名专职调解员”：河东县西乡人民政府没有数据');
  });

  it('carries both as Word comments in report.docx', async () => {
    const comments = await part(await openDocx(readFileSync(out('report.docx'))), 'word/comments.xml');
    expect(comments).toContain('（填报暂无数据）');
    expect(comments).toContain('未经数据证实：无法核对“每个乡镇应至少配备2名专职调解员”');
  });

  it('报送情况.docx lists the partial figure and the unproven claim, and does not say every figure is complete', async () => {
    const text = paragraphs(await part(await openDocx(readFileSync(out('报送情况.docx'))), 'word/document.xml')).map((p) => p.text).join('\n');
    expect(text).not.toContain('草稿中每个数字都包含全部应报单位的材料');
    expect(text).toContain('河东县西乡人民政府（填报暂无数据）');
    expect(text).toContain('下列1处表述称全部完成或全覆盖，但数据尚不能证实');
    expect(text).toContain('实现了各乡镇至少配备2名专职调解员');
    expect(text).toContain('无法核对“每个乡镇应至少配备2名专职调解员”：河东县西乡人民政府没有数据');
  });
});
