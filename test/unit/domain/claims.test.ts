import { renderInternalDocx } from '../../../shared/core/artifacts/internal-docx';
import { renderMarkdown } from '../../../shared/core/artifacts/markdown';
import { renderDocx } from '../../../shared/core/artifacts/docx';
import { renderHtml } from '../../../shared/core/artifacts/html';
import { ConfigError } from '../../../shared/core/errors';
import { joinText } from '../../../shared/core/report/build-document';
import { buildReport, type CurrentSubmission } from '../../../shared/core/report/build-report';
import type { Block, Report, Segment } from '../../../shared/core/report/schema';
import { openDocx, paragraphs, part } from '../artifacts/ooxml';
import { countyOf, smallCatalogue, smallConfig, submission } from './helpers';

/**
 * Issue 21: every sentence the office signs is backed by the data or marked.
 * Bound claims ({{claim:…}}), 暂无数据 as a partial figure, shared figures
 * ({{shared:…}}) and the measure word 报送情况.docx prints.
 */
const EXTRA = [
  { id: 'full_cover', name: '三项制度全覆盖', unit: '项', valueType: 'yesno', yesText: '是', noText: '否', topic: 't', submittedBy: [{ kind: 'group', group: 'towns' }], aggregation: { kind: 'all' } },
  { id: 'committee_meetings', name: '委员会会议次数', unit: '次', topic: 't', submittedBy: [{ kind: 'role', role: 'office' }], aggregation: { kind: 'sum' } },
  { id: 'office_meetings', name: '办公室会议次数', unit: '次', topic: 't', submittedBy: [{ kind: 'role', role: 'office' }], aggregation: { kind: 'sum' } },
  { id: 'mediators_total', name: '人民调解员数', unit: '人', topic: 't', submittedBy: [{ kind: 'group', group: 'towns' }], aggregation: { kind: 'sum' } },
  { id: 'mediators_sum', name: '调解员与顾问合计', unit: '人', topic: 't', submittedBy: [{ kind: 'group', group: 'towns' }], aggregation: { kind: 'sum_of', parts: ['mediators_total', 'fulltime_mediators'] } },
];

const TEMPLATE = {
  title: '测试县报告',
  preamble: '召开委员会会议、办公室会议{{shared:committee_meetings,office_meetings|各}}次。',
  blocks: [
    { kind: 'heading1', text: '一、情况' },
    {
      kind: 'paragraph',
      text: '全县共有专职调解员{{fig:fulltime_mediators}}名，{{claim:two_each}}实现了各乡镇至少配备2名专职调解员{{/claim}}。{{claim:full_cover}}实现县乡“三项制度”全覆盖{{/claim}}。{{fig:towns_with_advisers}}个乡镇{{claim:towns_with_advisers}}均已聘用了法律顾问{{/claim}}。',
    },
    { kind: 'paragraph', text: '全县人民调解员{{fig:mediators_total}}名，合计{{fig:mediators_sum}}人。' },
  ],
  date: '2022年1月14日',
};

const catalogue = smallCatalogue({ indicators: EXTRA });
const county = (config = smallConfig()) => countyOf(config, TEMPLATE, { catalogue });
const build = (submissions: CurrentSubmission[], config = smallConfig()) =>
  buildReport({ county: county(config), year: 2021, submissions, rejected: [], generatedAt: new Date('2022-01-09T01:00:00Z') });

const complete = (town_b: Record<string, number> = {}) => [
  submission('office', { indicators: { committee_meetings: 1, office_meetings: 1 } }),
  submission('dept_a', {}),
  submission('town_a', { indicators: { fulltime_mediators: 2, full_cover: 1, mediators_total: 10 }, ledgers: { advisers: [{ name: '赵律师' }] } }),
  submission('town_b', { indicators: { fulltime_mediators: 3, full_cover: 1, mediators_total: 12, ...town_b }, ledgers: { advisers: [{ name: '钱律师' }] } }),
];
const withNoData = (s: CurrentSubmission, indicatorId: string): CurrentSubmission => ({
  ...s,
  submission: { ...s.submission, indicators: s.submission.indicators.filter((i) => i.indicatorId !== indicatorId), noData: [{ indicatorId, source: { path: `indicators.${indicatorId}` } }] },
});

const segments = (report: Report): Segment[] => report.document.flatMap((b: Block) => (b.kind === 'paragraph' ? b.segments : b.kind === 'heading2' ? b.body : []));
const text = (report: Report) => report.document.map((b) => (b.kind === 'paragraph' ? joinText(b.segments) : 'text' in b ? b.text : '')).join('\n');
const claimText = (report: Report) => segments(report).filter((s) => s.claim !== undefined).map((s) => s.text);
const internalText = async (report: Report) => paragraphs(await part(await openDocx(await renderInternalDocx(report)), 'word/document.xml')).map((p) => p.text).join('\n');

