import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { DemoSummary, runDemo } from '../../cli/demo-run';
import { REPO_COUNTIES_DIR } from '../../shared/core/county/load';
import { ReportSchema, type Report } from '../../shared/core/report/schema';
import { openDocx, paragraphs, part } from '../unit/artifacts/ooxml';

/**
 * Issue 11's acceptance test: a county that exists only as a folder outside
 * the repository, with indicators, a computed rate, an entered rate, an
 * approximate sum, a yes/no fact, an amount printed in 万元, a national
 * indicator excluded and another assigned to one unit, and a unit that sends
 * only text. The real local pipeline (emulators, ingest, aggregate) turns its
 * samples into report.md, report.docx and data.xlsx, and nothing in the
 * repository's counties folder changes.
 */
const COUNTY = 'hexi_test';
const YEAR = 2024;

const units = [
  { id: 'gov_service', name: '河西县政务服务管理局', aliases: ['政务服务局'], kind: 'department', roles: ['gov_service'] },
  { id: 'justice', name: '河西县司法局', aliases: ['司法局'], kind: 'department', roles: ['justice'] },
  { id: 'town_a', name: '河西县东镇人民政府', aliases: ['东镇'], kind: 'township', groups: ['townships'] },
  { id: 'town_b', name: '河西县西乡人民政府', aliases: ['西乡'], kind: 'township', groups: ['townships'] },
  { id: 'petition', name: '河西县信访局', aliases: ['信访局'], kind: 'department', narrativeOnly: true },
  { id: 'procuratorate', name: '河西县人民检察院', aliases: ['检察院'], kind: 'office', optional: true },
];

const county = {
  id: COUNTY,
  name: '河西县',
  government: '河西县人民政府',
  addressees: ['中共河西市委', '河西市人民政府'],
  docNumberPrefix: '河政报',
  timeZone: 'Asia/Shanghai',
  collection: { deadline: '01-15', schedules: [{ expression: 'cron(0 18 * 1 ? *)' }] },
  units,
  catalogue: {
    exclude: ['law_education_events'],
    assign: { deputy_suggestions: [{ kind: 'unit', unit: 'justice' }] },
  },
};

const indicators = [
  { id: 'online_service_rate', name: '政务服务事项网上可办率', unit: '%', topic: 'services', submittedBy: [{ kind: 'unit', unit: 'gov_service' }], aggregation: { kind: 'max' } },
  { id: 'services_handled', name: '政务服务办件量', unit: '件', printIn: '万', topic: 'services', submittedBy: [{ kind: 'unit', unit: 'gov_service' }], aggregation: { kind: 'sum' } },
  { id: 'law_lectures', name: '法治讲座场次', unit: '场', topic: 'education', submittedBy: [{ kind: 'group', group: 'townships' }], aggregation: { kind: 'sum' }, approximateAllowed: true },
  { id: 'disputes_received', name: '受理矛盾纠纷件数', unit: '件', topic: 'disputes', submittedBy: [{ kind: 'group', group: 'townships' }], aggregation: { kind: 'sum' } },
  { id: 'disputes_resolved', name: '化解矛盾纠纷件数', unit: '件', topic: 'disputes', submittedBy: [{ kind: 'group', group: 'townships' }], aggregation: { kind: 'sum' } },
  { id: 'dispute_resolution_rate', name: '矛盾纠纷化解率', unit: '%', topic: 'disputes', submittedBy: [{ kind: 'group', group: 'townships' }], aggregation: { kind: 'ratio', numerator: 'disputes_resolved', denominator: 'disputes_received' } },
  {
    id: 'three_systems_in_place',
    name: '行政执法“三项制度”落实',
    unit: '项',
    valueType: 'yesno',
    yesText: '实现了',
    noText: '尚未实现',
    topic: 'enforcement',
    submittedBy: [{ kind: 'group', group: 'townships' }],
    aggregation: { kind: 'all' },
  },
  { id: 'losses_recovered', name: '挽回经济损失', unit: '万元', valueType: 'amount', topic: 'legal_aid', submittedBy: [{ kind: 'unit', unit: 'justice' }], aggregation: { kind: 'sum' } },
];

const template = {
  title: '{{government}}关于{{year}}年度法治政府建设情况的报告',
  preamble: '{{year}}年，{{county}}扎实推进法治政府建设，现将有关情况报告如下：',
  blocks: [
    { kind: 'heading1', text: '一、主要做法和成效' },
    {
      kind: 'heading2',
      text: '（一）优化政务服务。',
      body: '政务服务事项网上可办率{{fig:online_service_rate}}%，全年办件{{fig:services_handled}}件。',
    },
    {
      kind: 'heading2',
      text: '（二）化解矛盾纠纷。',
      body: '各乡镇举办法治讲座{{fig:law_lectures}}场，受理矛盾纠纷{{fig:disputes_received}}件，化解{{fig:disputes_resolved}}件，化解率{{fig:dispute_resolution_rate}}%；{{fig:three_systems_in_place}}乡镇行政执法“三项制度”全覆盖。办理人大代表建议{{fig:deputy_suggestions}}件，为群众挽回经济损失{{fig:losses_recovered}}万元。',
      narratives: 'disputes',
    },
  ],
  closing: '特此报告。',
  date: '2025年1月20日',
};

const sample = (unit: string, body: Record<string, unknown>) => JSON.stringify({ $schema: 'yearly-report/submission-file@1', county: COUNTY, year: YEAR, unit, ...body }, null, 2);

