import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { runCli } from '../../cli-runner';
import { FIXTURE_DIR } from '../../fixtures/submissions/make-fixtures';

/** The commands run in-process through the real commander program, output captured. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await runCli(args);
  return { code, out: stdout, err: stderr };
}

describe('yearly-report template and validate', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yr-cli-'));

  it('writes a template for a unit named by alias, which validate then reads back', async () => {
    const file = path.join(dir, 'edu.xlsx');
    const made = await run(['template', '--county', 'lingshou', '--year', '2021', '--unit', '县教育局', '--out', file]);
    expect(made).toMatchObject({ code: 0 });
    expect(made.out).toContain('灵寿县教育局');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.getWorksheet('封面')!.getCell('B4').value).toBe('灵寿县教育局');
    // Fill one cell of the narrative sheet, then validate without --unit: the cover names the unit.
    wb.getWorksheet('工作情况')!.getCell('B2').value = '开展法治教育进校园活动。';
    await wb.xlsx.writeFile(file);
    const checked = await run(['validate', file, '--county', 'lingshou', '--year', '2021']);
    expect(checked.code).toBe(0);
    expect(checked.out).toMatch(/^通过：edu\.xlsx（灵寿县教育局，2021年度）/);
  });

  it('exits 1 and prints every problem in Chinese with its location, without a stack trace', async () => {
    const file = path.join(dir, 'ragged.csv');
    writeFileSync(file, readFileSync(path.join(FIXTURE_DIR, 'ragged-rows.csv')));
    const result = await run(['validate', file, '--county', 'lingshou', '--year', '2021', '--unit', 'justice_bureau']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('未通过：ragged.csv');
    expect(result.out).toContain('错误 1. 第3行：CSV行的列数与表头不一致');
    expect(result.out).toContain('错误 2. 第4行');
    expect(result.out + result.err).not.toMatch(/\bat .+\.ts:\d+/);
  });

  it('lists errors first, each kind numbered on its own', async () => {
    const file = path.join(dir, '司法局.xlsx');
    expect((await run(['template', '--county', 'lingshou', '--year', '2021', '--unit', '县司法局', '--out', file])).code).toBe(0);
    const result = await run(['validate', file, '--county', 'lingshou', '--year', '2021']);
    expect(result.code).toBe(1);
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^未通过：司法局\.xlsx（灵寿县司法局，2021年度）— 1处错误、\d+处提醒/);
    expect(lines[1]).toMatch(/^ {2}错误 1\. 文件中没有任何填报内容/);
    expect(lines[2]).toMatch(/^ {2}提醒 1\. /);
    expect(lines.filter((l) => l.startsWith('  错误'))).toHaveLength(1);
  });

  it('exits 1 for a hostile file even without --unit', async () => {
    const file = path.join(dir, 'random.xlsx');
    writeFileSync(file, Buffer.from('这不是Excel文件'));
    const result = await run(['validate', file, '--county', 'lingshou', '--year', '2021']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('XLSX_NOT_A_ZIP');
  });

  it('accepts the committed JSON fixture', async () => {
    const result = await run(['validate', path.join(FIXTURE_DIR, 'good.json'), '--county', 'lingshou', '--year', '2021']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('台账2本共2行');
  });

  it.each([
    [['validate', 'no-such-file.xlsx', '--county', 'lingshou', '--year', '2021', '--unit', 'justice_bureau'], 'no such file'],
    [['validate', path.join(FIXTURE_DIR, 'good.json'), '--county', 'nowhere', '--year', '2021'], 'unknown county'],
    [['validate', path.join(FIXTURE_DIR, 'good.json'), '--county', 'lingshou', '--year', 'last'], '--year'],
    [['validate', path.join(FIXTURE_DIR, 'good.json'), '--county', 'lingshou', '--year', '2021', '--unit', '宣传部'], 'unknown unit'],
    [['template', '--county', 'lingshou', '--year', '2021', '--unit', 'justice_bureau', '--out', 'x.docx'], '.xlsx'],
    [['validate', path.join(FIXTURE_DIR, 'good.json')], 'required option'],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });
});
