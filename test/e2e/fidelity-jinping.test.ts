import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDemo, type DemoSummary } from '../../cli/demo-run';
import { checkCountyFolder, countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { buildReport, type CurrentSubmission } from '../../shared/core/report/build-report';
import { ReportSchema, type Block, type Report, type Segment } from '../../shared/core/report/schema';
import { parseSubmissionFile } from '../../shared/core/submission/parse';
import { readSampleFiles } from '../../shared/local/sample-data';
import { blockText, headings, normalizePunctuation } from './fidelity-helpers';

/**
 * Issue 11, item 8: 金平县 (云南), a county nobody designed the model for,
 * onboarded from shared/counties/README.md alone. Its published 2025 report is
 * available only as its opening (salutation to the cut-off in （三）); every
 * figure of that opening must come out of the sample submissions (JSON, CSV and
 * .xlsx, through the local pipeline) as a computed figure segment of
 * report.json, beside the words it stands by. The expected figures are the
 * published ones (/work/newcounty/jinping/figures.md), not read from the data.
 */
const YEAR = 2025;

// [as printed (figure + measure word), a context term within a few characters of it, the indicator that must produce it]
const PUBLISHED_FIGURES: ReadonlyArray<[string, string, string]> = [
  ['1次', '依法治县委员会全体扩大会议', 'rol_committee_plenary_meetings'],
  ['5次', '法治建设专题会议', 'rol_special_meetings'],
  ['236项', '行政许可事项清单', 'admin_license_items_listed'],
  ['4期', '“高效办成一件事”重点事项清单', 'one_thing_list_batches'],
  ['50个', '主题', 'one_thing_themes'],
  ['94.3%', '网上可办率', 'online_service_availability_rate'],
  ['1.3万件', '网上办理', 'online_service_cases'],
  ['13个', '乡（镇）公共法律服务工作站', 'township_pls_stations'],
  ['109个', '村（社区）公共法律服务工作室', 'village_pls_rooms'],
  ['240余人次', '提供法律咨询', 'legal_consultations'],
  ['441件', '办理各类公证', 'notarizations'],
  ['537件', '受理法律援助案件', 'legal_aid_cases_accepted'],
  ['27.4万元', '挽回经济损失', 'economic_losses_recovered'],
  ['103项', '“一证即办”便民措施', 'one_cert_measures'],
  ['5万件', '“一证即办”', 'one_cert_cases'],
  ['225项', '“免办证”事项', 'cert_free_items'],
  ['9万件', '全流程一体化服务办理', 'cert_free_cases'],
  ['25票', '专题审议', 'npc_review_votes_satisfied'],
  ['3票', '基本满意', 'npc_review_votes_basically_satisfied'],
  ['119件', '县人大代表建议', 'deputy_suggestions'],
  ['105件', '县政协委员提案', 'cppcc_proposals'],
  ['100%', '办复率均为', 'deputy_suggestions_reply_rate'],
  ['99%', '满意率', 'suggestions_proposals_satisfaction_rate'],
  ['11件', '行政检察建议', 'admin_procuratorial_suggestions'],
];

// The headings of the published opening, in order; each （n） is a run-in heading.
const PUBLISHED_HEADINGS = ['一、主要做法和成效', '（一）加强法治政府建设工作领导。', '（二）优化政府职能体系建设。', '（三）加强政府权力制约和监督。'];

/**
 * Numerals the prose may carry that are not statistics. Anything else that
 * looks like a number in a plain segment would be a figure nobody computed.
 */
const NOT_STATISTICS: ReadonlyArray<[string, string]> = [
  [`${YEAR}年`, 'the report year'],
  ['二十大', 'the 20th Party congress'],
  ['二十届', 'its central committee'],
  ['23条措施', 'part of a provincial document’s title'],
  ['一、', 'heading ordinal'],
  ['（一）', 'heading ordinal'],
  ['（二）', 'heading ordinal'],
  ['（三）', 'heading ordinal'],
  ['第一责任人', 'a fixed term'],
  ['一件事', 'the name of a national programme (高效办成一件事)'],
  ['一证即办', 'the name of a service'],
  ['一次办', 'a service slogan'],
  ['一体化', 'a word'],
  ['万元', 'the measure word after a figure'],
];
const NUMERAL = /[0-9０-９〇零一二两三四五六七八九十百千万亿]/;

const segmentsOf = (block: Block): Segment[] => (block.kind === 'paragraph' ? block.segments : block.kind === 'heading2' ? block.body : []);

/** Every figure segment with the text around it (within `reach` characters), block by block. */
function figureSegments(report: Report, reach = 24) {
  return report.document.flatMap((block) => {
    const segments = segmentsOf(block);
    const texts = segments.map((s) => s.text);
    return segments.flatMap((seg, i) =>
      seg.figure === undefined ? [] : [{ seg, before: texts.slice(0, i).join('').slice(-reach), after: texts.slice(i + 1).join('').slice(0, reach) }],
    );
  });
}

describe('金平县 county folder', () => {
  it('passes `county check`: no error, and only the warnings about national roles no unit of the opening needs', () => {
    const { county, problems } = checkCountyFolder(countyDirInRepo('jinping'));
    expect(county).toBeDefined();
    expect(problems.errors).toEqual([]);
    // The opening names no market regulator or education bureau; the national catalogue's items for them are simply not asked.
    expect(problems.list.map((p) => `${p.path}: ${p.message.split('，')[0]}`)).toEqual([
      'units: 没有单位承担角色"market_regulator"',
      'units: 没有单位承担角色"education_bureau"',
    ]);
  });
});

describe('金平县 2025 through the local pipeline (JSON, CSV and .xlsx samples)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-jinping-'));
  const outFile = (name: string) => path.join(work, 'out', 'jinping', String(YEAR), name);
  let summary: DemoSummary;
  let report: Report;

  beforeAll(async () => {
    summary = await runDemo({ countyId: 'jinping', year: YEAR, outRoot: path.join(work, 'out'), stateDir: path.join(work, 'state') });
    report = ReportSchema.parse(JSON.parse(readFileSync(outFile('report.json'), 'utf8')));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('accepts every sample, in all three formats, and finds no unit missing and nothing to warn about', () => {
    expect(summary.rejected).toEqual([]);
    expect(summary.accepted).toHaveLength(19);
    const formats = new Set(report.completeness.units.map((u) => path.extname(u.s3Key ?? '')));
    expect([...formats].sort()).toEqual(['.csv', '.json', '.xlsx']);
    expect(report.completeness).toMatchObject({ expected: 16, accepted: 16, missing: 0, late: 0 });
    // The one warning: the stored opening has no date line, so the office has not set 成文日期 (printed 【成文日期】).
    expect(report.warnings.map((w) => w.code)).toEqual(['DATE_NOT_SET']);
    expect(report.document.find((b) => b.kind === 'date')).toEqual({ kind: 'date', text: '【成文日期】', placeholder: true });
  });

  it.each(PUBLISHED_FIGURES)('states %s beside “%s”, computed from %s', (printed, context, indicatorId) => {
    const found = figureSegments(report).filter(({ seg }) => seg.figure === indicatorId);
    expect(found).toHaveLength(1);
    const { seg, before, after } = found[0]!;
    expect(seg.missing).toBeUndefined();
    // The figure segment carries the number (with 万 or 余 when printed so); the prose only the measure word after it.
    expect(`${seg.text}${after}`.startsWith(printed)).toBe(true);
    expect(printed.slice(seg.text.length)).not.toMatch(/\d/);
    expect(normalizePunctuation(before + seg.text + after)).toContain(normalizePunctuation(context));
    const figure = report.figures.find((f) => f.indicatorId === indicatorId)!;
    expect(figure.display).toBe(seg.text);
    expect(figure.sources.length).toBeGreaterThan(0);
  });

  it('prints no figure the list above does not name', () => {
    expect(figureSegments(report).map(({ seg }) => seg.figure)).toEqual(PUBLISHED_FIGURES.map(([, , id]) => id));
  });

  it('has no number in its prose except the listed non-statistics', () => {
    const prose = report.document.flatMap((block) => {
      if (block.kind === 'table') return [];
      if (block.kind === 'paragraph' || block.kind === 'heading2') {
        const plain = segmentsOf(block).filter((s) => s.figure === undefined).map((s) => s.text);
        return block.kind === 'heading2' ? [block.text, ...plain] : plain;
      }
      // The date line is the 【成文日期】 placeholder: the published text's date is not part of the stored opening.
      // The pipeline's own notices (e.g. that 2025 has no template of its own) are not the report's prose.
      return block.kind === 'date' || block.kind === 'imprint' || block.kind === 'notice' ? [] : [block.text];
    });
    const leftovers = prose
      .map((text) => NOT_STATISTICS.reduce((rest, [allowed]) => rest.split(allowed).join('□'), text))
      .filter((rest) => NUMERAL.test(rest));
    expect(leftovers).toEqual([]);
    // Every allowance is used, so the list cannot quietly grow stale.
    const all = prose.join('\n');
    expect(NOT_STATISTICS.filter(([allowed]) => !all.includes(allowed)).map(([allowed]) => allowed)).toEqual([]);
  });

  it('has the published headings in order', () => {
    expect(headings(report)).toEqual(PUBLISHED_HEADINGS.map(normalizePunctuation));
  });

  it('opens and closes like the document: addressed to the prefecture, signed by the county government', () => {
    const frame = report.document.filter((b) => ['title', 'docNumber', 'addressees', 'closing', 'signature'].includes(b.kind)).map(blockText);
    expect(frame).toEqual(['金平县人民政府关于2025年法治政府建设情况的报告', '中共红河州委、红河州人民政府：', '特此报告。', '金平县人民政府']);
    const preamble = blockText(report.document.find((b) => b.kind === 'paragraph')!);
    expect(preamble).toMatch(/^2025年，县委、县政府.*二十大.*二十届.*报告如下：$/);
  });

  it('keeps 240余 true: the townships’ parts add up to 240 and the approximate ones all say 余', () => {
    const consultations = report.figures.find((f) => f.indicatorId === 'legal_consultations')!;
    expect(consultations.sources).toHaveLength(13);
    expect(consultations.sources.reduce((n, s) => n + s.value, 0)).toBe(240);
    const approximate = consultations.sources.filter((s) => s.approximate);
    expect(approximate.map((s) => s.unitId).sort()).toEqual(['jinhe_town', 'maandi_township', 'mengla_town']);
    expect(approximate.every((s) => s.qualifier === '余')).toBe(true);
    expect(consultations).toMatchObject({ value: 240, approximate: true, qualifier: '余', display: '240余' });
  });

  it('counts the 13 stations as townships that have one, and sums the 109 rooms over them', () => {
    const stations = report.figures.find((f) => f.indicatorId === 'township_pls_stations')!;
    expect(stations.sources.map((s) => s.value)).toEqual(Array(13).fill(1));
    const rooms = report.figures.find((f) => f.indicatorId === 'village_pls_rooms')!;
    expect(rooms.reportingUnits).toHaveLength(13);
    expect(rooms.sources.reduce((n, s) => n + s.value, 0)).toBe(109);
  });

  it('keeps 万 figures exact and traces them to their cell in the .xlsx', () => {
    const online = report.figures.find((f) => f.indicatorId === 'online_service_cases')!;
    expect(online).toMatchObject({ value: 13046, display: '1.3万' });
    expect(online.sources).toEqual([
      expect.objectContaining({ unitId: 'government_service_bureau', s3Key: 'submissions/2025/government_service_bureau/government_service_bureau.xlsx', location: expect.objectContaining({ sheet: '指标' }) }),
    ]);
    expect(report.figures.find((f) => f.indicatorId === 'one_cert_cases')).toMatchObject({ value: 50386, display: '5万' });
    expect(report.figures.find((f) => f.indicatorId === 'cert_free_cases')).toMatchObject({ value: 90412, display: '9万' });
    expect(report.figures.find((f) => f.indicatorId === 'economic_losses_recovered')).toMatchObject({ value: 27.4, unit: '万元' });
  });

  it('computes each 办复率 from its replied and received counts, and says 均为 only because both are 100% (issue 21)', () => {
    const rate = (id: string) => report.figures.find((f) => f.indicatorId === id)!;
    expect(rate('deputy_suggestions_reply_rate').value).toBe(100);
    expect(rate('cppcc_proposals_reply_rate').value).toBe(100);
    expect(rate('deputy_suggestions_reply_rate').sources.map((s) => [s.part, s.partIndicatorId, s.value])).toEqual([
      ['numerator', 'deputy_suggestions_replied', 119],
      ['denominator', 'deputy_suggestions', 119],
    ]);
    expect(rate('cppcc_proposals_reply_rate').sources.map((s) => [s.part, s.partIndicatorId, s.value])).toEqual([
      ['numerator', 'cppcc_proposals_replied', 105],
      ['denominator', 'cppcc_proposals', 105],
    ]);
  });

  it('states both rates when they differ instead of one rate over both kinds', async () => {
    const samples = await samplesWithout([]);
    const office = samples.find((s) => s.unitId === 'government_office')!;
    const replied = office.submission.indicators.map((i) => (i.indicatorId === 'cppcc_proposals_replied' ? { ...i, value: 103 } : i));
    const changed = buildReport({ county: loadCounty(countyDirInRepo('jinping')), year: YEAR, submissions: samples.map((s) => (s === office ? { ...s, submission: { ...s.submission, indicators: replied } } : s)), rejected: [], generatedAt: new Date('2026-01-16T01:00:00Z') });
    const text = changed.document.map((b) => normalizePunctuation(blockText(b))).join('\n');
    expect(text).toContain(normalizePunctuation('县政协委员提案105件，办复率分别为100%、98.1%，代表委员满意率99%'));
  });

  it('takes the procuratorate’s figure from its CSV', () => {
    const suggestions = report.figures.find((f) => f.indicatorId === 'admin_procuratorial_suggestions')!;
    expect(suggestions.sources).toEqual([expect.objectContaining({ unitId: 'procuratorate', value: 11, s3Key: 'submissions/2025/procuratorate/procuratorate.csv' })]);
  });

  it('writes a report.md a reader can check against the published opening', () => {
    const md = readFileSync(outFile('report.md'), 'utf8');
    expect(md).toContain('中共红河州委、红河州人民政府：');
    expect(md).toContain('提供法律咨询240余人次，办理各类公证441件，受理法律援助案件537件，为群众挽回经济损失27.4万元');
    expect(md).toContain('满意25票、基本满意3票');
    expect(md).not.toContain('【待补充');
  });
});

