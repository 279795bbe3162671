import { buildReport, type BuildReportInput } from '../../../shared/core/report/build-report';
import { combineQualifiers, withQualifier } from '../../../shared/core/report/qualifier';
import { displayFigure } from '../../../shared/core/report/build-figures';
import { chineseNumeral, parseChineseNumeral } from '../../../shared/core/report/chinese-numerals';
import { parseSubmissionFile } from '../../../shared/core/submission/parse';
import { countyOf, smallCatalogue, smallConfig, submission } from './helpers';

/**
 * The kinds of figures real reports state (issue 11, item 3): approximate
 * values keep the qualifier as written, sums stay approximate with a qualifier
 * that is true, entered and computed rates, yes/no facts, figures in 万.
 */
describe('qualifiers', () => {
  it.each<[string, Array<[boolean, string?]>, string | undefined]>([
    ['exact parts stay exact', [[false], [false]], undefined],
    ['one qualifier is kept as written', [[true, '近'], [false]], '近'],
    ['the same qualifier on every part is kept', [[true, '左右'], [true, '左右']], '左右'],
    ['lower bounds add up to 余', [[true, '多'], [true, '以上'], [false]], '余'],
    ['upper bounds add up to 近', [[true, '近'], [true, '不足']], '近'],
    ['bounds pointing both ways are only 约', [[true, '余'], [true, '近']], '约'],
    ['about and a bound is 约', [[true, '约'], [true, '余']], '约'],
    ['a value stored before qualifiers were kept reads as 余', [[true], [false]], '余'],
  ])('%s', (_name, parts, expected) => {
    expect(combineQualifiers(parts.map(([approximate, qualifier]) => ({ approximate, qualifier })))).toBe(expected);
  });

  it('prints prefixes before and suffixes after the number', () => {
    expect(['近', '约', '不足', '超过', '余', '多', '左右', '以上'].map((q) => withQualifier('60', q))).toEqual(['近60', '约60', '不足60', '超过60', '60余', '60多', '60左右', '60以上']);
  });
});

const KINDS = [
  { id: 'lectures', name: '法治讲座场次', unit: '场', topic: 't', submittedBy: [{ kind: 'group', group: 'towns' }], aggregation: { kind: 'sum' }, approximateAllowed: true },
  { id: 'full_cover', name: '三项制度落实', unit: '项', valueType: 'yesno', yesText: '实现了', noText: '尚未实现', topic: 't', submittedBy: [{ kind: 'group', group: 'towns' }], aggregation: { kind: 'all' } },
  { id: 'town_rate', name: '乡镇群众满意率', unit: '%', topic: 't', submittedBy: [{ kind: 'group', group: 'towns' }], aggregation: { kind: 'mean' } },
  { id: 'handled', name: '办件量', unit: '件', printIn: '万', topic: 't', submittedBy: [{ kind: 'role', role: 'office' }], aggregation: { kind: 'sum' } },
  { id: 'cases_total', name: '收案与顾问合计', unit: '件', topic: 't', submittedBy: [{ kind: 'role', role: 'office' }], aggregation: { kind: 'sum_of', parts: ['cases_received', 'advisers'] } },
  { id: 'closed_share', name: '结案占比', unit: '%', decimals: 0, topic: 't', submittedBy: [{ kind: 'role', role: 'office' }], aggregation: { kind: 'ratio', numerator: 'cases_closed', denominator: 'cases_total' } },
  { id: 'meetings', name: '常务会议学法次数', unit: '次', printIn: '汉字', topic: 't', submittedBy: [{ kind: 'group', group: 'towns' }], aggregation: { kind: 'sum' }, approximateAllowed: true },
  { id: 'recovered', name: '挽回经济损失', unit: '万元', valueType: 'amount', topic: 't', submittedBy: [{ kind: 'role', role: 'office' }], aggregation: { kind: 'sum' } },
];

const TEMPLATE = {
  title: '测试县报告',
  preamble: '讲座{{fig:lectures}}场，{{fig:full_cover}}全覆盖，满意率{{fig:town_rate}}%，办件{{fig:handled}}件，挽回{{fig:recovered}}万元，结案率{{fig:closed_rate}}%，学法{{fig:meetings}}次。',
  blocks: [{ kind: 'heading1', text: '一、情况' }],
};

