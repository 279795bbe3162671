import { toHalfWidth } from './text';

/**
 * Dates as people write them — 2021年3月5日, 2021.3.5, 2021/3/5, 2021-03-05,
 * 20210305 — and as Excel stores them (a serial day number, or a Date when
 * the reader applied the cell's date format). Always returns ISO YYYY-MM-DD.
 */
export type DateResult = { ok: true; iso: string } | { ok: false };

// Excel's day 0 is 1899-12-30 once its fictitious 1900-02-29 (serial 60) is skipped.
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
const MIN_SERIAL = 61; // 1900-03-01; earlier serials are not plausible report dates
const MAX_SERIAL = 73_051; // 2099-12-31

const SEPARATED = /^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

export function parseDate(raw: unknown): DateResult {
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) return { ok: false };
    return ymd(raw.getUTCFullYear(), raw.getUTCMonth() + 1, raw.getUTCDate());
  }
  if (typeof raw === 'number') return fromSerial(raw);
  if (typeof raw !== 'string') return { ok: false };
  const s = toHalfWidth(raw).trim();
  const m = SEPARATED.exec(s) ?? COMPACT.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  // A serial typed or exported as text ("44260").
  if (/^\d{5}(\.\d+)?$/.test(s)) return fromSerial(Number(s));
  return { ok: false };
}

function fromSerial(serial: number): DateResult {
  if (!Number.isFinite(serial) || serial < MIN_SERIAL || serial > MAX_SERIAL) return { ok: false };
  const d = new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS);
  return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function ymd(year: number, month: number, day: number): DateResult {
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return { ok: false };
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return { ok: false };
  return { ok: true, iso: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}

/** The Excel serial for an ISO date, for writing test fixtures and templates. */
export function toExcelSerial(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(y, m - 1, d) - EXCEL_EPOCH_MS) / DAY_MS);
}