/** The samples of every format, parsed as ingest parses an upload, less the units skipped. */
async function samplesWithout(skip: readonly string[]): Promise<CurrentSubmission[]> {
  const county = loadCounty(countyDirInRepo('jinping'));
  const out: CurrentSubmission[] = [];
  for (const sample of readSampleFiles(county.dir, YEAR)) {
    if (skip.includes(sample.unitId)) continue;
    const outcome = await parseSubmissionFile({ bytes: sample.bytes, fileName: sample.fileName, county, catalogue: county.catalogue, year: YEAR, unitId: sample.unitId });
    if (!outcome.ok) throw new Error(`${sample.fileName} was rejected: ${JSON.stringify(outcome.problems)}`);
    out.push({ unitId: sample.unitId, s3Key: `submissions/${YEAR}/${sample.unitId}/${sample.fileName}`, versionId: `sample-${sample.unitId}`, receivedAt: '2026-01-14T02:00:00.000Z', submission: outcome.submission });
  }
  return out;
}

describe('金平县 2025 with a township and the (optional) procuratorate missing', () => {
  let report: Report;
  beforeAll(async () => {
    const county = loadCounty(countyDirInRepo('jinping'));
    report = buildReport({ county, year: YEAR, submissions: await samplesWithout(['yingpan_township', 'procuratorate']), rejected: [], generatedAt: new Date('2026-01-16T01:00:00Z') });
  });

  it('flags the township, not the optional unit, as missing', () => {
    expect(report.completeness).toMatchObject({ expected: 16, accepted: 15, missing: 1 });
    expect(report.completeness.units.filter((u) => u.status === 'missing').map((u) => u.unitId)).toEqual(['yingpan_township']);
  });

  it('states only what the submitted townships support, still with a true qualifier', () => {
    const text = report.document.map((b) => normalizePunctuation(blockText(b))).join('\n');
    expect(text).toContain(normalizePunctuation('全县12个乡（镇）公共法律服务工作站、101个村（社区）公共法律服务工作室'));
    // 223余 as the genre prints an approximate sum: a round number before 余 (issue 21).
    expect(text).toContain('提供法律咨询220余人次');
  });

  it('marks the procuratorate’s figure 待补充 instead of inventing it', () => {
    const text = report.document.map(blockText).join('\n');
    expect(text).toContain('发出行政检察建议【待补充：检察机关发出行政检察建议件数】件');
    expect(report.warnings.filter((w) => w.code === 'MISSING_FIGURE').map((w) => w.indicatorId)).toEqual(['admin_procuratorial_suggestions']);
  });
});
