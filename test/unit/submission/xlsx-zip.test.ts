import JSZip from 'jszip';
import { enforcementStaff, ledgerXlsx } from '../../../bench/data';
import { checkWorkbookZip } from '../../../shared/core/submission/formats/xlsx-zip';
import { filledJusticeBureauWorkbook } from '../../fixtures/submissions/make-fixtures';
import { errorsOf, parse } from './context';

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

  it('gives each part as text whole, though inflate chunks (16 KiB) cut its three-byte characters', async () => {
    const text = `<sst>${'九'.repeat(200_000)}</sst>`;
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
    zip.file('xl/workbook.xml', '<?xml version="1.0"?><workbook/>');
    zip.file('xl/sharedStrings.xml', text);
    const checked = await checkWorkbookZip(await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    if (!checked.ok) throw new Error(checked.problem.message);
    const pieces: string[] = [];
    for await (const piece of checked.zip.text(checked.zip.parts.sharedStrings!)) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(text);
  });
});

/** The filled template saved without compression, so a byte of a part can be changed and the zip still inflates. */
async function storedWorkbook(): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await filledJusticeBureauWorkbook());
  return zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
}

function replaceOnce(bytes: Buffer, from: string, to: string): Buffer {
  const at = bytes.indexOf(from);
  expect(at).toBeGreaterThanOrEqual(0);
  expect(bytes.indexOf(from, at + 1)).toBe(-1);
  const copy = Buffer.from(bytes);
  Buffer.from(to).copy(copy, at);
  return copy;
}

describe('a part that does not match its CRC, found while exceljs reads it (one inflate per part)', () => {
  it('the untouched stored workbook is accepted', async () => {
    const out = await parse(await storedWorkbook(), 'stored.xlsx');
    expect(errorsOf(out)).toEqual([]);
  });

  it.each([
    ['a figure in a worksheet', '<v>125</v>', '<v>126</v>', /“xl\/worksheets\/sheet\d+\.xml”校验值不符/],
    ['a name in the shared strings', '张三', '李四', /“xl\/sharedStrings\.xml”校验值不符/],
  ])('%s changed after saving: rejected with XLSX_ZIP_CORRUPT alone, no rows or other problems', async (_label, from, to, detail) => {
    const out = await parse(replaceOnce(await storedWorkbook(), from, to), 'tampered.xlsx');
    expect(out.ok).toBe(false);
    const problems = out.ok ? [] : out.problems;
    expect(problems).toEqual([expect.objectContaining({ code: 'XLSX_ZIP_CORRUPT', severity: 'error' })]);
    expect(problems[0]!.message).toMatch(detail);
  });

  it('a part exceljs does not read (styles) is still checked before any sheet', async () => {
    const stored = await storedWorkbook();
    const styles = stored.indexOf('<styleSheet');
    expect(styles).toBeGreaterThanOrEqual(0);
    const tampered = Buffer.from(stored);
    tampered[styles + 1] = 'S'.charCodeAt(0);
    const out = await parse(tampered, 'tampered.xlsx');
    expect(out.ok ? [] : out.problems).toEqual([expect.objectContaining({ code: 'XLSX_ZIP_CORRUPT', message: expect.stringMatching(/“xl\/styles\.xml”校验值不符/) })]);
  });

  it('a worksheet whose deflate data is broken: XLSX_ZIP_CORRUPT, not an unreadable sheet', async () => {
    const zip = await JSZip.loadAsync(await filledJusticeBureauWorkbook());
    const deflated = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const checked = await checkWorkbookZip(deflated);
    if (!checked.ok) throw new Error(checked.problem.message);
    const sheet = checked.zip.parts.worksheets.at(-1)!.listed.entry;
    // The local header is 30 bytes plus the name (no extra field from JSZip); break the data a third of the way in (flipped bytes mid-stream can inflate past the declared size, which is the bomb check's case).
    const dataStart = sheet.relativeOffsetOfLocalHeader + 30 + sheet.fileNameLength + sheet.extraFieldLength;
    const tampered = Buffer.from(deflated);
    for (let i = 0; i < 8; i++) tampered[dataStart + Math.floor(sheet.compressedSize / 3) + i] ^= 0xff;
    const out = await parse(tampered, 'broken.xlsx');
    expect(out.ok ? [] : out.problems).toEqual([expect.objectContaining({ code: 'XLSX_ZIP_CORRUPT' })]);
  });
});

describe('exceljs internals the single pass relies on', () => {
  it('a missing per-part parser fails loudly, naming the file to update, instead of reading the workbook wrongly', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const proto = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as Record<string, unknown>;
    const original = proto._parseWorksheet;
    proto._parseWorksheet = undefined;
    try {
      await expect(parse(await filledJusticeBureauWorkbook(), 'filled.xlsx')).rejects.toThrow(/exceljs internals changed \(WorkbookReader\._parseWorksheet\).*formats\/xlsx\.ts/);
    } finally {
      proto._parseWorksheet = original;
    }
    expect(errorsOf(await parse(await filledJusticeBureauWorkbook(), 'filled.xlsx'))).toEqual([]);
  });
});
