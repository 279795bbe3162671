import { KeyIndex } from '../../../shared/core/submission/builder';
import { parseBoolean } from '../../../shared/core/submission/normalize/boolean';
import { parseChineseNumeral } from '../../../shared/core/submission/normalize/chinese-numeral';
import { parseDate, toExcelSerial } from '../../../shared/core/submission/normalize/date';
import { resolveHeader } from '../../../shared/core/submission/normalize/headers';
import { parseQuantity } from '../../../shared/core/submission/normalize/number';
import { cleanText, hasSpaceLike, toHalfWidth } from '../../../shared/core/submission/normalize/text';
import { resolveUnit } from '../../../shared/core/submission/normalize/units';
import { catalogue, county } from './context';

describe('parseQuantity', () => {
  it.each<[unknown, number, string | undefined, string | undefined]>([
    [125, 125, undefined, undefined],
    ['125', 125, undefined, undefined],
    ['１２５', 125, undefined, undefined],
    [' 125 ', 125, undefined, undefined],
    ['1,234', 1234, undefined, undefined],
    ['1，234，567', 1234567, undefined, undefined],
    ['125件', 125, undefined, '件'],
    ['共125件', 125, undefined, '件'],
    ['1000余', 1000, '余', undefined],
    ['近300', 300, '近', undefined],
    ['300以上', 300, '以上', undefined],
    ['300多', 300, '多', undefined],
    ['300多人', 300, '多', '人'],
    ['3000余册', 3000, '余', '册'],
    ['约12.5%', 12.5, '约', '%'],
    ['1.2万', 12000, undefined, undefined],
    ['十二', 12, undefined, undefined],
    ['一百零五', 105, undefined, undefined],
    ['两千', 2000, undefined, undefined],
    ['两千余人', 2000, '余', '人'],
    ['0', 0, undefined, undefined],
    ['60左右', 60, '左右', undefined],
    ['不足50人', 50, '不足', '人'],
    ['将近2000', 2000, '将近', undefined],
    ['300+', 300, '余', undefined],
  ])('%j → %d (qualifier %s)', (raw, value, qualifier, measure) => {
    const q = parseQuantity(raw);
    // The qualifier is kept as written, so the report can print 近300 as 近300, never 300余.
    expect(q).toEqual({ ok: true, value, approximate: qualifier !== undefined, ...(measure ? { measure } : {}), ...(qualifier ? { qualifier } : {}) });
  });

  it.each<[unknown, string]>([
    ['-5', 'negative'],
    ['－５件', 'negative'],
    [-1, 'negative'],
    ['若干', 'not_a_number'],
    ['12,34', 'not_a_number'],
    ['一百五', 'not_a_number'],
    ['三五', 'not_a_number'],
    ['', 'not_a_number'],
    [NaN, 'not_a_number'],
    [{}, 'not_a_number'],
  ])('%j is rejected as %s', (raw, reason) => {
    expect(parseQuantity(raw)).toEqual({ ok: false, reason });
  });
});

describe('parseChineseNumeral', () => {
  it.each<[string, number | undefined]>([
    ['五', 5], ['十', 10], ['十二', 12], ['二十', 20], ['二十三', 23], ['一百', 100], ['一百零五', 105], ['一百一十', 110],
    ['两千', 2000], ['一千零五十', 1050], ['三万五千', 35000], ['零', 0],
    ['一百五', undefined], ['三万五', undefined], ['二〇二一', undefined], ['三五', undefined], ['百', undefined], ['一百零', undefined], ['十百', undefined],
  ])('%s → %s', (text, value) => {
    expect(parseChineseNumeral(text)).toBe(value);
  });
});

