import { ConfigError } from '../../../shared/core/errors';
import { buildReport, type BuildReportInput } from '../../../shared/core/report/build-report';
import { deadlineInstant } from '../../../shared/core/county/time';
import { joinText } from '../../../shared/core/report/build-document';
import type { Block, Report } from '../../../shared/core/report/schema';
import { countyOf, smallCatalogue, smallConfig, submission } from './helpers';

const template = {
  title: '{{government}}关于{{year}}年度法治政府建设情况的报告',
  docNumber: '{{docNumberPrefix}}〔{{reportYear}}〕{{docSequence}}号',
  docSequence: 6,
  preamble: '{{year}}年以来，{{county}}法治政府建设取得了新成效。',
  blocks: [
    { kind: 'heading1', text: '一、工作开展情况' },
    { kind: 'heading2', text: '（一）决策情况。', body: '会前合法性审查{{fig:reviews}}件。', narratives: 'decisions' },
    { kind: 'paragraph', text: '培训{{fig:staff_trained}}名行政执法人员；收案{{fig:cases_received}}件，已结案{{fig:cases_closed}}件，尚在审理中{{fig:cases_pending}}件。' },
    { kind: 'paragraph', text: '{{fig:towns_with_advisers}}个乡(镇)聘用了法律顾问，满意率{{fig:satisfaction}}%。', narratives: 'other' },
  ],
  date: '2022年1月14日',
  note: '（此件公开发布）',
};

function input(overrides: Partial<BuildReportInput> = {}): BuildReportInput {
  return {
    county: countyOf(smallConfig(), template),
    year: 2021,
    submissions: [],
    rejected: [],
    generatedAt: new Date('2022-01-12T01:00:00Z'),
    ...overrides,
  };
}

const fullSet = () => [
  submission('office', {
    indicators: { reviews: 125, satisfaction: 100, staff_trained: { value: 1000, approximate: true } },
    ledgers: {
      cases: [
        { case_no: 'A1', status: '已结案' },
        { case_no: 'A2', status: '已结案' },
        { case_no: 'A3', status: '审理中' },
      ],
      advisers: [{ name: '王律师' }],
    },
    narratives: [{ section: 'decisions', text: '严格落实重大行政决策程序' }],
  }),
  submission('dept_a', { indicators: { staff_trained: 20 }, ledgers: { advisers: [{ name: '王律师' }, { name: '李律师' }] } }),
  submission('town_a', { indicators: { fulltime_mediators: 2 }, ledgers: { advisers: [{ name: '赵律师' }] }, narratives: [{ section: 'other', text: '乙项工作', order: 2 }, { section: 'other', text: '甲项工作。', order: 1 }] }),
  submission('town_b', { indicators: { fulltime_mediators: 3, advisers: 0 } }),
];

const fig = (report: Report, id: string) => report.figures.find((f) => f.indicatorId === id)!;
const blockText = (b: Block) => ('segments' in b ? joinText(b.segments) : 'body' in b ? b.text + joinText(b.body) : 'text' in b ? b.text : '');
const docText = (report: Report) => report.document.map(blockText).join('\n');

describe('buildReport figures', () => {
  const report = buildReport(input({ submissions: fullSet() }));

  it('sums units and carries the approximate marker', () => {
    // The value stays exact; the text prints it as a round number before 余 (issue 21).
    expect(fig(report, 'staff_trained')).toMatchObject({ value: 1020, approximate: true, display: '1000余' });
    expect(docText(report)).toContain('培训1000余名行政执法人员');
  });

  it('derives ledger counts and records the ledger in provenance', () => {
    expect([fig(report, 'cases_received').value, fig(report, 'cases_closed').value, fig(report, 'cases_pending').value]).toEqual([3, 2, 1]);
    expect(fig(report, 'cases_received').sources).toEqual([
      { unitId: 'office', unitName: '测试县司法局', value: 3, approximate: false, s3Key: 'submissions/2021/office/data.json', versionId: 'v-office', location: { ledger: 'cases', rows: 3, ledgerName: '案件台账' } },
    ]);
    // The JSON path, and the indicator it names as people read it.
    expect(fig(report, 'reviews').sources[0]!.location).toEqual({ path: 'indicators.reviews', indicatorName: '合法性审查件数' });
  });

  it('computes a ratio of two sums', () => {
    expect(fig(report, 'closed_rate')).toMatchObject({ value: 66.67, display: '66.7' });
  });

  it('counts and shares coverage among expected units only', () => {
    expect(fig(report, 'towns_with_advisers')).toMatchObject({ value: 1, expectedUnits: ['town_a', 'town_b'] });
    expect(fig(report, 'towns_adviser_share').value).toBe(50);
  });

  it('counts distinct ledger values across units', () => {
    expect(fig(report, 'adviser_people').value).toBe(3);
    expect(fig(report, 'advisers').value).toBe(4);
  });

  it('passes its cross-checks and reports nothing missing', () => {
    expect(report.warnings.map((w) => w.code)).toEqual([]);
  });
});

