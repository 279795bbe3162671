import JSZip from 'jszip';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runCli } from '../../cli-runner';
import { countyDirInRepo, loadCounty, REPO_COUNTIES_DIR } from '../../../shared/core/county/load';
import { exportTemplateDocx, importTemplateDocx, TemplateDocError } from '../../../shared/core/template/template-doc';

/** The template as a Word document the office edits, and back (issue 12). */
// Lingshou's catalogue: the national one plus its own indicators.
const catalogue = loadCounty(countyDirInRepo('lingshou')).catalogue;
const counties = readdirSync(REPO_COUNTIES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const yearsOf = (id: string) => [undefined, ...readdirSync(countyDirInRepo(id)).flatMap((f) => /^template\.(\d{4})\.json$/.exec(f)?.[1] ?? []).map(Number)];

/** Edit the exported document's XML as Word would save it. */
async function edited(bytes: Uint8Array, edit: (xml: string) => string): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  zip.file('word/document.xml', edit(await zip.file('word/document.xml')!.async('string')));
  return new Uint8Array(await zip.generateAsync({ type: 'uint8array' }));
}

const problemsOf = async (run: () => Promise<unknown>): Promise<readonly string[]> => {
  try {
    await run();
  } catch (err) {
    if (err instanceof TemplateDocError) return err.problems;
    throw err;
  }
  throw new Error('import succeeded');
};

describe('template-doc export then import', () => {
  expect(counties.length).toBeGreaterThanOrEqual(2);
  const cases = counties.flatMap((id) => yearsOf(id).map((year) => [id, year ?? 'base'] as const));

  it.each(cases)('gives back the same template for %s (%s)', async (id, year) => {
    const county = loadCounty(countyDirInRepo(id));
    const template = year === 'base' ? county.template(0) : county.template(year);
    const back = await importTemplateDocx(await exportTemplateDocx(template, county.catalogue), template, county.catalogue);
    expect(back).toEqual(template);
  });
});

describe('template-doc import names every problem', () => {
  const county = loadCounty(countyDirInRepo('lingshou'));
  const template = county.template(2021);
  let bytes: Uint8Array;
  beforeAll(async () => {
    bytes = await exportTemplateDocx(template, catalogue);
  });

  it('shows figures and variables as words in highlighted brackets', async () => {
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
    expect(xml).toContain('【指标：人民调解员总数】');
    expect(xml).toContain('【年度】');
    // A bound claim reads as the rule or figure that must prove it (issue 21).
    expect(xml).toContain('【须有数据证实：每个乡（镇）应至少配备2名专职人民调解员】');
    expect(xml).toContain('【证实到此】');
    expect(xml).not.toContain('{{');
    expect(xml).toMatch(/<w:rStyle w:val="TplPlaceholder"\/><w:highlight w:val="yellow"\/>[\s\S]*?【指标：/);
  });

  it('takes an edited sentence back', async () => {
    const changed = await edited(bytes, (xml) => xml.replace('法治政府建设取得了新成效', '法治政府建设取得了显著成效'));
    const back = await importTemplateDocx(changed, template, catalogue);
    expect(back.preamble).toContain('法治政府建设取得了显著成效');
    expect({ ...back, preamble: template.preamble }).toEqual(template);
  });

  it('names an unknown placeholder, a paragraph in no template style, and a deleted placeholder a cross-check reads', async () => {
    const broken = await edited(bytes, (xml) =>
      xml
        .replace('【指标：人民调解员总数】', '【指标：调解员人数】')
        .replace('<w:pStyle w:val="TplClosing"/>', '<w:pStyle w:val="Normal"/>'),
    );
    const problems = await problemsOf(() => importTemplateDocx(broken, template, catalogue));
    expect(problems).toEqual([
      expect.stringMatching(/^第\d+段“[^”]*”：未知的占位符【指标：调解员人数】，指标目录中没有名为“调解员人数”的指标/),
      expect.stringMatching(/^第\d+段“特此报告。”：样式不是模板样式/),
      // The renamed placeholder no longer prints the figure two cross-checks compare.
      '删除了占位符【指标：人民调解员总数】，但核对规则“村级人民调解员数不应超过人民调解员总数”、“专职人民调解员数不应超过人民调解员总数”用到这个数字；请保留它，或与系统管理员商量',
    ]);
  });

  it('names a heading structure the template cannot hold', async () => {
    const broken = await edited(bytes, (xml) => xml.replace(/<w:pStyle w:val="TplTitle"\/>/, '<w:pStyle w:val="TplPreamble"/>'));
    const problems = await problemsOf(() => importTemplateDocx(broken, template, catalogue));
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/“模板·开头”只能有一段/), '缺少“模板·标题”段落']));
  });

  it('says plainly when the file is not a Word document', async () => {
    expect(await problemsOf(() => importTemplateDocx(new TextEncoder().encode('not a zip'), template, catalogue))).toEqual([
      '文件不是Word文档（.docx），或已损坏：请用Word或WPS另存为.docx后再导入',
    ]);
  });
});

describe('yearly-report template-doc', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(`${tmpdir()}/template-doc-`)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports a year’s template and imports it back as that year’s override, only the fields that differ', async () => {
    const exported = await runCli(['template-doc', 'export', '--county', 'lingshou', '--year', '2021', '--out', `${dir}/t.docx`]);
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    const imported = await runCli(['template-doc', 'import', `${dir}/t.docx`, '--county', 'lingshou', '--year', '2021', '--out', `${dir}/t.json`]);
    expect([imported.code, imported.stderr]).toEqual([0, '']);
    const override = JSON.parse(readFileSync(`${dir}/t.json`, 'utf8'));
    expect(override).toEqual(JSON.parse(readFileSync(`${countyDirInRepo('lingshou')}/template.2021.json`, 'utf8')));
  });

  it('fails with every problem listed in Chinese', async () => {
    const county = loadCounty(countyDirInRepo('lingshou'));
    const bytes = await edited(await exportTemplateDocx(county.template(2021), catalogue), (xml) => xml.replace('>【年度】<', '>【财年】<'));
    writeFileSync(`${dir}/bad.docx`, bytes);
    const run = await runCli(['template-doc', 'import', `${dir}/bad.docx`, '--county', 'lingshou', '--year', '2021', '--out', `${dir}/bad.json`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/模板文档有1处问题：\n1．第\d+段“[^”]*”：未知的占位符【财年】/);
    expect(existsSync(`${dir}/bad.json`)).toBe(false);
  });
});
