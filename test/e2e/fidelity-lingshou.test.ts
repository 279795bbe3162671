import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { buildReport } from '../../shared/core/report/build-report';
import type { Block, Report } from '../../shared/core/report/schema';
import { blockText, headings, loadSamples, normalizePunctuation, unexplainedDigits } from './fidelity-helpers';

/**
 * Acceptance test for issue 3: the Lingshou 2021 sample submissions, parsed by
 * the real parser and aggregated by buildReport, give every figure the
 * published report (灵政函〔2022〕6号) states, next to the words it stands by.
 */
const county = loadCounty(countyDirInRepo('lingshou'));
const catalogue = county.catalogue;
const build = async (skip: readonly string[] = []) =>
  buildReport({ county, year: 2021, submissions: await loadSamples(county, catalogue, 2021, skip), rejected: [], generatedAt: new Date('2022-01-12T01:00:00Z') });

// [as printed in the seed, words beside it in the seed, the indicator that must produce it]
const SEED_FIGURES: ReadonlyArray<[string, string, string]> = [
  ['125件', '政府常务会议题会前合法性审查', 'legality_review_meeting_items'],
  ['15个乡(镇)', '均已聘用了法律顾问', 'townships_with_legal_advisers'],
  ['20个行政执法部门', '均已聘用了法律顾问', 'departments_with_legal_advisers'],
  ['517项', '实现全流程网办', 'services_fully_online'],
  ['12个事项', '集中办理', 'instant_service_items'],
  ['404件', '共受理办结即办事项', 'instant_cases_handled'],
  ['8次', '双随机抽查', 'random_inspections'],
  ['309户', '累计抽查市场主体', 'market_entities_inspected'],
  ['133户', '被依法列入经营异常名录', 'market_entities_listed_abnormal'],
  ['1000余名', '行政执法人员进行网络授课培训及考试', 'enforcement_staff_trained'],
  ['40课时', '授课时长', 'enforcement_training_hours'],
  ['48场', '法治宣传教育讲座', 'school_law_lectures'],
  ['3000册', '《民法典与百姓生活100问》精品读本', 'civil_code_booklets'],
  ['284个村(社区)', '发放到全县', 'villages_reached'],
  ['3000余册', '人民调解法律知识问答', 'mediation_booklets'],
  ['15个乡(镇)', '共配备有35名专职调解员', 'townships_with_full_time_mediators'],
  ['35名', '专职调解员', 'township_full_time_mediators'],
  ['1346人', '目前我县共有调解员', 'mediators_total'],
  ['963人', '其中村级调解员', 'mediators_village'],
  ['11件', '共收行政复议案件', 'reconsideration_received'],
  ['9件', '已结案', 'reconsideration_closed'],
  ['2件', '尚在审理中', 'reconsideration_pending'],
  ['60件', '行政诉讼案件', 'lawsuits_received'],
  ['42件', '其余案件正在审理中', 'lawsuits_closed'],
  ['363件', '承办人大代表建议和政协提案', 'suggestions_and_proposals'],
  ['13件', '公开政府文件', 'gov_documents_disclosed'],
  ['9项', '受理依申请公开事项', 'disclosure_requests'],
  ['100%', '满意率', 'disclosure_satisfaction_rate'],
  ['12次', '网上执法巡查', 'online_enforcement_patrols'],
  ['2次', '现场执法监督检查', 'onsite_enforcement_inspections'],
  ['1次', '集中案卷评查', 'case_file_reviews'],
];

// Section headings of the seed, in order (their opening words).
const SEED_HEADINGS = [
  '一、工作开展情况',
  '(一)党政领导干部学习贯彻习近平总书记关于加强法治政府建设的重要指示',
  '(二)构建系统完备、科学规范、运行有效的依法行政制度体系',
  '(三)健全政府机构职能体系,推动更好发挥政府作用。',
  '(四)推进严格规范公正文明执法',
  '(五)深入开展法治宣传教育。',
  '(六)健全社会矛盾纠纷行政预防调处化解体系',
  '(七)健全行政权力制约和监督体系',
  '二、法治政府建设中存在的问题',
  '三、下一步工作计划',
  '(一)在普法宣传上精准发力。',
  '(二)在法治建设上精准施策。',
  '(三)在队伍提升上精准推进。',
];