describe('buildReport document', () => {
  const report = buildReport(input({ submissions: fullSet() }));

  it('renders the frame of the official document in order', () => {
    expect(report.document.map((b) => b.kind)).toEqual([
      'title', 'docNumber', 'addressees', 'paragraph', 'heading1', 'heading2', 'paragraph', 'paragraph', 'closing', 'signature', 'date', 'note',
    ]);
    expect(report.title).toBe('测试县人民政府关于2021年度法治政府建设情况的报告');
    expect(report.document[1]).toEqual({ kind: 'docNumber', text: '测政函〔2022〕6号' });
    expect(report.document[2]).toEqual({ kind: 'addressees', text: '中共测试县委、县人大常委会：' });
    expect(report.document.slice(8, 12).map(blockText)).toEqual(['特此报告。', '测试县人民政府', '2022年1月14日', '（此件公开发布）']);
  });

  it('marks figures as their own segments', () => {
    const heading = report.document[5]!;
    expect(heading.kind === 'heading2' && heading.body).toEqual([
      { text: '会前合法性审查' },
      { text: '125', figure: 'reviews' },
      { text: '件。严格落实重大行政决策程序。' },
    ]);
  });

  it('appends narratives in unit order, then item order', () => {
    expect(blockText(report.document[7]!)).toBe('1个乡(镇)聘用了法律顾问，满意率100%。甲项工作。乙项工作。');
  });

  it('keeps completeness out of the published document: no annex of who submitted when', () => {
    expect(report.document.filter((b) => b.kind === 'table')).toEqual([]);
    expect(report.completeness.units.map((u) => u.unitName)).toEqual(['测试县司法局', '测试县甲局', '测试县甲镇人民政府', '测试县乙镇人民政府']);
  });

  it('omits the doc number while no sequence is assigned', () => {
    const { docSequence: _unused, ...noSequence } = template;
    const r = buildReport(input({ submissions: fullSet(), county: countyOf(smallConfig(), noSequence) }));
    expect(r.document.map((b) => b.kind)).not.toContain('docNumber');
  });

  it('prints a highlighted 【成文日期】 and warns while the template gives no date, never the generation date', () => {
    const { date: _unused, ...undated } = template;
    const r = buildReport(input({ submissions: fullSet(), county: countyOf(smallConfig(), undated), generatedAt: new Date('2022-01-14T17:00:00Z') }));
    expect(r.document.find((b) => b.kind === 'date')).toEqual({ kind: 'date', text: '【成文日期】', placeholder: true });
    expect(JSON.stringify(r.document)).not.toContain('2022年1月15日');
    expect(r.warnings.filter((w) => w.code === 'DATE_NOT_SET').map((w) => w.message)).toEqual([expect.stringContaining('成文日期尚未确定')]);
    const dated = buildReport(input({ submissions: fullSet(), county: countyOf(smallConfig(), template) }));
    expect(dated.document.find((b) => b.kind === 'date')).toEqual({ kind: 'date', text: '2022年1月14日' });
    expect(dated.warnings.map((w) => w.code)).not.toContain('DATE_NOT_SET');
  });
});

