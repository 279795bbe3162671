/**
 * Approximate figures keep the qualifier the clerk wrote: 近60 stays 近60,
 * 60左右 stays 60左右, and never becomes "60余". When approximate values are
 * combined, the result carries a qualifier that is still true of the sum:
 *   - lower bounds (余, 多, 以上, 超过, 逾: at least that many) add up to a lower bound;
 *   - upper bounds (近, 将近, 接近, 不足, 不到: fewer than that) add up to an upper bound;
 *   - anything else (约, 左右, or bounds pointing both ways) is only "about" (约).
 * Parts that all carry the same qualifier keep it (60余 + 5 is still 余).
 *
 * An approximate sum is printed as this genre prints one: a qualifier
 * follows a round number (200余 + 459 = 659余 prints "650余", never "659余"),
 * rounded the way its bound stays true (roundApproximate). A figure printed
 * in 万 that rounding would overstate says so (89,600 prints "近9万", never "9万").
 */

const PREFIX_QUALIFIERS = ['大约', '将近', '接近', '超过', '不足', '不到', '约', '近', '逾'] as const;
const SUFFIX_QUALIFIERS = ['以上', '左右', '余', '多'] as const;
export const QUALIFIERS: readonly string[] = [...PREFIX_QUALIFIERS, ...SUFFIX_QUALIFIERS];

type Bound = 'lower' | 'upper' | 'about';
const BOUND: Readonly<Record<string, Bound>> = {
  余: 'lower',
  多: 'lower',
  以上: 'lower',
  超过: 'lower',
  逾: 'lower',
  近: 'upper',
  将近: 'upper',
  接近: 'upper',
  不足: 'upper',
  不到: 'upper',
  约: 'about',
  大约: 'about',
  左右: 'about',
};

/** An approximate value stored before qualifiers were kept reads as 余, as it was printed then. */
export const LEGACY_QUALIFIER = '余';

export function isQualifier(word: string): boolean {
  return Object.hasOwn(BOUND, word);
}

/** The qualifier a combination of parts may truthfully carry; undefined when every part is exact. */
export function combineQualifiers(parts: ReadonlyArray<{ approximate: boolean; qualifier?: string | undefined }>): string | undefined {
  const qualifiers = parts.filter((p) => p.approximate).map((p) => p.qualifier ?? LEGACY_QUALIFIER);
  if (qualifiers.length === 0) return undefined;
  const first = qualifiers[0]!;
  if (qualifiers.every((q) => q === first)) return first;
  const bounds = new Set(qualifiers.map((q) => BOUND[q] ?? 'about'));
  if (bounds.size === 1) {
    const [bound] = bounds;
    if (bound === 'lower') return '余';
    if (bound === 'upper') return '近';
  }
  return '约';
}

/** "近60", "60余", "60左右", "约60": the qualifier on the side Chinese puts it. */
export function withQualifier(text: string, qualifier: string | undefined): string {
  if (!qualifier) return text;
  return (PREFIX_QUALIFIERS as readonly string[]).includes(qualifier) ? `${qualifier}${text}` : `${text}${qualifier}`;
}

/** Which way a qualifier bounds the value: at least (余), at most (近), or about (约). */
export function boundOf(qualifier: string): Bound {
  return BOUND[qualifier] ?? 'about';
}

/**
 * The round number an approximate sum is printed as, rounded so its
 * qualifier stays true: a lower bound (余) rounds down, an upper bound (近)
 * up. Round means tens below 100 and two significant digits above (659 →
 * 650, 1234 → 1200, 23 → 20); below 10 nothing changes. "About" (约35) is
 * printed as summed: rounding it would only make it vaguer.
 */
export function roundApproximate(value: number, qualifier: string): number {
  if (!Number.isInteger(value) || value < 10) return value;
  const step = value < 100 ? 10 : 10 ** (Math.floor(Math.log10(value)) - 1);
  const bound = boundOf(qualifier);
  if (bound === 'about') return value;
  return (bound === 'lower' ? Math.floor(value / step) : Math.ceil(value / step)) * step;
}

/**
 * A value printed in 万, rounded to `decimals` of 万 as official texts do,
 * with the qualifier that keeps it true: rounding down (13,046 → 1.3万) needs
 * none, as the published reports print it; rounding up (89,600 → 9万) would
 * overstate, so it reads 近9万. An approximate value keeps its qualifier when
 * the rounding goes its way, and becomes 约 when it does not.
 */
export function inWan(value: number, decimals: number, qualifier: string | undefined): { text: string; qualifier: string | undefined } {
  const scaled = value / 10_000;
  const rounded = Number(scaled.toFixed(decimals));
  const text = `${rounded}万`;
  const up = rounded * 10_000 > value + 1e-9;
  const down = rounded * 10_000 < value - 1e-9;
  if (!qualifier) return { text, qualifier: up ? '近' : undefined };
  const bound = boundOf(qualifier);
  if ((up && bound === 'lower') || (down && bound === 'upper')) return { text, qualifier: '约' };
  return { text, qualifier };
}