function segmentsOf(block: Block) {
  return block.kind === 'paragraph' ? block.segments : block.kind === 'heading2' ? block.body : [];
}

describe('Lingshou 2021 report reproduces the seed', () => {
  let report: Report;
  beforeAll(async () => {
    report = await build();
  });

  it.each(SEED_FIGURES)('states %s beside “%s”, computed from %s', (printed, context, indicatorId) => {
    const figure = normalizePunctuation(printed);
    const words = normalizePunctuation(context);
    const block = report.document.find((b) => {
      const text = normalizePunctuation(blockText(b));
      return text.includes(words) && text.includes(figure);
    });
    expect(block).toBeDefined();
    // The number must come from the data, not from the template's prose.
    const number = printed.match(/^[\d.]+余?/)![0];
    expect(segmentsOf(block!).filter((s) => s.figure === indicatorId).map((s) => s.text)).toContain(number);
  });

  it('prints every statistic as a computed figure: no other number in the prose', () => {
    // What remains is prose: a booklet's title and the two-per-township standard the county's own check enforces.
    expect(unexplainedDigits(report, ['100问', '至少配备2名'])).toEqual([]);
  });

  it('has the seed’s headings in the seed’s order', () => {
    const ours = headings(report);
    expect(ours).toHaveLength(SEED_HEADINGS.length);
    SEED_HEADINGS.forEach((start, i) => expect([i, ours[i]!.startsWith(normalizePunctuation(start))]).toEqual([i, true]));
  });

  it('opens and closes like the official document', () => {
    const frame = report.document.filter((b) => b.kind !== 'heading1' && b.kind !== 'heading2' && b.kind !== 'paragraph' && b.kind !== 'table').map(blockText);
    expect(frame).toEqual([
      '灵寿县人民政府关于2021年度法治政府建设情况的报告',
      '灵政函〔2022〕6号',
      '中共灵寿县委、县人大常委会：',
      '特此报告。',
      '灵寿县人民政府',
      '2022年1月14日',
      '（此件公开发布）',
    ]);
  });

  it('is complete, consistent and leaves nothing to fill in', () => {
    expect(report.completeness).toMatchObject({ expected: 39, submitted: 39, accepted: 39, late: 0, missing: 0 });
    expect(report.warnings).toEqual([]);
    expect(report.document.flatMap(segmentsOf).filter((s) => s.missing)).toEqual([]);
  });

  it('traces the reconsideration figures to the ledger rows of the justice bureau', () => {
    const received = report.figures.find((f) => f.indicatorId === 'reconsideration_received')!;
    expect(received.sources).toEqual([
      expect.objectContaining({ unitId: 'justice_bureau', value: 11, s3Key: 'submissions/2021/justice_bureau/justice_bureau.json', location: { ledger: 'reconsideration_cases', rows: 11, ledgerName: '行政复议案件台账' } }),
    ]);
  });

  it('spreads the 35 full-time mediators over all 15 townships, at least 2 each', () => {
    const fullTime = report.figures.find((f) => f.indicatorId === 'township_full_time_mediators')!;
    expect(fullTime.sources).toHaveLength(15);
    expect(Math.min(...fullTime.sources.map((s) => s.value))).toBeGreaterThanOrEqual(2);
  });
});

/**
 * The published text as the county's website carries it (a public document),
 * from the doc number to the note. Every line of it must come out of the
 * template and the data verbatim, apart from half-width punctuation.
 */
const SEED_LINES = (() => {
  const lines = readFileSync(path.join(__dirname, 'fidelity-lingshou.seed.txt'), 'utf8').split(/\r?\n/).map((l) => l.trim());
  return lines.slice(lines.findIndex((l) => l.startsWith('灵政函')), lines.findIndex((l) => l.startsWith('(此件公开发布)')) + 1).filter((l) => l !== '');
})();

