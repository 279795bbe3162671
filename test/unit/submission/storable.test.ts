import { chunkBySize } from '../../../shared/adapters/dynamo-submission-repository';
import type { IndicatorDef } from '../../../shared/core/catalogue/schema';
import { parseQuantity } from '../../../shared/core/submission/normalize/number';
import { MAX_CELL_CHARS, MAX_LOCATION_CHARS, MAX_NARRATIVE_CHARS, MAX_PROBLEM_TEXT_CHARS } from '../../../shared/core/submission/limits';
import { parseSubmissionFile } from '../../../shared/core/submission/parse';
import { problem } from '../../../shared/core/submission/problem-codes';
import { itemBytes, MAX_ITEM_BYTES } from '../../../shared/storage/item-size';
import { catalogue, county, errorsOf, jsonFile, parse } from './context';

/**
 * What validate accepts, ingest can store (issue 14): every number is exact
 * in a double and writable by DynamoDB's marshaller, and every item ingest
 * writes stays under 400 KB counted in UTF-8 bytes, as DynamoDB counts.
 */
describe('numbers beyond 2^53 are refused where they are typed', () => {
  it.each([
    ['1e20 as a JSON number', 1e20],
    ['9007199254740993 as a JSON number (reads as …992)', 9007199254740993],
    ['a 23-digit string', '12345678901234567890123'],
    ['9007199254740993 as text', '9007199254740993'],
    ['a multiplier past the limit', '900719925474.1万'],
  ])('%s', (_label, raw) => {
    expect(parseQuantity(raw)).toEqual({ ok: false, reason: 'too_large' });
  });

  it('keeps the largest exact integer', () => {
    expect(parseQuantity(Number.MAX_SAFE_INTEGER)).toEqual({ ok: true, value: Number.MAX_SAFE_INTEGER, approximate: false });
    expect(parseQuantity(String(Number.MAX_SAFE_INTEGER))).toEqual({ ok: true, value: Number.MAX_SAFE_INTEGER, approximate: false });
  });

  it('rejects an indicator of 1e20 and a 23-digit CSV ledger cell with a Chinese message', async () => {
    const json = await parse(jsonFile({ indicators: { legality_review_meeting_items: 1e20 } }), 'big.json');
    expect(errorsOf(json)).toEqual([expect.objectContaining({ code: 'NUMBER_TOO_LARGE', path: 'indicators.legality_review_meeting_items' })]);
    expect(errorsOf(json)[0]!.message).toMatch(/数值过大/);

    const csv = await parse('【行政执法人员名册】\n姓名,执法证号,年度培训课时\n张三,130126001,12345678901234567890123\n', 'staff.csv', 'public_security');
    expect(errorsOf(csv)).toEqual([expect.objectContaining({ code: 'NUMBER_TOO_LARGE', row: 3 })]);
  });
});

describe("an indicator's declared range", () => {
  const withRange = (range: IndicatorDef['range']) => ({
    ...catalogue,
    indicators: catalogue.indicators.map((i) => (i.id === 'legality_review_meeting_items' ? { ...i, range } : i)),
  });
  const parseWith = (range: IndicatorDef['range'], value: number) =>
    parseSubmissionFile({ bytes: new TextEncoder().encode(jsonFile({ indicators: { legality_review_meeting_items: value } })), fileName: 'r.json', county, catalogue: withRange(range), year: 2021, unitId: 'justice_bureau' });

  it('rejects a value outside it and accepts its bounds', async () => {
    expect(errorsOf(await parseWith({ min: 0, max: 500 }, 501))).toEqual([expect.objectContaining({ code: 'NUMBER_OUT_OF_RANGE', message: expect.stringContaining('0至500') })]);
    expect(errorsOf(await parseWith({ min: 10 }, 9))).toEqual([expect.objectContaining({ code: 'NUMBER_OUT_OF_RANGE' })]);
    expect((await parseWith({ min: 0, max: 500 }, 500)).ok).toBe(true);
  });
});

