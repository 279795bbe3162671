import { enforcementStaff, ledgerXlsx } from '../../../bench/data';
import { utf8Boundary } from '../../../shared/core/submission/formats/xlsx-zip';
import { errorsOf, parse } from './context';

describe('utf8Boundary', () => {
  it.each([
    ['ASCII', Buffer.from('abc'), 3],
    ['a whole CJK character', Buffer.from('ab九'), 5],
    ['one byte of a three-byte character', Buffer.from('ab九').subarray(0, 3), 2],
    ['two bytes of a three-byte character', Buffer.from('ab九').subarray(0, 4), 2],
    ['three bytes of a four-byte emoji', Buffer.from('a😀').subarray(0, 4), 1],
    ['a whole emoji', Buffer.from('a😀'), 5],
  ])('%s', (_label, buf, cut) => {
    expect(utf8Boundary(buf)).toBe(cut);
  });
});

describe('an .xlsx with far more CJK text than one inflate chunk', () => {
  it('reads every name and figure intact (exceljs decodes chunk by chunk; a split character used to become U+FFFD)', async () => {
    const table = enforcementStaff(8_000, 0x5d, { typed: true });
    const file = await ledgerXlsx([table]);
    const out = await parse(file.bytes, file.fileName);
    expect(errorsOf(out)).toEqual([]);
    const rows = out.ok ? out.submission.ledgers.enforcement_staff! : [];
    expect(rows.map((r) => r.fields.name)).toEqual(table.rows.map((r) => r[0]));
    expect(rows.some((r) => String(r.fields.name).includes('\uFFFD'))).toBe(false);
  });
});
