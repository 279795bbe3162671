/**
 * Chinese numerals where the reading is unambiguous: 十二, 二十三, 一百零五,
 * 两千, 三万五千. Colloquial abbreviations (一百五 for 150, 三五 for "three to
 * five") and digit strings (二〇二一) are rejected: guessing a figure that goes
 * into a government report is worse than asking the clerk.
 */

const DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const SMALL_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };
const BIG_UNITS: Readonly<Record<string, number>> = { 万: 10_000, 亿: 100_000_000 };

export const CHINESE_NUMERAL_CHARS = '零〇一二两三四五六七八九十百千万亿';

export function parseChineseNumeral(text: string): number | undefined {
  if (text.length === 0) return undefined;
  let total = 0;
  let section = 0; // the part below the current 万/亿
  let digit: number | undefined; // a digit waiting for its unit
  let lastSmallUnit = Infinity; // units inside a section must decrease
  let lastBigUnit = Infinity;
  let zeroPending = false; // 零 marks a skipped place: 一百零五
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch in DIGITS) {
      const d = DIGITS[ch]!;
      if (d === 0) {
        if (digit !== undefined || zeroPending) return undefined; // 三〇, 零零
        zeroPending = true;
        continue;
      }
      if (digit !== undefined) return undefined; // two digits in a row: 三五
      digit = d;
      continue;
    }
    if (ch in SMALL_UNITS) {
      const unit = SMALL_UNITS[ch]!;
      if (unit >= lastSmallUnit) return undefined;
      if (digit === undefined) {
        // A bare 十 means ten only at the very start: 十二. 百, 千 need a digit.
        if (unit !== 10 || section !== 0 || total !== 0) return undefined;
        digit = 1;
      }
      section += digit * unit;
      digit = undefined;
      zeroPending = false;
      lastSmallUnit = unit;
      continue;
    }
    if (ch in BIG_UNITS) {
      const unit = BIG_UNITS[ch]!;
      if (unit >= lastBigUnit) return undefined;
      const value = section + (digit ?? 0);
      if (value === 0) return undefined;
      total += value * unit;
      section = 0;
      digit = undefined;
      zeroPending = false;
      lastSmallUnit = Infinity;
      lastBigUnit = unit;
      continue;
    }
    return undefined;
  }
  if (digit !== undefined) {
    // A trailing digit is a units digit only after 十 or after 零 (一百零五),
    // or when it stands alone (五). 一百五 (colloquial 150) is ambiguous.
    const standsAlone = section === 0 && total === 0;
    if (!standsAlone && !zeroPending && lastSmallUnit !== 10) return undefined;
    section += digit;
  } else if (zeroPending) {
    // 零 alone is zero; a trailing 零 (一百零) is malformed.
    if (section !== 0 || total !== 0) return undefined;
  }
  return total + section;
}
