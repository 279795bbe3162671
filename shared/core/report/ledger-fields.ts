import type { LoadedCatalogue } from '../catalogue/load';

/**
 * The ledger fields a report reads: per ledger, the fields its indicators'
 * derivations sum or filter on, and the fields distinct_count de-duplicates.
 * Every row still counts (count, share_where need the number of rows); any
 * other field never reaches a figure, so aggregation need not hold it. At a
 * million ledger rows that is the difference between the whole ledger in
 * memory and a few values per row.
 */
export type LedgerFieldSelection = ReadonlyMap<string, ReadonlySet<string>>;

export function ledgerFieldsUsed(catalogue: Pick<LoadedCatalogue, 'indicators'>): LedgerFieldSelection {
  const used = new Map<string, Set<string>>();
  const use = (ledger: string, ...fields: (string | undefined)[]) => {
    const set = used.get(ledger) ?? new Set<string>();
    used.set(ledger, set);
    for (const f of fields) if (f !== undefined) set.add(f);
  };
  for (const def of catalogue.indicators) {
    if (def.fromLedger) use(def.fromLedger.ledger, def.fromLedger.field, ...Object.keys(def.fromLedger.where ?? {}));
    if (def.aggregation.kind === 'distinct_count') use(def.aggregation.ledger, def.aggregation.field);
  }
  return used;
}