describe('lengths', () => {
  it('rejects a ledger cell over the cap, naming the cell', async () => {
    const long = '长'.repeat(MAX_CELL_CHARS + 1);
    const out = await parse(`【行政诉讼案件台账】\n案号,立案日期,被告,案件状态\n(2021)冀0126行初1号,2021-03-05,${long},已结案\n`, 'cases.csv');
    expect(errorsOf(out)).toEqual([expect.objectContaining({ code: 'CELL_TOO_LONG', row: 3, column: '被告' })]);
    expect(errorsOf(out)[0]!.message.length).toBeLessThanOrEqual(MAX_PROBLEM_TEXT_CHARS);
  });

  it('accepts a cell at the cap', async () => {
    const out = await parse(`【行政诉讼案件台账】\n案号,立案日期,被告,案件状态\n(2021)冀0126行初1号,2021-03-05,${'长'.repeat(MAX_CELL_CHARS)},已结案\n`, 'cases.csv');
    expect(errorsOf(out)).toEqual([]);
  });

  it('rejects a narrative over the cap and an over-long indicator note', async () => {
    const narrative = await parse(jsonFile({ narratives: [{ section: 'decision_making', text: '法'.repeat(MAX_NARRATIVE_CHARS + 1) }] }), 'n.json');
    expect(errorsOf(narrative)).toEqual([expect.objectContaining({ code: 'NARRATIVE_TOO_LONG', path: 'narratives[0].text' })]);
    const note = await parse(jsonFile({ indicators: { legality_review_meeting_items: { value: 3, note: '注'.repeat(MAX_CELL_CHARS + 1) } } }), 'note.json');
    expect(errorsOf(note)).toEqual([expect.objectContaining({ code: 'CELL_TOO_LONG' })]);
  });

  it('clips the detail, path and sheet a problem quotes from the file', () => {
    const p = problem('UNKNOWN_COLUMN', { path: 'p'.repeat(10_000), sheet: 's'.repeat(10_000), column: 'c'.repeat(10_000) }, 'd'.repeat(100_000), 'v'.repeat(100_000));
    expect(p.message.length).toBe(MAX_PROBLEM_TEXT_CHARS);
    expect([p.path!.length, p.sheet!.length, p.column!.length]).toEqual([MAX_LOCATION_CHARS, MAX_LOCATION_CHARS, MAX_LOCATION_CHARS]);
    expect(p.value!.length).toBeLessThanOrEqual(201);
  });
});

describe('DynamoDB item size in UTF-8 bytes', () => {
  it('counts CJK as three bytes and emoji as four, as DynamoDB does (dynalite counts characters)', () => {
    expect(itemBytes({ a: '法' })).toBe(1 + 3);
    expect(itemBytes({ a: '😀' })).toBe(1 + 4);
    expect(itemBytes({ ab: 5, c: true, d: null })).toBe(2 + 21 + 1 + 1 + 1 + 1);
    expect(itemBytes({ m: { k: 'v' }, l: ['x'] })).toBe(1 + (3 + 1 + 1 + 1) + 1 + (3 + 1 + 1));
  });

  it('the widest ledger row, every cell at the cap in 3-byte characters, fits in one item', () => {
    for (const ledger of catalogue.ledgers) {
      const fields = Object.fromEntries(ledger.columns.map((c) => [c.id, '法'.repeat(MAX_CELL_CHARS)]));
      const item = { pk: `DATA#2021#${'u'.repeat(64)}#${'t'.repeat(200)}`, sk: `LED#${ledger.id}#00000001`, year: 2021, ledgerId: ledger.id, row: { row: 1, fields } };
      expect({ ledger: ledger.id, fits: itemBytes(item) < MAX_ITEM_BYTES }).toEqual({ ledger: ledger.id, fits: true });
    }
  });

  it('a narrative at the cap in 4-byte characters fits in one item', () => {
    const item = { pk: 'DATA#2021#u#t', sk: 'NAR#00001', year: 2021, item: { section: 'decision_making', text: '😀'.repeat(MAX_NARRATIVE_CHARS / 2), order: 1, source: { path: 'p'.repeat(MAX_LOCATION_CHARS) } } };
    expect(itemBytes(item)).toBeLessThan(MAX_ITEM_BYTES);
  });

  it('splits warnings into chunks under the limit, keeping their order', () => {
    const warnings = Array.from({ length: 500 }, (_, i) => problem('UNKNOWN_COLUMN', { path: `p${i}` }, '列'.repeat(2_000)));
    const chunks = chunkBySize(warnings, 256 * 1024);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat()).toEqual(warnings);
    for (const c of chunks) expect(itemBytes({ warnings: c })).toBeLessThan(MAX_ITEM_BYTES);
  });
});
