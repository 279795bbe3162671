/**
 * Whole numbers in Chinese numerals, as official texts print small counts
 * before a measure word: 三次, 两轮, 十二场, 二十个, 一百零五件, 近千人.
 *
 * - 2 on its own before a measure word is 两 (两轮, 两次); inside a compound
 *   it is 二 (十二, 二十, 二百).
 * - 10–19 drop the leading 一 (十一, not 一十一); 110 keeps it inside (一百一十).
 * - A gap of zeros inside reads 零 once (一百零五, 一千零五十, 十万零五百).
 * - A round hundred, thousand or ten thousand after or before a qualifier
 *   drops its 一, as the genre writes it: 百余人, 近千人, 近万件.
 *
 * Only whole numbers from 0 to 99,999,999; anything else has no numeral form
 * here (undefined), and the caller prints digits.
 */

const DIGITS = '零一二三四五六七八九';
const SMALL_UNITS = ['', '十', '百', '千'] as const;

/** 1–9999 in numerals, with 二 for every 2 and 一 before 十 kept (the caller drops it where Chinese does). */
function belowTenThousand(n: number): string {
  let out = '';
  let zeroPending = false;
  for (let place = 3; place >= 0; place--) {
    const digit = Math.floor(n / 10 ** place) % 10;
    if (digit === 0) {
      if (out) zeroPending = true;
      continue;
    }
    if (zeroPending) out += '零';
    zeroPending = false;
    out += DIGITS[digit]! + SMALL_UNITS[place]!;
  }
  return out;
}

export function chineseNumeral(value: number, options: { qualified?: boolean } = {}): string | undefined {
  if (!Number.isInteger(value) || value < 0 || value >= 100_000_000) return undefined;
  if (value === 0) return '零';
  if (value === 2) return '两';
  if (options.qualified && [100, 1000, 10_000].includes(value)) return { 100: '百', 1000: '千', 10_000: '万' }[value as 100 | 1000 | 10_000];
  const high = Math.floor(value / 10_000);
  const low = value % 10_000;
  let text = '';
  if (high > 0) text = belowTenThousand(high) + '万';
  if (low > 0) text += (high > 0 && low < 1000 ? '零' : '') + belowTenThousand(low);
  // 十二, 十万: a leading 一十 reads 十.
  return text.startsWith('一十') ? text.slice(1) : text;
}

/** The value a numeral printed by chineseNumeral stands for, or undefined when it is not one of its forms. */
export function parseChineseNumeral(text: string, options: { qualified?: boolean } = {}): number | undefined {
  if (!/^[零一二两三四五六七八九十百千万]+$/.test(text)) return undefined;
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  for (const char of text) {
    const d = char === '两' ? 2 : DIGITS.indexOf(char);
    if (d === 0) continue; // 零 only marks a gap
    if (d > 0) {
      if (digit !== undefined) return undefined; // 三四: two digits in a row
      digit = d;
      continue;
    }
    const unit = char === '十' ? 10 : char === '百' ? 100 : char === '千' ? 1000 : 10_000;
    if (unit === 10_000) {
      section += digit ?? (section === 0 && total === 0 ? 1 : 0);
      total = (total + section) * 10_000;
      section = 0;
    } else section += (digit ?? 1) * unit;
    digit = undefined;
  }
  const value = total + section + (digit ?? 0);
  // Only the canonical spelling counts: 二次, 一十二 or 两十 are not what the report prints back.
  return chineseNumeral(value, options) === text ? value : undefined;
}
