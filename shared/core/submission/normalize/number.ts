import { CHINESE_NUMERAL_CHARS, parseChineseNumeral } from './chinese-numeral';
import { toHalfWidth } from './text';

/**
 * Figures as clerks write them: 125, １２５, 1,234, 125件, 1000余, 近300,
 * 300以上, 300多, 3000余册, 约12.5%, 1.2万, 一百零五. The result keeps whether
 * the figure was approximate, because the report prints "1000余" as written.
 */
export type QuantityResult =
  | { ok: true; value: number; approximate: boolean; measure?: string; qualifier?: string }
  | { ok: false; reason: 'not_a_number' | 'negative' | 'too_large' };

/** Measure words that may follow a figure (the catalogue's units and a few more people type). */
const MEASURE_WORDS = ['人次', '课时', '万元', '件', '项', '人', '名', '次', '场', '册', '户', '个', '%', '家', '篇', '条', '期', '部', '元', '天', '小时', '所', '起', '宗'];
const APPROX_PREFIXES = ['大约', '将近', '接近', '超过', '不足', '不到', '约', '近', '逾'];
// Words that add nothing to the figure: 共125件, 合计125.
const FILLER_PREFIXES = ['共计', '合计', '总计', '共'];
const APPROX_SUFFIXES = ['以上', '左右', '余', '多', '+'];
const OUTER_SUFFIXES = ['以上', '左右'];
const SPACES = /[\s\u200B\uFEFF]+/g;
const MULTIPLIERS: Readonly<Record<string, number>> = { 万: 10_000, 千: 1_000, 百: 100, 亿: 100_000_000 };

const ARABIC = /^(\d+(?:\.\d+)?)(万|千|百|亿)?$/;
const THOUSANDS = /^\d{1,3}(,\d{3})+(\.\d+)?$/;
const CHINESE_ONLY = new RegExp(`^[${CHINESE_NUMERAL_CHARS}]+$`);

/**
 * Beyond 2^53 a double no longer holds every integer: 9007199254740993 reads
 * as …992, and DynamoDB's marshaller refuses it. No county figure comes near.
 */
const LARGEST = Number.MAX_SAFE_INTEGER;

export function parseQuantity(raw: unknown): QuantityResult {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { ok: false, reason: 'not_a_number' };
    if (raw < 0) return { ok: false, reason: 'negative' };
    if (raw > LARGEST) return { ok: false, reason: 'too_large' };
    return { ok: true, value: raw, approximate: false };
  }
  if (typeof raw !== 'string') return { ok: false, reason: 'not_a_number' };

  // Fast path for the common case, a plain non-negative integer or decimal.
  if (isPlainDecimal(raw)) return { ok: true, value: Number(raw), approximate: false };

  let s = toHalfWidth(raw).replace(SPACES, '');
  if (s === '') return { ok: false, reason: 'not_a_number' };
  let approximate = false;
  let measure: string | undefined;
  // The qualifier as written (近, 余, 左右 …): the report prints it back, never a generic 余.
  let qualifier: string | undefined;

  for (const p of FILLER_PREFIXES) if (s.startsWith(p)) { s = s.slice(p.length); break; }
  for (const p of APPROX_PREFIXES) if (s.startsWith(p)) { s = s.slice(p.length); approximate = true; qualifier = p; break; }

  // Peel from the end: 3000余册以上 → 以上, 册, 余 (each at most once, in this order).
  const outer = endingOf(s, OUTER_SUFFIXES);
  if (outer) {
    s = s.slice(0, -outer.length);
    approximate = true;
    qualifier ??= outer;
  }
  measure = endingOf(s, MEASURE_WORDS);
  if (measure) s = s.slice(0, -measure.length);
  const inner = endingOf(s, APPROX_SUFFIXES);
  if (inner) {
    s = s.slice(0, -inner.length);
    approximate = true;
    // "300+" reads as 300余 in a report.
    qualifier ??= inner === '+' ? '余' : inner;
  }
  if (measure === undefined) {
    measure = endingOf(s, MEASURE_WORDS);
    if (measure) s = s.slice(0, -measure.length);
  }

  if (s.startsWith('-')) {
    const magnitude = parseQuantity(s.slice(1));
    return magnitude.ok ? { ok: false, reason: 'negative' } : magnitude;
  }
  if (s.startsWith('+')) s = s.slice(1);
  if (THOUSANDS.test(s)) s = s.replace(/,/g, '');

  const arabic = ARABIC.exec(s);
  let value: number | undefined;
  if (arabic) {
    value = Number(arabic[1]) * (arabic[2] ? MULTIPLIERS[arabic[2]]! : 1);
    // 1.2万 is exact to the clerk; avoid 12000.000000000002.
    value = Math.round(value * 1e6) / 1e6;
  } else if (CHINESE_ONLY.test(s)) {
    value = parseChineseNumeral(s);
  }
  if (value === undefined || Number.isNaN(value)) return { ok: false, reason: 'not_a_number' };
  if (!Number.isFinite(value) || value > LARGEST) return { ok: false, reason: 'too_large' };
  const result: QuantityResult = { ok: true, value, approximate };
  if (measure !== undefined) result.measure = measure;
  if (approximate && qualifier) result.qualifier = qualifier;
  return result;
}

/** The candidate `s` ends with (and is longer than), first in list order. */
function endingOf(s: string, candidates: readonly string[]): string | undefined {
  for (const c of candidates) if (s.length > c.length && s.endsWith(c)) return c;
  return undefined;
}

/** 人 and 名 both count people; anything else must match the catalogue's unit exactly. */
export function sameMeasure(a: string, b: string): boolean {
  const person = (m: string) => (m === '名' ? '人' : m);
  return person(a) === person(b);
}

/** "125", "12.5": ASCII digits with at most one inner dot (a char loop; cheaper than a regex per cell). */
export function isPlainDecimal(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 15) return false;
  let dot = -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) {
      if (dot >= 0 || i === 0 || i === n - 1) return false;
      dot = i;
    } else if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Words clerks type for "nothing here" in a number cell. */
const NONE_WORDS = /^(无|没有|暂无|空|未发生|不详|\/|／|-|－|—+|\\|n\/?a|none)$/i;

/**
 * What to type instead of a value that is not a number, for the clerk's
 * message: "无" gets the two things it might mean, anything else an example.
 */
export function notANumberHint(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (NONE_WORDS.test(text)) return `“${text}”不是数字：没有发生的请填0或“未发生”；暂时没有数据的请填“暂无数据”（不要填0）`;
  return '请填写阿拉伯数字，如125';
}
