import { headerKey, resolveHeader } from '../../../shared/core/submission/normalize/headers';
import { catalogue } from './context';

describe('ledgers.json headers', () => {
  it.each(catalogue.ledgers.map((l) => [l.id, l] as const))('%s: every id, name and alias names exactly one column', (_id, ledger) => {
    const owner = new Map<string, string>();
    for (const column of ledger.columns) {
      for (const label of [column.id, column.name, ...column.aliases]) {
        const key = headerKey(label);
        const previous = owner.get(key);
        if (previous !== undefined && previous !== column.id) throw new Error(`"${label}" names both ${previous} and ${column.id}`);
        owner.set(key, column.id);
        expect(resolveHeader(ledger, label)?.id).toBe(column.id);
      }
    }
  });

  it('every enum column lists its values and every ledger fits an Excel sheet name', () => {
    for (const ledger of catalogue.ledgers) {
      expect(ledger.name.length).toBeLessThanOrEqual(31);
      expect(ledger.name).not.toMatch(/[\\/?*[\]:]/);
      for (const column of ledger.columns) if (column.type === 'enum') expect(column.values?.length).toBeGreaterThan(0);
    }
  });
});
