import type { LoadedCatalogue } from '../catalogue/load';
import type { LedgerDef, LedgerDerivation } from '../catalogue/schema';
import { DerivationTally, LedgerFigures } from '../report/unit-values';
import type { LedgerRow } from './normalized';

/**
 * Where accepted ledger rows go when they are not held in the submission: ingest
 * writes them to DynamoDB while the file is still being parsed. The parser asks
 * `full` before each source row and awaits `room()` while it is set
 * (back-pressure); one source row gives at most ROWS_PER_PARSER_STEP ledger rows.
 */
export interface LedgerRowSink {
  readonly full: boolean;
  /** Resolves when the parser may go on; never rejects (a failed sink stops being full and drops rows). */
  room(): Promise<void>;
  /** One accepted row; `index` counts the ledger's rows from 0 in file order. */
  put(ledgerId: string, index: number, row: LedgerRow): void;
}

/**
 * The most ledger rows one step of a parser (one source row) can hand over: a
 * sheet recognised by its header replays the rows it held while looking for it
 * (tables.ts GuessingReader, at most MAX_HEADER_SEARCH_ROWS of them).
 */
export { MAX_HEADER_SEARCH_ROWS as ROWS_PER_PARSER_STEP } from './layout';

/**
 * One ledger whose rows stream to a sink: what the end-of-file checks need is
 * kept (the row count, each derivation's running tally for the ledger summary
 * check, the first `sampleSize` rows for the schema check, which samples a held
 * ledger the same way), never the rows themselves.
 * It stands where the builder otherwise keeps the ledger's array.
 */
export class StreamedLedger {
  length = 0;
  readonly sample: LedgerRow[] = [];
  private readonly tallies: DerivationTally[];

  constructor(
    private readonly ledger: LedgerDef,
    private readonly sink: LedgerRowSink,
    private readonly sampleSize: number,
    tallyFor: Map<LedgerDerivation, DerivationTally>,
    catalogue: LoadedCatalogue,
  ) {
    this.tallies = [];
    for (const def of catalogue.indicators) {
      if (def.fromLedger?.ledger !== ledger.id) continue;
      const tally = new DerivationTally(def.fromLedger);
      tallyFor.set(def.fromLedger, tally);
      this.tallies.push(tally);
    }
  }

  push(row: LedgerRow): void {
    if (this.sample.length < this.sampleSize) this.sample.push(row);
    for (let i = 0; i < this.tallies.length; i++) this.tallies[i]!.add(row);
    this.sink.put(this.ledger.id, this.length, row);
    this.length++;
  }
}

/** The ledger figures of streamed ledgers, from their tallies (a ledger not kept has none). */
export function streamedFigures(ledgers: ReadonlyMap<string, StreamedLedger>, tallies: ReadonlyMap<LedgerDerivation, DerivationTally>): LedgerFigures {
  return (derivation) => {
    const ledger = ledgers.get(derivation.ledger);
    if (!ledger) return undefined;
    const tally = tallies.get(derivation);
    // Every derivation of a streamed ledger got its tally when the ledger opened (StreamedLedger).
    if (!tally) throw new Error(`internal: no tally for a ${derivation.op} over ${derivation.ledger}`);
    return { rows: ledger.length, derived: tally.value() };
  };
}
