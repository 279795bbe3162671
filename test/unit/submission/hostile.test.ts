import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MAX_SUBMISSION_BYTES } from '../../../shared/core/submission/parse';
import {
  brokenSheetWorkbook,
  deeplyNestedJson,
  FIXTURE_DIR,
  forgedSizeZip,
  macroContentTypeWorkbook,
  macroWorkbook,
  plainZip,
  randomBytes,
  templateFor,
  zipBomb,
} from '../../fixtures/submissions/make-fixtures';
import { errorsOf, parse } from './context';

const fixture = (name: string) => readFileSync(path.join(FIXTURE_DIR, name));

describe('hostile and broken files are rejected with one clear problem', () => {
  const cases: [string, () => Promise<Uint8Array | string> | Uint8Array | string, string, string, Record<string, unknown>][] = [
    ['an empty file', () => new Uint8Array(0), 'empty.xlsx', 'FILE_EMPTY', {}],
    ['a file of blank lines', () => '\r\n \r\n', 'empty.csv', 'FILE_EMPTY', {}],
    ['text named .xlsx', () => '案号,立案日期\n1,2\n', 'fake.xlsx', 'XLSX_NOT_A_ZIP', {}],
    ['random bytes named .xlsx', () => randomBytes(4096), 'random.xlsx', 'XLSX_NOT_A_ZIP', {}],
    ['random bytes named .csv', () => randomBytes(4096), 'random.csv', 'NOT_TEXT', {}],
    ['random bytes named .json', () => randomBytes(4096), 'random.json', 'NOT_TEXT', {}],
    ['an old .xls / encrypted workbook renamed .xlsx', () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), randomBytes(504)]), 'old.xlsx', 'XLSX_LEGACY_OR_ENCRYPTED', {}],
    ['a zip that is not a workbook', () => plainZip(), 'photos.xlsx', 'XLSX_NOT_A_WORKBOOK', {}],
    ['a zip bomb (declared ratio)', () => zipBomb(), 'bomb.xlsx', 'XLSX_ZIP_BOMB', {}],
    ['a zip whose directory understates the size', () => forgedSizeZip(), 'forged.xlsx', 'XLSX_ZIP_BOMB', {}],
    ['a truncated zip', async () => (await templateFor('justice_bureau')).subarray(0, 5000), 'cut.xlsx', 'XLSX_ZIP_CORRUPT', {}],
    ['a workbook whose sheet is not XML', () => brokenSheetWorkbook(), 'broken.xlsx', 'XLSX_UNREADABLE', {}],
    ['a macro-enabled workbook renamed .xlsx', () => macroWorkbook(), 'macro.xlsx', 'XLSX_MACRO_ENABLED', {}],
    ['a macro-enabled content type', () => macroContentTypeWorkbook(), 'macro2.xlsx', 'XLSX_MACRO_ENABLED', {}],
    ['an .xlsx uploaded as .csv', async () => templateFor('justice_bureau'), 'book.csv', 'FILE_TYPE_MISMATCH', {}],
    ['an unsupported extension', () => 'x', 'report.docx', 'FILE_TYPE_UNSUPPORTED', {}],
    ['a file over the size limit', () => new Uint8Array(MAX_SUBMISSION_BYTES + 1), 'huge.csv', 'FILE_TOO_LARGE', {}],
    ['JSON with __proto__', () => fixture('proto-pollution.json'), 'p.json', 'JSON_FORBIDDEN_KEY', { path: 'ledgers.lawsuit_cases[0].__proto__' }],
    ['JSON with constructor', () => '{"$schema":"yearly-report/submission-file@1","constructor":{"prototype":{}}}', 'c.json', 'JSON_FORBIDDEN_KEY', { path: 'constructor' }],
    ['deeply nested JSON', () => deeplyNestedJson(100_000), 'deep.json', 'JSON_TOO_DEEP', {}],
    ['truncated JSON', () => fixture('truncated.json'), 't.json', 'JSON_SYNTAX', { row: 6 }],
    ['JSON in GBK', () => Buffer.from([0x7b, 0x22, 0xc4, 0xe3, 0x22, 0x3a, 0x31, 0x7d]), 'gbk.json', 'JSON_NOT_UTF8', {}],
    ['JSON of another schema version', () => '{"$schema":"yearly-report/submission-file@9"}', 'v9.json', 'JSON_SCHEMA_VERSION', { path: '$schema' }],
  ];

  it.each(cases)('%s', async (_label, make, fileName, code, location) => {
    const before = ({} as Record<string, unknown>).polluted;
    const out = await parse(await make(), fileName);
    const errors = errorsOf(out);
    expect(errors).toEqual([expect.objectContaining({ code, ...location })]);
    expect(errors[0]!.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(({} as Record<string, unknown>).polluted).toBe(before);
  });
});