describe('buildReport gaps and warnings', () => {
  it('marks a placeholder without data and lists it', () => {
    const subs = fullSet().filter((s) => s.unitId !== 'office');
    const report = buildReport(input({ submissions: subs }));
    expect(docText(report)).toContain('会前合法性审查【待补充：合法性审查件数】件');
    const heading = report.document.find((b) => b.kind === 'heading2')!;
    expect(heading.kind === 'heading2' && heading.body[1]).toEqual({ text: '【待补充：合法性审查件数】', figure: 'reviews', missing: true });
    expect(report.warnings.filter((w) => w.code === 'MISSING_FIGURE').map((w) => w.indicatorId)).toEqual(['reviews', 'cases_received', 'cases_closed', 'cases_pending', 'satisfaction']);
    expect(fig(report, 'reviews').value).toBeNull();
  });

  it('warns when a cross-check fails', () => {
    const subs = fullSet();
    subs[0] = submission('office', { indicators: { reviews: 1, cases_received: 5, cases_closed: 1, cases_pending: 0 } });
    const report = buildReport(input({ submissions: subs }));
    const failed = report.warnings.filter((w) => w.code === 'CROSS_CHECK_FAILED');
    expect(failed.map((w) => w.indicatorId)).toEqual(['cases_received']);
    expect(failed[0]!.message).toContain('结案+在审应等于收案');
  });

  it('prints the ledger count, not a typed summary that contradicts it, and says so', () => {
    const subs = fullSet();
    subs[0] = submission('office', { indicators: { reviews: 1, cases_received: 5 }, ledgers: { cases: [{ case_no: 'A', status: '已结案' }] } });
    const report = buildReport(input({ submissions: subs }));
    expect(fig(report, 'cases_received').value).toBe(1);
    expect(report.warnings.find((w) => w.code === 'LEDGER_MISMATCH')).toMatchObject({ unitId: 'office', indicatorId: 'cases_received', message: expect.stringMatching(/填报5，但台账（1行）计得1；报告采用台账统计数$/) });
  });

  it('checks a range and a per-unit minimum', () => {
    const subs = fullSet();
    subs[0] = submission('office', { indicators: { reviews: 1, satisfaction: 120 } });
    subs[3] = submission('town_b', { indicators: { fulltime_mediators: 1 } });
    const report = buildReport(input({ submissions: subs }));
    const failed = report.warnings.filter((w) => w.code === 'CROSS_CHECK_FAILED');
    expect(failed.map((w) => [w.indicatorId, w.unitId ?? null])).toEqual([
      ['satisfaction', null],
      ['fulltime_mediators', 'town_b'],
    ]);
  });

  it('flags a figure that moved beyond the outlier factor year over year', () => {
    const previous = buildReport(input({ submissions: fullSet() }));
    const subs = fullSet();
    subs[0] = submission('office', { ...{ indicators: { reviews: 500, satisfaction: 100, staff_trained: { value: 1000, approximate: true } } } });
    const report = buildReport(input({ submissions: subs, previous }));
    expect(report.warnings.filter((w) => w.code === 'YEAR_OVER_YEAR_OUTLIER').map((w) => w.indicatorId)).toEqual(['reviews']);
  });

  it('keeps data from a unit that was not asked, with a warning', () => {
    const subs = fullSet();
    subs[1] = submission('dept_a', { indicators: { staff_trained: 20, reviews: 5 } });
    const report = buildReport(input({ submissions: subs }));
    expect(fig(report, 'reviews').value).toBe(130);
    expect(report.warnings.find((w) => w.code === 'UNEXPECTED_SUBMITTER')).toMatchObject({ unitId: 'dept_a', indicatorId: 'reviews' });
  });

  it('counts ledger-derived values only for the units that answer for the indicator', () => {
    const subs = fullSet();
    subs[1] = submission('dept_a', { indicators: { staff_trained: 20 }, ledgers: { cases: [{ case_no: 'X', status: '已结案' }] } });
    const report = buildReport(input({ submissions: subs }));
    expect(fig(report, 'cases_received').value).toBe(3);
    expect(report.warnings.filter((w) => w.code === 'UNEXPECTED_SUBMITTER')).toEqual([]);
  });

  it('warns about narratives for a section the template does not have', () => {
    const subs = fullSet();
    subs[1] = submission('dept_a', { indicators: { staff_trained: 20 }, narratives: [{ section: 'nowhere', text: '某项工作' }] });
    const report = buildReport(input({ submissions: subs }));
    expect(report.warnings.find((w) => w.code === 'UNPLACED_NARRATIVE')).toMatchObject({ unitId: 'dept_a' });
  });

  it('rejects a template placeholder naming no indicator, naming the file and field', () => {
    const bad = { ...template, blocks: [...template.blocks, { kind: 'paragraph', text: '共{{fig:no_such_thing}}件' }] };
    const run = () => buildReport(input({ county: countyOf(smallConfig(), bad) }));
    expect(run).toThrow(ConfigError);
    expect(run).toThrow('/counties/testcounty/template.json: blocks[4].text: placeholder {{fig:no_such_thing}} names no indicator');
  });
});

