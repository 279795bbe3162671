import type { LedgerColumn } from '../catalogue/schema';
import type { ProblemCode } from './problem-codes';
import { parseBoolean } from './normalize/boolean';
import { parseDate } from './normalize/date';
import { isPlainDecimal, notANumberHint, parseQuantity } from './normalize/number';
import { cleanText, matchKey } from './normalize/text';

/**
 * Per-column cell converters, built once per ledger column from ledgers.json
 * and called for every cell: the hot path of a 100,000-row ledger, so they
 * allocate nothing on success and return a BadCell only on failure.
 */
// Local references to the normalizers: under CommonJS transpilation an imported
// binding is a property getter, paid once per cell of a 100,000-row ledger.
const quantity = parseQuantity;
const plainDecimal = isPlainDecimal;
const date = parseDate;
const boolean = parseBoolean;
const clean = cleanText;
const keyOf = matchKey;

/** Why a figure was refused, as the problem the clerk sees. */
export const QUANTITY_PROBLEM = { negative: 'NEGATIVE_NUMBER', not_a_number: 'NOT_A_NUMBER', too_large: 'NUMBER_TOO_LARGE' } as const satisfies Record<string, ProblemCode>;

export type LedgerCellValue = string | number | boolean | null;

export class BadCell {
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
  ) {}
}

export type CellConverter = (raw: unknown) => LedgerCellValue | BadCell;

/** Text of a cell whatever its type: a case number typed as a number is still "123". */
export function cellText(raw: unknown): string {
  if (typeof raw === 'string') return clean(raw);
  if (typeof raw === 'number') return String(raw);
  if (typeof raw === 'boolean') return raw ? '是' : '否';
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? '' : raw.toISOString().slice(0, 10);
  if (raw === null || raw === undefined) return '';
  return clean(String(raw));
}

export function converterFor(column: LedgerColumn): CellConverter {
  switch (column.type) {
    case 'string':
      return cellText;
    case 'integer':
    case 'number': {
      const integer = column.type === 'integer';
      return (raw) => {
        // A plain "125" or "12.5" (nearly every cell) is parseQuantity's own fast path, without its result object.
        if (typeof raw === 'string' && plainDecimal(raw)) {
          const value = Number(raw);
          return integer && !Number.isInteger(value) ? new BadCell('NOT_AN_INTEGER') : value;
        }
        const q = quantity(raw);
        if (!q.ok) return q.reason === 'not_a_number' ? new BadCell('NOT_A_NUMBER', notANumberHint(raw)) : new BadCell(QUANTITY_PROBLEM[q.reason]);
        if (q.approximate) return new BadCell('APPROXIMATE_NOT_ALLOWED', '台账中须填写准确数');
        if (integer && !Number.isInteger(q.value)) return new BadCell('NOT_AN_INTEGER');
        return q.value;
      };
    }
    case 'date':
      return (raw) => {
        const d = date(raw);
        return d.ok ? d.iso : new BadCell('BAD_DATE', '请按“2021-03-05”或“2021年3月5日”填写');
      };
    case 'boolean':
      return (raw) => {
        const b = boolean(raw);
        return b.ok ? b.value : new BadCell('BAD_BOOLEAN');
      };
    case 'enum': {
      const allowed = new Map<string, string>();
      for (const v of column.values ?? []) allowed.set(v, v).set(keyOf(v), v);
      const choices = (column.values ?? []).join('、');
      return (raw) => {
        const text = cellText(raw);
        const exact = allowed.get(text) ?? allowed.get(keyOf(text));
        return exact ?? new BadCell('BAD_ENUM', `可选：${choices}`);
      };
    }
  }
}
