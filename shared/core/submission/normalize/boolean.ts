import { matchKey } from './text';

/** 是/否 as clerks mark it: 是, Y, yes, √, ✓, 1, 有 … and their opposites. */
const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '√', '✓', '✔', '1', '有', '对', '已出庭', '出庭', '专职']);
const FALSE_WORDS = new Set(['否', 'n', 'no', 'false', '×', '✗', '✘', '0', '无', '未出庭', '兼职', '不是']);

export type BooleanResult = { ok: true; value: boolean } | { ok: false };

export function parseBoolean(raw: unknown): BooleanResult {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  if (typeof raw === 'number') return raw === 1 ? { ok: true, value: true } : raw === 0 ? { ok: true, value: false } : { ok: false };
  if (typeof raw !== 'string') return { ok: false };
  const key = matchKey(raw);
  if (TRUE_WORDS.has(key)) return { ok: true, value: true };
  if (FALSE_WORDS.has(key)) return { ok: true, value: false };
  return { ok: false };
}

/** The words the template's drop-downs offer. */
export const BOOLEAN_CHOICES = ['是', '否'] as const;
