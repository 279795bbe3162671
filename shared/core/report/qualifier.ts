/**
 * Approximate figures keep the qualifier the clerk wrote: 近60 stays 近60,
 * 60左右 stays 60左右, and never becomes "60余". When approximate values are
 * combined, the result carries a qualifier that is still true of the sum:
 *   - lower bounds (余, 多, 以上, 超过, 逾: at least that many) add up to a lower bound;
 *   - upper bounds (近, 将近, 接近, 不足, 不到: fewer than that) add up to an upper bound;
 *   - anything else (约, 左右, or bounds pointing both ways) is only "about" (约).
 * Parts that all carry the same qualifier keep it (60余 + 5 = 65余).
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