function writeCounty(dir: string): void {
  mkdirSync(path.join(dir, 'samples', String(YEAR)), { recursive: true });
  writeFileSync(path.join(dir, 'county.json'), JSON.stringify(county, null, 2));
  writeFileSync(path.join(dir, 'indicators.json'), JSON.stringify(indicators, null, 2));
  writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template, null, 2));
  const samples = path.join(dir, 'samples', String(YEAR));
  writeFileSync(path.join(samples, 'gov_service.json'), sample('gov_service', { indicators: { online_service_rate: '94.3%', services_handled: '1.3万' } }));
  writeFileSync(path.join(samples, 'justice.json'), sample('justice', { indicators: { deputy_suggestions: 119, losses_recovered: 27.4 } }));
  writeFileSync(
    path.join(samples, 'town_a.json'),
    sample('town_a', { indicators: { law_lectures: '20余', disputes_received: 12, disputes_resolved: 11, three_systems_in_place: '是' } }),
  );
  // The other township sends CSV, as a clerk saving the template's sheet would.
  writeFileSync(
    path.join(samples, 'town_b.csv'),
    ['【指标】', '指标代码,指标名称,计量单位,数值,备注', 'law_lectures,法治讲座场次,场,15,', 'disputes_received,受理矛盾纠纷件数,件,8,', 'disputes_resolved,化解矛盾纠纷件数,件,7,', 'three_systems_in_place,行政执法“三项制度”落实,项,是,'].join('\r\n'),
  );
  writeFileSync(path.join(samples, 'petition.json'), sample('petition', { narratives: [{ section: 'disputes', text: '信访局畅通群众诉求表达渠道，做到件件有回音' }] }));
}

/** Every file under the repository's counties folder with a hash of its bytes. */
function fingerprint(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const p = path.join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(p).update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

describe('a county defined only by its own folder runs through the whole local pipeline', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-county-'));
  const countyDir = path.join(work, COUNTY);
  const outDir = path.join(work, 'out', COUNTY, String(YEAR));
  const before = fingerprint(REPO_COUNTIES_DIR);
  let summary: DemoSummary;
  let report: Report;

  beforeAll(async () => {
    writeCounty(countyDir);
    summary = await runDemo({ countyId: COUNTY, countyDir, year: YEAR, outRoot: path.join(work, 'out'), stateDir: path.join(work, 'state') });
    report = ReportSchema.parse(JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('accepts every sample, counts the text-only unit as expected and the optional unit as not missing', () => {
    expect(summary.rejected).toEqual([]);
    expect(summary.accepted.sort()).toEqual(['gov_service', 'justice', 'petition', 'town_a', 'town_b']);
    expect(report.completeness).toMatchObject({ expected: 5, accepted: 5, missing: 0 });
  });

  it("computes the county's own figures, each a figure segment carrying its indicator id", () => {
    const printed = new Map(report.document.flatMap((b) => (b.kind === 'heading2' ? b.body : b.kind === 'paragraph' ? b.segments : [])).filter((s) => s.figure).map((s) => [s.figure!, s.text]));
    expect(Object.fromEntries(printed)).toEqual({
      online_service_rate: '94.3',
      services_handled: '1.3万',
      // 20余 + 15: a round number before 余, as the genre prints an approximate sum (issue 21).
      law_lectures: '30余',
      disputes_received: '20',
      disputes_resolved: '18',
      dispute_resolution_rate: '90',
      three_systems_in_place: '实现了',
      deputy_suggestions: '119',
      losses_recovered: '27.4',
    });
    const rate = report.figures.find((f) => f.indicatorId === 'dispute_resolution_rate')!;
    // Both parts of the rate are in its provenance, each source saying which part it feeds.
    expect(rate.sources.map((s) => `${s.part}:${s.unitId}:${s.value}`).sort()).toEqual([
      'denominator:town_a:12',
      'denominator:town_b:8',
      'numerator:town_a:11',
      'numerator:town_b:7',
    ]);
  });

  it('writes the figures and the text-only unit into report.md', () => {
    const md = readFileSync(path.join(outDir, 'report.md'), 'utf8');
    for (const text of ['网上可办率94.3%', '办件1.3万件', '法治讲座30余场', '化解率90%', '实现了乡镇行政执法“三项制度”全覆盖', '挽回经济损失27.4万元', '信访局畅通群众诉求表达渠道']) {
      expect(md).toContain(text);
    }
    expect(md).not.toContain('【待补充');
  });

  it('writes them into report.docx', async () => {
    const zip = await openDocx(readFileSync(path.join(outDir, 'report.docx')));
    const text = paragraphs(await part(zip, 'word/document.xml')).map((p) => p.text).join('\n');
    for (const fragment of ['94.3', '1.3万', '30余', '实现了', '27.4', '信访局畅通群众诉求表达渠道']) expect(text).toContain(fragment);
  });

  it('lists them in data.xlsx by their Chinese names', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(outDir, 'data.xlsx'));
    const cells = new Set<string>();
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => void cells.add(String(cell.value)))));
    for (const name of ['政务服务事项网上可办率', '法治讲座场次', '矛盾纠纷化解率', '挽回经济损失']) expect(cells).toContain(name);
  });

  it('leaves the repository untouched', () => {
    expect(fingerprint(REPO_COUNTIES_DIR)).toBe(before);
  });
});
