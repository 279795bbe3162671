import type { LedgerColumn, LedgerDef } from '../../catalogue/schema';
import { matchKey } from './text';

/**
 * Ledger headers → column ids, built once per ledger definition (not per
 * row). A header matches a column by id, printed name or any alias from
 * ledgers.json, ignoring whitespace, full-width forms, a required-field
 * star and a trailing hint in brackets: "案号*", "收案日期（2021-03-05）".
 */
const cache = new WeakMap<LedgerDef, ReadonlyMap<string, LedgerColumn>>();

export function headerMap(ledger: LedgerDef): ReadonlyMap<string, LedgerColumn> {
  let map = cache.get(ledger);
  if (!map) {
    const m = new Map<string, LedgerColumn>();
    for (const column of ledger.columns) {
      for (const label of [column.id, column.name, ...column.aliases]) {
        const key = matchKey(label);
        if (!m.has(key)) m.set(key, column);
      }
    }
    map = m;
    cache.set(ledger, map);
  }
  return map;
}

/** Strips the decorations a template or a clerk adds around a header. */
export function headerKey(header: string): string {
  return matchKey(header).replace(/^[*＊]+|[*＊]+$/g, '');
}

export function resolveHeader(ledger: LedgerDef, header: string): LedgerColumn | undefined {
  const map = headerMap(ledger);
  const key = headerKey(header);
  const direct = map.get(key);
  if (direct) return direct;
  // "收案日期(2021-03-05)", "是否专职(是/否)", "案号(必填)": drop the bracketed hint.
  const bare = key.replace(/\([^)]*\)$/, '').replace(/^[*]+|[*]+$/g, '');
  return bare !== key ? map.get(bare) : undefined;
}

/** A generic lookup for fixed-layout sheets (cover, indicators, narratives). */
export function labelMatcher<K extends string>(labels: Readonly<Record<K, readonly string[]>>): (text: string) => K | undefined {
  const map = new Map<string, K>();
  for (const [key, names] of Object.entries(labels) as [K, readonly string[]][]) {
    for (const name of names) map.set(matchKey(name), key);
  }
  return (text: string) => {
    const key = headerKey(text).replace(/[:：]$/, '');
    return map.get(key) ?? map.get(key.replace(/\([^)]*\)$/, ''));
  };
}