describe('parseDate', () => {
  it.each<[unknown, string]>([
    ['2021年3月5日', '2021-03-05'],
    ['2021 年 3 月 5 日', '2021-03-05'],
    ['2021.3.5', '2021-03-05'],
    ['2021/3/5', '2021-03-05'],
    ['2021-03-05', '2021-03-05'],
    ['２０２１－０３－０５', '2021-03-05'],
    ['20210305', '2021-03-05'],
    [44260, '2021-03-05'],
    ['44260', '2021-03-05'],
    [44260.75, '2021-03-05'],
    [new Date(Date.UTC(2021, 2, 5)), '2021-03-05'],
    ['2020年2月29日', '2020-02-29'],
  ])('%j → %s', (raw, iso) => {
    expect(parseDate(raw)).toEqual({ ok: true, iso });
  });

  it.each<unknown>(['2021-02-30', '2021-13-01', '3月5日', '昨天', 12, 'abc', '2021年2月29日', true])('%j is not a date', (raw) => {
    expect(parseDate(raw)).toEqual({ ok: false });
  });

  it('round-trips the Excel serial', () => {
    expect(toExcelSerial('2021-03-05')).toBe(44260);
  });
});

describe('parseBoolean', () => {
  it.each<[unknown, boolean]>([
    ['是', true], ['否', false], ['Y', true], ['n', false], ['√', true], ['×', false], [1, true], [0, false], [true, true], [' 是 ', true], ['ＹＥＳ', true],
  ])('%j → %s', (raw, value) => {
    expect(parseBoolean(raw)).toEqual({ ok: true, value });
  });
  it.each<unknown>(['也许', 2, '', null])('%j is not a yes/no', (raw) => {
    expect(parseBoolean(raw)).toEqual({ ok: false });
  });
});

describe('text', () => {
  it.each<[string, string]>([
    ['ＡＢＣ１２３（）', 'ABC123()'],
    ['a\u3000b', 'a b'],
  ])('toHalfWidth(%j) → %j', (raw, out) => expect(toHalfWidth(raw)).toBe(out));
  it.each<[string, string]>([
    ['  张三 ', '张三'],
    ['张\u3000\u3000三', '张 三'],
    ['\u200B案号\u00A0', '案号'],
    ['a\n\tb', 'a b'],
  ])('cleanText(%j) → %j', (raw, out) => expect(cleanText(raw)).toBe(out));
});

describe('headers and unit names', () => {
  const lawsuits = catalogue.ledgerById.get('lawsuit_cases')!;
  it.each<[string, string | undefined]>([
    ['案号', 'case_no'], ['案件编号', 'case_no'], ['案号*', 'case_no'], [' 案 号 ', 'case_no'], ['case_no', 'case_no'],
    ['立案日期（2021-03-05）', 'filed_date'], ['负责人是否出庭(是/否)', 'head_appeared'], ['状态', 'status'], ['备注', undefined],
  ])('ledger header %j → %s', (header, id) => {
    expect(resolveHeader(lawsuits, header)?.id).toBe(id);
  });
  it.each<[string, string | undefined]>([
    ['灵寿县司法局', 'justice_bureau'], ['县司法局', 'justice_bureau'], ['司法局', 'justice_bureau'], ['justice_bureau', 'justice_bureau'],
    ['灵寿县 司法局', 'justice_bureau'], ['青同镇', 'qingtong_town'], ['县宣传部', undefined],
  ])('unit %j → %s', (text, id) => {
    expect(resolveUnit(county.config, text)?.id).toBe(id);
  });
});

describe('KeyIndex (duplicate ledger keys)', () => {
  it.each<[string, string[], boolean[]]>([
    ['ascending', ['a1', 'a2', 'a3'], [true, true, true]],
    ['repeat while ascending', ['a1', 'a2', 'a2'], [true, true, false]],
    ['out of order, then a repeat of an early key', ['a2', 'a3', 'a1', 'a2', 'a4', 'a1'], [true, true, true, false, true, false]],
    ['first key repeated at once', ['b', 'b'], [true, false]],
  ])('%s', (_label, keys, fresh) => {
    const index = new KeyIndex();
    expect(keys.map((k) => index.add(k))).toEqual(fresh);
  });
});

describe('hasSpaceLike (the cell fast path of cleanText)', () => {
  it('agrees with the regex it replaces on every BMP character', () => {
    const regex = /[\s\u200B-\u200D\u2060\uFEFF]/;
    const disagree: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const text = `张${String.fromCharCode(c)}三`;
      if (hasSpaceLike(text) !== regex.test(text)) disagree.push(c.toString(16));
    }
    expect(disagree).toEqual([]);
    expect(hasSpaceLike('张三')).toBe(false);
    expect(hasSpaceLike('张\u3000三')).toBe(true);
  });
});