describe('bound claims', () => {
  it('print as written, unmarked, when what proves them holds on complete data', () => {
    const report = build(complete());
    expect(text(report)).toContain('实现了各乡镇至少配备2名专职调解员。实现县乡“三项制度”全覆盖。2个乡镇均已聘用了法律顾问。');
    expect(claimText(report)).toEqual([]);
    expect(report.claims!.map((c) => [c.bindings, c.holds])).toEqual([
      [['two_each'], true],
      [['full_cover'], true],
      [['towns_with_advisers'], true],
    ]);
    expect(report.warnings.map((w) => w.code)).not.toContain('CLAIM_NOT_PROVEN');
  });

  it('are marked with why when a check fails (which units), a yes/no fact is no, or a coverage count leaves a unit out', () => {
    const town_b = complete()[3]!;
    const report = build([
      ...complete().slice(0, 3),
      { ...town_b, submission: { ...town_b.submission, indicators: town_b.submission.indicators.map((i) => (i.indicatorId === 'fulltime_mediators' ? { ...i, value: 1 } : i.indicatorId === 'full_cover' ? { ...i, value: 0 } : i)), ledgers: {} } },
    ]);
    expect(claimText(report)).toEqual(['实现了各乡镇至少配备2名专职调解员', '实现县乡“三项制度”全覆盖', '均已聘用了法律顾问']);
    const reasons = report.claims!.map((c) => c.reason);
    expect(reasons[0]).toBe('核对未通过：每个乡镇至少2名专职调解员（测试县乙镇人民政府为1）');
    expect(reasons[1]).toBe('“三项制度全覆盖”为否：测试县乙镇人民政府填报为否');
    expect(reasons[2]).toBe('“聘用法律顾问的乡镇数”为1个，应为2个：测试县乙镇人民政府未达到');
    expect(report.warnings.filter((w) => w.code === 'CLAIM_NOT_PROVEN').map((w) => w.message)).toEqual([
      `“实现了各乡镇至少配备2名专职调解员”未经数据证实（${reasons[0]}），报告中已标出`,
      `“实现县乡“三项制度”全覆盖”未经数据证实（${reasons[1]}），报告中已标出`,
      `“均已聘用了法律顾问”未经数据证实（${reasons[2]}），报告中已标出`,
    ]);
  });

  it('are marked when a unit has not submitted, and a check that cannot be evaluated is a warning', () => {
    const report = build(complete().slice(0, 3));
    expect(claimText(report)).toEqual(['实现了各乡镇至少配备2名专职调解员', '实现县乡“三项制度”全覆盖', '均已聘用了法律顾问']);
    expect(report.claims![0]!.reason).toBe('无法核对“每个乡镇至少2名专职调解员”：测试县乙镇人民政府没有数据');
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'CROSS_CHECK_NOT_EVALUATED', message: '无法核对“每个乡镇至少2名专职调解员”：测试县乙镇人民政府没有数据' }));
  });

  it('show their reason in every artifact: a Word comment, an html and a md mark, and a list in 报送情况.docx', async () => {
    const report = build(complete().slice(0, 3));
    const reason = report.claims![0]!.reason!;
    const zip = await openDocx(await renderDocx(report));
    expect(await part(zip, 'word/comments.xml')).toContain(`未经数据证实：${reason}`);
    expect(renderHtml(report)).toContain('<mark class="claim">实现了各乡镇至少配备2名专职调解员</mark>');
    expect(renderHtml(report)).toContain(`〔未经数据证实：${reason}〕`);
    expect(renderMarkdown(report)).toMatch(/<mark>实现了各乡镇至少配备2名专职调解员<\/mark>\[\^p\d+\]/);
    expect(renderMarkdown(report)).toContain(`: 未经数据证实：${reason}`);
    const internal = await internalText(report);
    expect(internal).toContain('下列3处表述称全部完成或全覆盖，但数据尚不能证实');
    expect(internal).toContain('实现了各乡镇至少配备2名专职调解员');
    expect(internal).toContain(reason);
  });

  it('must name a check or an indicator, and be closed', () => {
    const bad = (text: string) => () =>
      buildReport({ county: countyOf(smallConfig(), { ...TEMPLATE, blocks: [{ kind: 'paragraph', text }] }, { catalogue }), year: 2021, submissions: [], rejected: [], generatedAt: new Date() });
    expect(bad('{{claim:two_eahc}}实现了{{/claim}}')).toThrow(/names no check \(checks.json\) and no indicator; did you mean two_each/);
    expect(bad('{{claim:two_each}}实现了')).toThrow(ConfigError);
    expect(bad('实现了{{/claim}}')).toThrow(/closes no/);
  });
});

