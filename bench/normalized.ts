import type { NormalizedSubmission } from '../shared/core/submission/normalized';
import { BENCH_COUNTY, enforcementStaff } from './data';

/**
 * A normalized submission as the parser produces it for an enforcement staff
 * ledger of `rows` rows, built directly (no parsing), so the write benches
 * measure the writes alone and keep working while a parser is unfinished.
 */
export function normalizedStaffSubmission(unitId: string, year: number, rows: number, seed: number): NormalizedSubmission {
  const table = enforcementStaff(rows, seed, { typed: true });
  return {
    schemaVersion: 1,
    county: BENCH_COUNTY,
    year,
    unitId,
    format: 'xlsx',
    indicators: [],
    ledgers: {
      enforcement_staff: table.rows.map((cells, i) => ({
        row: i + 2,
        fields: { name: String(cells[0]), certificate_no: String(cells[1]), training_hours: typeof cells[2] === 'number' ? cells[2] : Number.parseFloat(String(cells[2])) || 0 },
      })),
    },
    narratives: [],
    warnings: [],
  };
}