function report(submissions: BuildReportInput['submissions']) {
  const catalogue = smallCatalogue({ indicators: KINDS });
  return buildReport({ county: countyOf(smallConfig(), TEMPLATE, { catalogue }), year: 2021, submissions, rejected: [], generatedAt: new Date('2022-01-12T01:00:00Z') });
}
const figure = (r: ReturnType<typeof report>, id: string) => r.figures.find((f) => f.indicatorId === id)!;
const value = (v: number, qualifier?: string) => ({ value: v, approximate: qualifier !== undefined, ...(qualifier ? { qualifier } : {}) });

describe('figure kinds', () => {
  it('keeps 近 as 近 and sums approximate parts with a true qualifier', () => {
    const near = report([submission('town_a', { indicators: { lectures: value(60, '近') } })]);
    expect(figure(near, 'lectures').display).toBe('近60');
    const mixed = report([submission('town_a', { indicators: { lectures: value(20, '余') } }), submission('town_b', { indicators: { lectures: 15 } })]);
    expect(figure(mixed, 'lectures')).toMatchObject({ value: 35, display: '30余', qualifier: '余' });
    const opposite = report([submission('town_a', { indicators: { lectures: value(20, '余') } }), submission('town_b', { indicators: { lectures: value(15, '近') } })]);
    expect(figure(opposite, 'lectures').display).toBe('约35');
  });

  // Issue 21: an approximate sum reads as this genre writes one (余 after a round number), and a 万 figure never overstates.
  it.each([
    // [parts as the clerks wrote them, printed]
    [[value(200, '余'), value(459)], '650余'],
    [[value(20, '余'), value(3)], '20余'],
    [[value(60, '余'), value(5)], '60余'],
    [[value(1000, '余'), value(20)], '1000余'],
    [[value(1200, '余'), value(34)], '1200余'],
    [[value(3, '余'), value(4)], '7余'],
    [[value(240, '余'), value(0)], '240余'],
    [[value(58, '近'), value(3)], '近70'],
    [[value(640, '近'), value(11)], '近660'],
    [[value(20, '余'), value(15, '近')], '约35'],
  ] as const)('prints the approximate sum of %j as %s', (parts, printed) => {
    const r = report(parts.map((v, i) => submission(i === 0 ? 'town_a' : 'town_b', { indicators: { lectures: v } })));
    expect(figure(r, 'lectures').display).toBe(printed);
    expect(figure(r, 'lectures').value).toBe(parts.reduce((t, p) => t + p.value, 0));
  });

  it('keeps one clerk’s own approximate figure as written: only a sum is rounded', () => {
    const r = report([submission('town_a', { indicators: { lectures: value(659, '余') } })]);
    expect(figure(r, 'lectures').display).toBe('659余');
  });

  it.each([
    // [exact value, qualifier, printed]: rounding down needs no word (as the published reports print it), rounding up does
    [13046, undefined, '1.3万'],
    [50386, undefined, '5万'],
    [90412, undefined, '9万'],
    [89600, undefined, '近9万'],
    [12960, undefined, '近1.3万'],
    [130000, undefined, '13万'],
    [89600, '余', '约9万'],
    [90412, '余', '9万余'],
    [89600, '近', '近9万'],
    [90412, '近', '约9万'],
  ] as const)('prints %d%s in 万 as %s', (exact, qualifier, printed) => {
    expect(displayFigure({ unit: '件', printIn: '万', aggregation: { kind: 'sum' } }, exact, qualifier)).toBe(printed);
  });

  it('states a yes/no fact as yes only when every expected unit says yes', () => {
    const both = report([submission('town_a', { indicators: { full_cover: 1 } }), submission('town_b', { indicators: { full_cover: 1 } })]);
    expect(figure(both, 'full_cover')).toMatchObject({ value: 1, display: '实现了' });
    const one = report([submission('town_a', { indicators: { full_cover: 1 } })]);
    expect(figure(one, 'full_cover')).toMatchObject({ value: 0, display: '尚未实现' });
  });

  it('averages an entered rate across units, prints 万 and amounts with decimals', () => {
    const r = report([
      submission('town_a', { indicators: { town_rate: 98 } }),
      submission('town_b', { indicators: { town_rate: 95 } }),
      submission('office', { indicators: { handled: 13_000, recovered: 27.4 } }),
    ]);
    expect(figure(r, 'town_rate')).toMatchObject({ value: 96.5, display: '96.5' });
    expect(figure(r, 'handled')).toMatchObject({ value: 13_000, display: '1.3万' });
    expect(figure(r, 'recovered')).toMatchObject({ value: 27.4, display: '27.4' });
  });

  it('keeps both parts of a computed rate in its provenance', () => {
    const r = report([submission('office', { ledgers: { cases: [{ case_no: 'A1', status: '已结案' }, { case_no: 'A2', status: '审理中' }] } })]);
    const rate = figure(r, 'closed_rate');
    expect(rate).toMatchObject({ value: 50, display: '50' });
    expect(rate.sources.map((s) => [s.part, s.partIndicatorId, s.value])).toEqual([
      ['numerator', 'cases_closed', 1],
      ['denominator', 'cases_received', 2],
    ]);
  });
});

