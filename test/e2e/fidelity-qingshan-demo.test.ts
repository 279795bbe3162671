import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { buildReport } from '../../shared/core/report/build-report';
import type { Block, Report } from '../../shared/core/report/schema';
import { blockText, headings, loadSamples, normalizePunctuation, unexplainedDigits } from './fidelity-helpers';

/**
 * The second county (青山县, fictional sample data): different units, roles,
 * numbers and a thematic layout, produced by the same code as Lingshou. The
 * expected figures are what the sample files were written to add up to.
 */
const county = loadCounty(countyDirInRepo('qingshan_demo'));
const catalogue = county.catalogue;

// [as printed, words beside it, the indicator that must produce it]
const EXPECTED: ReadonlyArray<[string, string, string]> = [
  ['6项', '作出重大行政决策', 'major_administrative_decisions'],
  ['9件', '制发行政规范性文件', 'normative_documents_issued'],
  ['14件', '审核行政规范性文件', 'normative_documents_reviewed'],
  ['86件', '会前合法性审查', 'legality_review_meeting_items'],
  ['8个乡镇（街道）', '聘请了法律顾问', 'townships_with_legal_advisers'],
  ['9个行政执法部门', '聘请了法律顾问', 'departments_with_legal_advisers'],
  ['23名', '共聘请法律顾问', 'legal_advisers_engaged'],
  ['94.4%', '法律顾问覆盖率', 'legal_adviser_coverage'],
  ['386项', '全流程网办', 'services_fully_online'],
  ['1275件', '全年办结', 'instant_cases_handled'],
  ['512户', '抽查市场主体', 'market_entities_inspected'],
  ['139名', '持证行政执法人员', 'certified_enforcement_staff'],
  ['600余名', '执法人员参加', 'enforcement_staff_trained'],
  ['144场', '法治宣传教育活动', 'law_education_events'],
  ['86人', '人民调解员', 'mediators_total'],
  ['33人', '村级调解员', 'mediators_village'],
  ['18名', '专职调解员', 'township_full_time_mediators'],
  // 200余 + 459 = 659余 prints as the genre does: a round number before 余 (issue 21).
  ['650余件', '调解矛盾纠纷', 'disputes_mediated'],
  ['7件', '受理行政复议案件', 'reconsideration_received'],
  ['2件', '依法纠错', 'reconsideration_corrected'],
  ['1件', '败诉', 'lawsuits_lost'],
  ['64.3%', '负责人出庭应诉率', 'head_appearance_rate'],
  ['58件', '人大代表建议', 'deputy_suggestions'],
  ['73件', '政协提案', 'cppcc_proposals'],
  ['131件', '合计', 'suggestions_and_proposals'],
  ['2600余条', '主动公开政府信息', 'disclosure_proactive_items'],
];

const segmentsOf = (block: Block) => (block.kind === 'paragraph' ? block.segments : block.kind === 'heading2' ? block.body : []);

describe('Qingshan (sample county) 2021 report', () => {
  let report: Report;
  beforeAll(async () => {
    report = buildReport({ county, year: 2021, submissions: await loadSamples(county, catalogue, 2021), rejected: [], generatedAt: new Date('2022-01-18T01:00:00Z') });
  });

  it.each(EXPECTED)('states %s beside “%s”, computed from %s', (printed, context, indicatorId) => {
    const block = report.document.find((b) => {
      const text = normalizePunctuation(blockText(b));
      return text.includes(normalizePunctuation(context)) && text.includes(normalizePunctuation(printed));
    });
    expect(block).toBeDefined();
    const number = printed.match(/^[\d.]+余?/)![0];
    expect(segmentsOf(block!).filter((s) => s.figure === indicatorId).map((s) => s.text)).toContain(number);
  });

  it('prints every statistic as a computed figure: no other number in the prose', () => {
    expect(unexplainedDigits(report, [])).toEqual([]);
  });

  it('uses its own thematic layout', () => {
    expect(headings(report)).toEqual(
      [
        '一、坚持党的领导，压实法治政府建设责任',
        '二、推进依法科学民主决策',
        '三、优化政务服务和营商环境',
        '四、严格规范公正文明执法',
        '五、深化普法宣传和多元解纷',
        '（一）法治宣传教育。',
        '（二）人民调解。',
        '（三）行政复议和行政应诉。',
        '六、自觉接受监督',
        '七、存在的不足和下一步打算',
      ].map(normalizePunctuation),
    );
    expect(report.document.find((b) => b.kind === 'docNumber')).toEqual({ kind: 'docNumber', text: '青政报〔2022〕3号' });
    // The sample county says so on the page, so its draft is never mistaken for a real one.
    expect(blockText(report.document.find((b) => b.kind === 'note')!)).toContain('虚构县');
  });

  it('counts an officer listed by two units once', () => {
    const certified = report.figures.find((f) => f.indicatorId === 'certified_enforcement_staff')!;
    const listed = certified.sources.reduce((n, s) => n + (s.location.rows ?? 0), 0);
    expect([listed, certified.value]).toEqual([140, 139]);
  });

  it('derives the mediators from the townships’ ledgers', () => {
    const village = report.figures.find((f) => f.indicatorId === 'mediators_village')!;
    expect(village.sources.every((s) => s.location.ledger === 'mediators')).toBe(true);
    expect(village.reportingUnits).toHaveLength(8);
  });

  it('slots units’ narratives into their sections, in unit order then item order', () => {
    const text = report.document.map(blockText).join('\n');
    const order = ['全面推行行政执法“三项制度”。', '县司法局对全县执法案卷开展交叉评查', '东城街道在社区设立法律服务点', '松岭镇建成“枫桥式”调解室'].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const mediation = report.document.find((b) => b.kind === 'heading2' && b.text.startsWith('（二）人民调解'))!;
    expect(blockText(mediation)).toContain('松岭镇建成“枫桥式”调解室');
  });

  it('passes every cross-check and leaves nothing missing', () => {
    expect(report.warnings).toEqual([]);
    expect(report.completeness).toMatchObject({ expected: 21, accepted: 21, missing: 0 });
  });
});