describe('an unbound sentence claiming completeness on a partial figure', () => {
  it('is marked, and its warning quotes the whole sentence, not the fragment after the previous figure', () => {
    const template = { ...TEMPLATE, blocks: [{ kind: 'paragraph', text: '截至目前{{fig:towns_with_advisers}}个乡镇、{{fig:fulltime_mediators}}名专职调解员均已到位。' }] };
    const report = buildReport({ county: countyOf(smallConfig(), template, { catalogue }), year: 2021, submissions: complete().slice(0, 3), rejected: [], generatedAt: new Date('2022-01-09T01:00:00Z') });
    expect(report.warnings.filter((w) => w.code === 'COMPLETENESS_CLAIM_PARTIAL').map((w) => w.message)).toEqual([
      '“截至目前1个乡镇、2名专职调解员均已到位。”称全部完成，但“专职调解员数”在1个应报单位未报送或被退回时算出，报告中已标出',
    ]);
  });
});

describe('暂无数据 (issue 21, item 2)', () => {
  const report = build([...complete().slice(0, 3), withNoData(complete()[3]!, 'mediators_total')]);
  const mediators = report.figures.find((f) => f.indicatorId === 'mediators_total')!;

  it('makes a summed figure partial, and every figure computed from it', () => {
    expect(mediators).toMatchObject({ value: 10, partial: { missingUnits: ['town_b'], noDataUnits: ['town_b'] } });
    expect(report.figures.find((f) => f.indicatorId === 'mediators_sum')!.partial).toEqual({ missingUnits: ['town_b'], noDataUnits: ['town_b'] });
    expect(segments(report).filter((s) => s.figure === 'mediators_total')).toEqual([{ text: '10', figure: 'mediators_total', partial: 'mediators_total' }]);
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'PARTIAL_FIGURE', indicatorId: 'mediators_total', message: '“人民调解员数”（10人）不含1个填报暂无数据的单位，不是全县数字，报告中已标出' }));
  });

  it('is marked in report.md and report.docx, and 报送情况.docx no longer says every figure is complete', async () => {
    expect(renderMarkdown(report)).toContain('不完整：“人民调解员数”未计入测试县乙镇人民政府（填报暂无数据）');
    expect(await part(await openDocx(await renderDocx(report)), 'word/comments.xml')).toContain('（填报暂无数据）');
    const internal = await internalText(report);
    expect(internal).not.toContain('无。草稿中每个数字都包含全部应报单位的材料。');
    expect(internal).toContain('测试县乙镇人民政府（填报暂无数据）');
  });
});

describe('shared figures: {{shared:a,b|各}} (issue 21, item 4)', () => {
  it('print the shared wording when the parts agree', () => {
    expect(text(build(complete()))).toContain('召开委员会会议、办公室会议各1次。');
  });

  it('state each figure when they differ, and never one for the other', () => {
    const office = submission('office', { indicators: { committee_meetings: 1, office_meetings: 2 } });
    const report = build([office, ...complete().slice(1)]);
    expect(text(report)).toContain('召开委员会会议、办公室会议分别为1次、2次。');
    expect(segments(report).filter((s) => s.figure).slice(0, 2)).toEqual([
      { text: '1', figure: 'committee_meetings' },
      { text: '2', figure: 'office_meetings' },
    ]);
  });

  it('mark a part without data instead of printing the shared wording', () => {
    const office = submission('office', { indicators: { committee_meetings: 1 } });
    expect(text(build([office, ...complete().slice(1)]))).toContain('分别为1次、【待补充：办公室会议次数】次。');
  });

  it('must name two indicators and the shared wording', () => {
    const bad = (text: string) => () =>
      buildReport({ county: countyOf(smallConfig(), { ...TEMPLATE, preamble: text }, { catalogue }), year: 2021, submissions: [], rejected: [], generatedAt: new Date() });
    expect(bad('会议{{shared:committee_meetings|各}}次')).toThrow(/needs two or more indicators/);
  });
});

describe('measure words (issue 21, item 5)', () => {
  it.each([
    ['where the county allows a synonym', { measureWords: { 人: ['名'] } }],
    ['and where it does not (county check reminds of it)', {}],
  ])('报送情况.docx names a figure with the measure word the report prints, %s', async (_name, overrides) => {
    const report = build(complete(), smallConfig(overrides));
    expect(text(report)).toContain('全县人民调解员22名');
    expect(report.figures.find((f) => f.indicatorId === 'mediators_total')!.printedUnit).toBe('名');
    const internal = await internalText(report);
    expect(internal).toContain('22名');
    expect(internal).not.toContain('22人');
  });
});