describe('county-level sums and printed precision', () => {
  it('sums other figures without anyone typing the total, and a rate over it prints with the declared decimals', () => {
    const r = report([
      submission('office', { indicators: { advisers: 1 }, ledgers: { cases: [{ case_no: 'A1', status: '已结案' }, { case_no: 'A2', status: '审理中' }] } }),
      submission('town_a', { indicators: { advisers: value(3, '余') } }),
    ]);
    expect(figure(r, 'cases_total')).toMatchObject({ value: 6, display: '6余' });
    expect(figure(r, 'cases_total').sources.map((s) => s.partIndicatorId)).toEqual(['cases_received', 'advisers', 'advisers']);
    // 1 / 6 = 16.67%: printed as 17 with decimals 0; the part that is approximate makes the rate 约.
    expect(figure(r, 'closed_share')).toMatchObject({ value: 16.67, display: '约17' });
  });

  it('leaves a total empty while one of its parts has no data, rather than understating it', () => {
    const r = report([submission('office', { ledgers: { cases: [{ case_no: 'A1', status: '已结案' }] } })]);
    expect(figure(r, 'cases_total').value).toBeNull();
  });
});

describe('0, 未发生 and 暂无数据 are different answers', () => {
  const catalogue = smallCatalogue({ indicators: KINDS });
  const county = countyOf(smallConfig(), TEMPLATE, { catalogue });
  const parse = (indicators: Record<string, unknown>) =>
    parseSubmissionFile({
      bytes: Buffer.from(JSON.stringify({ $schema: 'yearly-report/submission-file@1', county: 'testcounty', year: 2021, unit: 'town_a', indicators })),
      fileName: 'town_a.json',
      county,
      catalogue,
      year: 2021,
      unitId: 'town_a',
    });

  it('reads 未发生 as a true zero and 暂无数据 as no figure, with a warning', async () => {
    const out = await parse({ lectures: '未发生', fulltime_mediators: '暂无数据', full_cover: '是' });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.submission.indicators.find((i) => i.indicatorId === 'lectures')).toMatchObject({ value: 0, raw: '未发生' });
    expect(out.submission.indicators.find((i) => i.indicatorId === 'fulltime_mediators')).toBeUndefined();
    expect(out.submission.noData).toEqual([expect.objectContaining({ indicatorId: 'fulltime_mediators' })]);
    expect(out.submission.warnings.map((w) => w.code)).toContain('INDICATOR_NO_DATA');
    expect(out.submission.indicators.find((i) => i.indicatorId === 'full_cover')).toMatchObject({ value: 1 });
  });

  it('refuses a yes/no answer that is neither, and a percentage over 100', async () => {
    const out = await parse({ full_cover: '也许', town_rate: '120%' });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.problems.map((p) => p.code).sort()).toEqual(['BAD_BOOLEAN', 'PERCENT_OUT_OF_RANGE']);
  });

  it('tells the report which unit had no data', () => {
    const sub = submission('town_a', { indicators: { lectures: 3 } });
    sub.submission.noData = [{ indicatorId: 'fulltime_mediators', source: { path: 'indicators.fulltime_mediators' } }];
    const r = buildReport({ county, year: 2021, submissions: [sub], rejected: [], generatedAt: new Date('2022-01-12T01:00:00Z') });
    expect(figure(r, 'fulltime_mediators').noDataUnits).toEqual(['town_a']);
    expect(r.warnings.map((w) => w.code)).toContain('NO_DATA_DECLARED');
  });
});