describe('Lingshou 2021 report text', () => {
  it('reproduces all of the seed’s lines, in order', async () => {
    const report = await build();
    const ours = report.document.filter((b) => b.kind !== 'table' && b.kind !== 'title').map((b) => normalizePunctuation(blockText(b)));
    expect(SEED_LINES.length).toBeGreaterThan(20);
    expect(ours).toEqual(SEED_LINES.map(normalizePunctuation));
  });
});

describe('Lingshou 2021 with a unit missing', () => {
  it('marks the approval bureau’s figures 待补充 and lists the unit as missing', async () => {
    const report = await build(['approval_bureau', 'beiwa_township']);
    expect(report.completeness).toMatchObject({ expected: 39, accepted: 37, missing: 2 });
    expect(report.completeness.units.filter((u) => u.status === 'missing').map((u) => u.unitId)).toEqual(['beiwa_township', 'approval_bureau']);
    const text = report.document.map((b) => normalizePunctuation(blockText(b))).join('\n');
    expect(text).toContain('【待补充：全流程网办政务服务事项数】项事项实现全流程网办');
    expect(text).toContain('截至目前14个乡（镇）、20个行政执法部门均已聘用了法律顾问');
    expect(report.warnings.filter((w) => w.code === 'MISSING_FIGURE').map((w) => w.indicatorId)).toEqual([
      'services_fully_online',
      'instant_service_items',
      'instant_cases_handled',
    ]);
    expect(report.warnings.filter((w) => w.code === 'UNIT_MISSING').map((w) => w.unitId)).toEqual(['beiwa_township', 'approval_bureau']);
  });
});

