import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { countyDirInRepo, loadCounty } from '../../../shared/core/county/load';
import { draftNextYear } from '../../../shared/core/template/next-year';
import { exportTemplateDocx, importTemplateDocx } from '../../../shared/core/template/template-doc';
import { runCli } from '../../cli-runner';

/** Next year's template drafted from this year's (issue 12). */
const county = loadCounty(countyDirInRepo('lingshou'));
const catalogue = county.catalogue;

describe('draftNextYear', () => {
  it('turns this year into a placeholder, keeps dated titles as they are and lists them, leaves number and date open', () => {
    const template = {
      ...county.template(2021),
      preamble: '2021年以来，认真贯彻落实党的十九大和十九届六中全会精神，印发了《2021年工作要点》和《规划（2021-2025年）》，2020年的问题已整改。',
    };
    const { template: next, review } = draftNextYear(template, 2021, 2022);
    expect(next.preamble).toBe('{{year}}年以来，认真贯彻落实党的十九大和十九届六中全会精神，印发了《2021年工作要点》和《规划（2021-2025年）》，2020年的问题已整改。');
    expect(next.docSequence).toBeUndefined();
    expect(next.date).toBeUndefined();
    expect(review.map((r) => [r.field, r.phrase])).toEqual([
      ['preamble', '《2021年工作要点》'],
      ['preamble', '《规划（2021-2025年）》'],
      ['preamble', '{{year}}年以来'],
      ['preamble', '2020'],
      ['preamble', '党的十九大'],
      ['preamble', '十九届六中全会'],
      ...review.filter((r) => r.field !== 'preamble').map((r) => [r.field, r.phrase]),
    ]);
    expect(review.filter((r) => r.field === 'docSequence' || r.field === 'date').map((r) => r.why)).toEqual([
      '发文序号（6号）留待办公室编号，草稿中不印发文字号',
      '成文日期（2022年1月14日）留待确定，未定前草稿印【成文日期】',
    ]);
  });

  it('lists the Lingshou 2021 prose tied to its year: the 2021 work plan, the sixth plenum', () => {
    const phrases = draftNextYear(county.template(2021), 2021, 2022).review.map((r) => r.phrase);
    expect(phrases).toEqual(expect.arrayContaining(['《2021年灵寿县法治政府建设工作要点》', '六中全会']));
  });

  it('flags the words true of one year only: 今年已全部完成, 在去年, 8月底, 截至9月底, 新修订的', () => {
    const review = draftNextYear(county.template(2021), 2021, 2022).review;
    const phrases = review.map((r) => r.phrase);
    expect(phrases).toEqual(expect.arrayContaining(['今年', '已全部完成', '去年', '8月底', '截至9月底', '新修订的']));
    expect(review.find((r) => r.phrase === '截至9月底')!.why).toMatch(/新的一年是否仍然成立/);
  });

  it('ends the Word version as the report ends: the issuer and the date, 【成文日期】 while it is open', async () => {
    const paragraphsOf = async (bytes: Uint8Array) => {
      const xml = await (await (await import('jszip')).default.loadAsync(bytes)).file('word/document.xml')!.async('string');
      return [...xml.matchAll(/<w:p\b[^>]*>([\s\S]*?)<\/w:p>/g)].map((m) => [...m[1]!.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')).filter(Boolean);
    };
    const draft = draftNextYear(county.template(2021), 2021, 2022);
    // Then the 附注 (此件公开发布), as in the report.
    expect((await paragraphsOf(await exportTemplateDocx(draft.template, catalogue))).slice(-4)).toEqual(['特此报告。', '【发文机关】', '【成文日期】', '（此件公开发布）']);
    const dated = (await paragraphsOf(await exportTemplateDocx(county.template(2021), catalogue))).slice(-4);
    expect(dated).toEqual(['特此报告。', '【发文机关】', '2022年1月14日', '（此件公开发布）']);
    // The issuer comes from the county's config and an open date stays open: importing changes neither.
    expect(await importTemplateDocx(await exportTemplateDocx(draft.template, catalogue), draft.template, catalogue)).toEqual(draft.template);
  });

  it('exports with the phrases to review highlighted, and the highlighted document imports back to the same draft', async () => {
    const draft = draftNextYear(county.template(2021), 2021, 2022);
    const bytes = await exportTemplateDocx(draft.template, catalogue, draft.review.map((r) => r.phrase));
    const xml = await (await (await import('jszip')).default.loadAsync(bytes)).file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:highlight w:val="cyan"\/>[\s\S]{0,200}《2021年灵寿县法治政府建设工作要点》/);
    expect(await importTemplateDocx(bytes, draft.template, catalogue)).toEqual(draft.template);
  });
});

describe('yearly-report template next', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(`${tmpdir()}/template-next-`)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes next year’s override with what differs from template.json and prints the review list', async () => {
    const run = await runCli(['template', 'next', '--county', 'lingshou', '--from', '2021', '--to', '2022', '--out', `${dir}/t.json`]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const written = JSON.parse(readFileSync(`${dir}/t.json`, 'utf8'));
    expect(written.docSequence).toBeUndefined();
    expect(written.date).toBeUndefined();
    expect(run.stdout).toContain('灵寿县2022年度模板草稿（由2021年度起草）');
    expect(run.stdout).toContain('《2021年灵寿县法治政府建设工作要点》');
  });

  it('will not overwrite a year that has its own template', async () => {
    const run = await runCli(['template', 'next', '--county', 'lingshou', '--from', '2020', '--to', '2021']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/template\.2021\.json exists already/);
  });
});