// Issue 23: official texts print small counts in Chinese numerals; such a figure is still computed, the value exact.
describe('figures printed in Chinese numerals', () => {
  it.each<[number, string, boolean?]>([
    [0, '零'],
    [1, '一'],
    [2, '两'], // 两次, 两轮: 2 alone before a measure word
    [3, '三'],
    [10, '十'],
    [11, '十一'],
    [12, '十二'], // 二 inside a compound
    [20, '二十'],
    [22, '二十二'],
    [99, '九十九'],
    [100, '一百'],
    [105, '一百零五'],
    [110, '一百一十'],
    [200, '二百'],
    [1000, '一千'],
    [1050, '一千零五十'],
    [1200, '一千二百'],
    [2005, '二千零五'],
    [10_000, '一万'],
    [12_000, '一万二千'],
    [100_000, '十万'],
    [100_500, '十万零五百'],
    [1_000_001, '一百万零一'],
    [100, '百', true], // 百余人: a round number beside a qualifier drops its 一
    [1000, '千', true], // 近千人
    [10_000, '万', true],
    [12, '十二', true],
    [1200, '一千二百', true],
  ])('prints %d as %s', (value, printed, qualified = false) => {
    expect(chineseNumeral(value, { qualified })).toBe(printed);
    expect(parseChineseNumeral(printed, { qualified })).toBe(value);
  });

  it('has no numeral form for fractions, negatives or values beyond 亿', () => {
    expect([2.5, -1, 100_000_000].map((v) => chineseNumeral(v))).toEqual([undefined, undefined, undefined]);
  });

  it('reads back only what it prints: other spellings are not its numerals', () => {
    expect(['二', '一十二', '两十', '两百', '三四', '一百余', '百', '十二次', ''].map((t) => parseChineseNumeral(t))).toEqual(Array(9).fill(undefined));
  });

  it('prints the figure in numerals with its qualifier, and digits where no numeral form exists', () => {
    const def = { unit: '次', printIn: '汉字', aggregation: { kind: 'sum' } } as const;
    expect([displayFigure(def, 3), displayFigure(def, 2), displayFigure(def, 12), displayFigure(def, 1000, '近'), displayFigure(def, 100, '余'), displayFigure(def, 10, '余')]).toEqual([
      '三',
      '两',
      '十二',
      '近千',
      '百余',
      '十余',
    ]);
    expect(displayFigure(def, 2.5)).toBe('2.5');
  });

  it('keeps the number in report.json and the figure a computed segment of the text', () => {
    const r = report([submission('town_a', { indicators: { meetings: 2 } }), submission('town_b', { indicators: { meetings: 1 } })]);
    expect(figure(r, 'meetings')).toMatchObject({ value: 3, display: '三' });
    const segments = r.document.flatMap((b) => ('segments' in b ? b.segments : []));
    const preamble = segments.map((s) => s.text).join('');
    expect(preamble).toContain('学法三次。');
    expect(segments.find((s) => s.figure === 'meetings')).toMatchObject({ text: '三', figure: 'meetings' });
  });

  it('is for whole counts only: a rate in numerals is a config error', () => {
    const rate = { id: 'rate', name: '满意率', unit: '%', printIn: '汉字', topic: 't', submittedBy: [{ kind: 'role', role: 'office' }], aggregation: { kind: 'max' } };
    expect(() => smallCatalogue({ indicators: [rate] })).toThrow(/printIn.*汉字.*percent/s);
    expect(() => smallCatalogue({ indicators: [{ ...rate, unit: '次', aggregation: { kind: 'sum' } }] })).not.toThrow();
  });
});
