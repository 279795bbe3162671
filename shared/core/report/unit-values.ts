import type { LoadedCatalogue } from '../catalogue/load';
import type { LedgerDerivation } from '../catalogue/schema';
import type { LedgerRow, NormalizedSubmission } from '../submission/normalized';
import type { FigureSource } from './schema';

/**
 * One unit's value for one indicator, before it is combined with other
 * units'. Shared by buildReport (aggregation) and the file parser (which
 * warns the clerk when a summary number and the ledger disagree).
 */
export interface UnitIndicatorValue {
  indicatorId: string;
  value: number;
  approximate: boolean;
  qualifier?: string;
  /** A number typed in the summary sheet, or one counted from the unit's ledger rows. */
  origin: 'summary' | 'ledger';
  location: FigureSource['location'];
  raw?: string;
  note?: string;
}

/** A summary number that the unit's own ledger contradicts. The ledger wins; the clerk is told. */
export interface LedgerDisagreement {
  indicatorId: string;
  summary: number;
  ledger: number;
  ledgerId: string;
  rows: number;
}

export interface UnitValues {
  values: ReadonlyMap<string, UnitIndicatorValue>;
  disagreements: readonly LedgerDisagreement[];
  /** Indicator ids in the submission that the catalogue does not know. */
  unknownIndicators: readonly string[];
}

/**
 * Every catalogue indicator this submission gives a value for. A ledger the
 * unit keeps gives the figures derived from it (the template shows them as
 * 由台账自动统计, not for typing); a typed summary that contradicts its ledger
 * is reported and the ledger's count is used, never the typed figure
 * silently. An approximate summary ("300余") stands. A ledger that is present
 * but empty means "none" and yields 0.
 */
export function unitIndicatorValues(submission: NormalizedSubmission, catalogue: LoadedCatalogue, figures: LedgerFigures = ledgerFiguresOf(submission)): UnitValues {
  const values = new Map<string, UnitIndicatorValue>();
  const unknownIndicators: string[] = [];
  for (const item of submission.indicators) {
    if (!catalogue.indicatorById.has(item.indicatorId)) {
      unknownIndicators.push(item.indicatorId);
      continue;
    }
    values.set(item.indicatorId, {
      indicatorId: item.indicatorId,
      value: item.value,
      approximate: item.approximate,
      ...(item.qualifier !== undefined ? { qualifier: item.qualifier } : {}),
      origin: 'summary',
      location: { ...item.source },
      ...(item.raw !== undefined ? { raw: item.raw } : {}),
      ...(item.note !== undefined ? { note: item.note } : {}),
    });
  }

  const disagreements: LedgerDisagreement[] = [];
  for (const def of catalogue.indicators) {
    if (!def.fromLedger) continue;
    const ledger = figures(def.fromLedger);
    if (ledger === undefined) continue;
    const { rows, derived } = ledger;
    if (derived === null) continue;
    const summary = values.get(def.id);
    if (summary) {
      if (summary.approximate || sameNumber(summary.value, derived)) continue;
      // The ledger's rows are the evidence: its count is printed, never the typed figure that contradicts it.
      disagreements.push({ indicatorId: def.id, summary: summary.value, ledger: derived, ledgerId: def.fromLedger.ledger, rows });
    }
    values.set(def.id, {
      indicatorId: def.id,
      value: derived,
      approximate: false,
      origin: 'ledger',
      location: { ledger: def.fromLedger.ledger, rows },
    });
  }
  return { values, disagreements, unknownIndicators };
}

/**
 * A derivation's figure for one ledger: its row count and the derived value
 * (null when undefined), or undefined when the unit does not keep the ledger.
 * Either counted over rows in hand, or tallied as the rows streamed past
 * during ingest (DerivationTally), which never holds them all.
 */
export type LedgerFigures = (derivation: LedgerDerivation) => { rows: number; derived: number | null } | undefined;

export function ledgerFiguresOf(submission: Pick<NormalizedSubmission, 'ledgers'>): LedgerFigures {
  return (derivation) => {
    const rows = submission.ledgers[derivation.ledger];
    return rows === undefined ? undefined : { rows: rows.length, derived: deriveFromLedger(derivation, rows) };
  };
}

/** The value a derivation gives over ledger rows; null when it is undefined (a share of no rows). */
export function deriveFromLedger(derivation: LedgerDerivation, rows: readonly LedgerRow[]): number | null {
  const tally = new DerivationTally(derivation);
  for (const row of rows) tally.add(row);
  return tally.value();
}

/**
 * One derivation, row by row: the only implementation of what count, count_where,
 * sum and share_where mean, whether the rows are all in hand or stream past once.
 * The running sum adds in row order from 0, as a reduce over the rows would.
 */
export class DerivationTally {
  rows = 0;
  private matched = 0;
  private sum = 0;

  constructor(readonly derivation: LedgerDerivation) {}

  add(row: LedgerRow): void {
    this.rows++;
    const d = this.derivation;
    if (d.op === 'count_where' || d.op === 'share_where') {
      if (rowMatches(row, d.where)) this.matched++;
    } else if (d.op === 'sum' && d.field) {
      this.sum += asNumber(row.fields[d.field]) ?? 0;
    }
  }

  value(): number | null {
    const d = this.derivation;
    switch (d.op) {
      case 'count':
        return this.rows;
      case 'count_where':
        return this.matched;
      case 'sum':
        return d.field ? this.sum : null;
      case 'share_where':
        return this.rows === 0 ? null : (this.matched / this.rows) * 100;
    }
  }
}

export function rowMatches(row: LedgerRow, where: LedgerDerivation['where']): boolean {
  if (!where) return true;
  return Object.entries(where).every(([field, accepted]) => {
    const cell = row.fields[field];
    if (cell === null || cell === undefined) return false;
    // Parsers normalize types, but a JSON ledger may carry "42" for 42: compare as text.
    return accepted.some((want) => String(want) === String(cell).trim());
  });
}

function asNumber(cell: LedgerRow['fields'][string] | undefined): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell === 'string' && cell.trim() !== '') {
    const n = Number(cell.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

const sameNumber = (a: number, b: number) => Math.abs(a - b) < 1e-9;

export { supplyingLedger } from '../county/plan';