describe('Lingshou 2021 with only the justice bureau in (issue 12: partial data is never stated as fact)', () => {
  const onlyJustice = async (generatedAt: string) => {
    const all = readdirSync(path.join(county.dir, 'samples', '2021')).map((f) => path.basename(f, '.json'));
    return buildReport({ county,
      year: 2021,
      submissions: await loadSamples(county, catalogue, 2021, all.filter((u) => u !== 'justice_bureau')),
      rejected: [],
      generatedAt: new Date(generatedAt),
    });
  };
  const segments = (report: Report) => report.document.flatMap(segmentsOf);

  it('marks the 28 mediators as partial, naming the townships that are not counted', async () => {
    const report = await onlyJustice('2022-01-12T01:00:00Z');
    const mediators = report.figures.find((f) => f.indicatorId === 'mediators_total')!;
    expect(mediators.value).toBe(28);
    expect(mediators.partial!.missingUnits).toEqual(expect.arrayContaining(['lingshou_town', 'beiwa_township']));
    expect(segments(report).filter((s) => s.figure === 'mediators_total')).toEqual([{ text: '28', figure: 'mediators_total', partial: 'mediators_total' }]);
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'PARTIAL_FIGURE', indicatorId: 'mediators_total' }));
  });

  it('marks every bound claim the data do not prove, says why, and warns (issue 21)', async () => {
    const report = await onlyJustice('2022-01-12T01:00:00Z');
    const unproven = report.claims!.filter((c) => !c.holds);
    expect(unproven.map((c) => normalizePunctuation(c.text))).toEqual(
      [
        '实现县、乡两级政府及行政执法部门法律顾问全覆盖',
        '均已聘用了法律顾问',
        '实现了“一窗申请,立等可取”',
        '实现县乡“三项制度”全覆盖',
        '今年已全部完成执法证件发放工作',
        '实现了各乡（镇）至少配备2名专职调解员',
        '均在规定时限内给予了申请人答复',
      ].map(normalizePunctuation),
    );
    // Each is marked in the text as a whole, and its reason names the check or the units.
    for (const claim of unproven) expect(segments(report).filter((s) => s.claim === claim.id).map((s) => s.text).join('')).toBe(claim.text);
    const reason = (start: string) => unproven.find((c) => c.text.startsWith(start))!.reason;
    expect(reason('实现了各乡')).toContain('无法核对“每个乡（镇）应至少配备2名专职人民调解员”');
    expect(reason('实现了各乡')).toContain('灵寿县灵寿镇人民政府');
    expect(reason('均已聘用')).toContain('未报送或被退回');
    expect(reason('均在规定时限')).toContain('无数据');
    expect(report.warnings.filter((w) => w.code === 'CLAIM_NOT_PROVEN')).toHaveLength(unproven.length);
    // A check that cannot be evaluated for want of data is a warning too, not silence.
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'CROSS_CHECK_NOT_EVALUATED', message: expect.stringContaining('每个乡（镇）应至少配备2名专职人民调解员') }));
    // The county office's yes/no facts, not yet sent, prove nothing either.
    expect(reason('实现县乡')).toBe('“县乡两级行政执法“三项制度”全覆盖”无数据');
    expect(report.claims!.filter((c) => c.holds)).toEqual([]);
    // Every partial figure the text prints is a warning, once.
    const printedPartial = new Set(segments(report).filter((s) => s.figure && s.partial).map((s) => s.figure));
    expect(new Set(report.warnings.filter((w) => w.code === 'PARTIAL_FIGURE').map((w) => w.indicatorId))).toEqual(printedPartial);
  });

  it('prints every bound claim as written on complete data, with no mark and no warning', async () => {
    const report = await build();
    expect(report.claims).toHaveLength(7);
    expect(report.claims!.every((c) => c.holds)).toBe(true);
    expect(segments(report).filter((s) => s.claim !== undefined)).toEqual([]);
    expect(report.warnings.map((w) => w.code)).not.toEqual(expect.arrayContaining(['CLAIM_NOT_PROVEN']));
    expect(report.warnings.map((w) => w.code)).not.toEqual(expect.arrayContaining(['CROSS_CHECK_NOT_EVALUATED']));
    // Every figure is followed by its own unit: 报送情况.docx and the report name it alike.
    expect(report.figures.filter((f) => f.printedUnit !== undefined)).toEqual([]);
  });

  it('says on its first page, after the deadline, that units are missing', async () => {
    const report = await onlyJustice('2022-01-12T01:00:00Z');
    expect(report.document[0]).toEqual({ kind: 'notice', text: expect.stringContaining('报送已于2022年1月10日截止，截至2022年1月12日 09:00仍有38个单位未报送或材料被退回') });
  });

  it('carries no such notice before the deadline, and none in the complete report', async () => {
    expect((await onlyJustice('2022-01-09T01:00:00Z')).document.map((b) => b.kind)).not.toContain('notice');
    expect((await build()).document.map((b) => b.kind)).not.toContain('notice');
    expect((await build()).figures.filter((f) => f.partial)).toEqual([]);
  });
});

describe('Lingshou 2022, a year without a template of its own', () => {
  it('says on its first page that it reuses another year’s prose; 2021, which has one, does not', async () => {
    const report = buildReport({ county, year: 2022, submissions: [], rejected: [], generatedAt: new Date('2022-12-20T01:00:00Z') });
    expect(report.document[0]).toEqual({ kind: 'notice', text: expect.stringContaining('灵寿县没有2022年度自己的报告模板（template.2022.json），本稿沿用了通用模板的文字') });
    expect((await build()).document.filter((b) => b.kind === 'notice')).toEqual([]);
  });
});

describe('Lingshou 2021 locked before the deadline with units missing', () => {
  it('says on its first page when the year was locked, in local time', async () => {
    const report = buildReport({ county,
      year: 2021,
      submissions: await loadSamples(county, catalogue, 2021, ['beiwa_township']),
      rejected: [],
      generatedAt: new Date('2022-01-08T02:00:00Z'),
      lock: { lockedAt: '2022-01-08T01:30:00.000Z' },
    });
    expect(report.document[0]).toEqual({ kind: 'notice', text: expect.stringContaining('报送已于2022年1月8日 09:30锁定，截至2022年1月8日 10:00仍有1个单位未报送或材料被退回（灵寿县北洼乡人民政府）') });
  });
});
