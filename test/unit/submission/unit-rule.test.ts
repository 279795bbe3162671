import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { unitNamedByFileName } from '../../../shared/core/submission/normalize/units';
import { runCli } from '../../cli-runner';
import { county, errorsOf, jsonFile, parse } from './context';

/**
 * One rule for whom a file is from, in validate, upload and ingest alike:
 * --unit (ingest: the upload path), else the cover sheet or "unit" field,
 * else the file name; two that disagree are an error naming both.
 */
describe('the unit a file name names', () => {
  it.each([
    ['justice_bureau-2021.xlsx', 'justice_bureau'],
    ['司法局2021.xlsx', 'justice_bureau'],
    ['灵寿县司法局（2021年度）.xlsx', 'justice_bureau'],
    ['县公安局_2021年.csv', 'public_security'],
  ])('%s → %s', (fileName, unitId) => {
    expect(unitNamedByFileName(county.config, fileName)?.id).toBe(unitId);
  });

  it.each(['报送表.xlsx', '2021.xlsx', 'data.json'])('%s names no unit', (fileName) => {
    expect(unitNamedByFileName(county.config, fileName)).toBeUndefined();
  });
});

describe('ingest refuses a file whose name names another unit than its upload path', () => {
  it('names both units', async () => {
    const outcome = await parse(jsonFile({ indicators: { legality_review_meeting_items: 3 } }), '公安局2021.json');
    expect(errorsOf(outcome)).toEqual([expect.objectContaining({ code: 'UNIT_MISMATCH', message: expect.stringMatching(/文件名“公安局2021\.json”指向“灵寿县公安局”，报送单位为“灵寿县司法局”/) })]);
  });

  it('accepts a file whose name names its own unit', async () => {
    const outcome = await parse(jsonFile({ indicators: { legality_review_meeting_items: 3 } }), 'justice_bureau-2021.json');
    expect(outcome.ok).toBe(true);
  });
});

describe('validate follows the rule', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yr-unit-rule-'));
  const validate = (file: string, ...extra: string[]) => runCli(['validate', file, '--county', 'lingshou', '--year', '2021', ...extra]);

  async function justiceTemplate(fileName: string, cover?: string | null): Promise<string> {
    const file = path.join(dir, fileName);
    expect((await runCli(['template', '--county', 'lingshou', '--year', '2021', '--unit', 'justice_bureau', '--out', file])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    wb.getWorksheet('工作情况')!.getCell('B2').value = '开展法治教育进校园活动。';
    if (cover !== undefined) wb.getWorksheet('封面')!.getCell('B4').value = cover;
    await wb.xlsx.writeFile(file);
    return file;
  }

  it('refuses a 司法局 file whose cover was changed to 公安局, naming both', async () => {
    const result = await validate(await justiceTemplate('司法局.xlsx', '灵寿县公安局'));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/未通过：司法局\.xlsx（灵寿县公安局，2021年度）/);
    expect(result.stdout).toMatch(/文件名“司法局\.xlsx”指向“灵寿县司法局”，封面为“灵寿县公安局”/);
  });

  it('refuses --unit that disagrees with the cover, naming both', async () => {
    const result = await validate(await justiceTemplate('报送表.xlsx'), '--unit', '公安局');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/文件填写“灵寿县司法局”，--unit 参数为“灵寿县公安局”/);
  });

  it('takes the unit from the file name when the cover does not say', async () => {
    const result = await validate(await justiceTemplate('justice_bureau-2021.xlsx', null));
    expect(result.stdout).toMatch(/^通过：justice_bureau-2021\.xlsx（灵寿县司法局，2021年度）/);
    expect(result.code).toBe(0);
  });
});
