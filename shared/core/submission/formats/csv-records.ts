import { Parser, type Options } from 'csv-parse';

/**
 * csv-parse, without its cost for ragged records, handing each record to a
 * callback as it is parsed.
 *
 * Ragged records: with relax_column_count, csv-parse still builds a CsvError
 * (stack trace, JSON deep copies of its context) for every record whose field
 * count differs from the first record's — about 45 µs and 1 KB each: 220,000
 * blank or one-field lines took 10 s and 220 MB. Our files are ragged by
 * design (blocks of different widths; rowFits() checks ledger rows itself),
 * so every record is declared the expected length before csv-parse checks it,
 * and relax_column_count is not needed.
 *
 * Callbacks: csv-parse's own loop (`api.parse`, what its stream and sync APIs
 * both run) is fed the bytes directly; each record goes to `onRecord` the
 * moment it is complete, so it dies young instead of waiting in an array
 * (csv-parse/sync) or passing through an object-mode stream (issue 16: the
 * garbage of 100,000 held records was a fifth of a parse).
 *
 * This reaches into csv-parse's parser object (`api.__onRecord`, `api.parse`,
 * `state`, `info`): if a csv-parse upgrade renames them, creating a parser
 * throws, and every CSV test fails at once rather than slowing down or
 * misreading silently.
 */
interface Api {
  __onRecord: (push: unknown) => unknown;
  state: { record: unknown[]; expectedRecordLength: number };
  info: { lines: number };
  parse: (buf: Buffer | undefined, end: boolean, push: (r: unknown) => void, close: () => void) => Error | undefined;
}

/** Returned by onRecord to stop reading (the rest of the input is not parsed). */
export const STOP = false;

/** The record's fields; `linesSoFar` is the number of lines csv-parse has read up to the record's end. */
export type OnRecord = (record: string[], linesSoFar: number) => boolean | void;

/** Thrown out of csv-parse's loop to stop it: never leaves this module. */
const stopped = new Error('stopped by the consumer');

export class RaggedRecords {
  private readonly api: Api;
  private stop = false;
  private readonly push: (r: unknown) => void;

  constructor(options: Options, onRecord: OnRecord) {
    const parser = new Parser({ ...options, relax_column_count: false });
    const api = (parser as unknown as { api?: Api }).api;
    if (!api || typeof api.__onRecord !== 'function' || typeof api.parse !== 'function' || !api.state || !Array.isArray(api.state.record) || !api.info || typeof api.info.lines !== 'number') {
      throw new Error('csv-parse internals changed: update shared/core/submission/formats/csv-records.ts');
    }
    const check = api.__onRecord.bind(api);
    const state = api.state;
    api.__onRecord = (push: unknown) => {
      state.expectedRecordLength = state.record.length;
      const error = check(push);
      // csv-parse returns an error from __onRecord out of its loop at once.
      return error ?? (this.stop ? stopped : undefined);
    };
    this.api = api;
    this.push = (r) => {
      if (onRecord(r as string[], api.info.lines) === STOP) this.stop = true;
    };
  }

  /**
   * Parses the next piece of input (a record may span pieces: csv-parse keeps
   * its state); `end` after the last. False once onRecord has stopped the
   * reading. Throws csv-parse's CsvError on a syntax error.
   */
  write(piece: string | Buffer | undefined, end: boolean): boolean {
    if (this.stop) return false;
    const error = this.api.parse(typeof piece === 'string' ? Buffer.from(piece) : piece, end, this.push, () => undefined);
    if (error === stopped) return false;
    if (error !== undefined) throw error;
    return true;
  }
}