describe('buildReport completeness', () => {
  it('counts accepted, rejected, missing and late units', () => {
    const subs = fullSet().filter((s) => s.unitId !== 'town_b');
    subs[1] = { ...subs[1]!, receivedAt: '2022-01-10T16:30:00.000Z' }; // 00:30 on 11 January in Beijing: late
    subs[2] = { ...subs[2]!, receivedAt: '2022-01-10T15:30:00.000Z' }; // 23:30 on 10 January: on time
    const report = buildReport(
      input({ submissions: subs, rejected: [{ unitId: 'town_b', s3Key: 'submissions/2021/town_b/x.xlsx', versionId: 'r1', receivedAt: '2022-01-03T00:00:00Z', problemCount: 4 }] }),
    );
    expect(report.completeness).toMatchObject({ expected: 4, submitted: 4, accepted: 3, late: 1, missing: 0 });
    expect(report.completeness.units.map((u) => [u.unitId, u.status, u.late])).toEqual([
      ['office', 'accepted', false],
      ['dept_a', 'accepted', true],
      ['town_a', 'accepted', false],
      ['town_b', 'rejected', false],
    ]);
    expect(report.warnings.filter((w) => w.code.startsWith('UNIT_')).map((w) => [w.code, w.unitId])).toEqual([
      ['UNIT_LATE', 'dept_a'],
      ['UNIT_REJECTED', 'town_b'],
    ]);
    // The clerk reads the time in the county's zone, in Chinese form.
    expect(report.warnings.find((w) => w.code === 'UNIT_LATE')!.message).toBe('测试县甲局逾期报送（2022年1月11日 00:30）');
  });

  it('reports a unit with no upload as missing', () => {
    const report = buildReport(input({ submissions: fullSet().slice(0, 3) }));
    expect(report.completeness).toMatchObject({ expected: 4, submitted: 3, missing: 1 });
    expect(report.completeness.units.at(-1)).toEqual({ unitId: 'town_b', unitName: '测试县乙镇人民政府', status: 'missing', late: false });
  });

  it('uses the latest submission of a unit and ignores other years', () => {
    const subs = [...fullSet(), submission('office', { indicators: { reviews: 7 } }, '2022-01-06T00:00:00Z'), submission('dept_a', { indicators: { staff_trained: 999 }, year: 2020 }, '2022-01-07T00:00:00Z')];
    const report = buildReport(input({ submissions: subs }));
    expect(fig(report, 'reviews').value).toBe(7);
    expect(fig(report, 'staff_trained').value).toBe(20);
    expect(report.warnings.find((w) => w.code === 'WRONG_PERIOD')).toMatchObject({ unitId: 'dept_a' });
  });

  it('puts the deadline at the end of the local day', () => {
    expect(new Date(deadlineInstant(2021, '01-10', 'Asia/Shanghai')).toISOString()).toBe('2022-01-10T16:00:00.000Z');
    expect(new Date(deadlineInstant(2021, '03-31', 'America/New_York')).toISOString()).toBe('2022-04-01T04:00:00.000Z');
  });
});

describe('a submission the office returned for correction', () => {
  it('is counted but marked: its figures are partial, the unit reads as returned, and a warning says why', () => {
    const r = buildReport(input({ submissions: fullSet(), returned: [{ unitId: 'office', comment: '请核对收案数', by: '王芳（县司法局）', at: '2022-01-09T02:00:00.000Z' }] }));
    expect(r.completeness.units.find((u) => u.unitId === 'office')).toMatchObject({ status: 'accepted', returned: { comment: '请核对收案数', by: '王芳（县司法局）' } });
    expect(r.figures.find((f) => f.indicatorId === 'reviews')!.partial?.missingUnits).toEqual(['office']);
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'SUBMISSION_RETURNED', unitId: 'office', message: expect.stringContaining('请核对收案数') }));
    // Without the return the same figures are the county's.
    expect(buildReport(input({ submissions: fullSet() })).figures.find((f) => f.indicatorId === 'reviews')!.partial).toBeUndefined();
  });
});
