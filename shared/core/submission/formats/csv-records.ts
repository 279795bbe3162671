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

/**
 * The lines of a CSV without a single quote character, or undefined when
 * csv-parse must read it. Without quotes, CSV is lines split at the record
 * delimiter and fields split at the field delimiter, and native split does
 * that several times faster than csv-parse's byte loop (Papa Parse's "fast
 * mode", enabled the same way: when no quote appears in the input). Most
 * files are like this: Excel quotes a field only when it holds a delimiter,
 * a quote or a line break.
 *
 * The result is exactly csv-parse's, with the options parseCsvSubmission
 * gives it (blank lines kept, a leading BOM dropped): its record delimiter is
 * the first line ending in the file (\r\n, \n or \r) and only that one; a
 * file whose lines end in more than one way, or with a line long enough to
 * meet csv-parse's record size limit, is left to csv-parse, which knows what
 * to do with them. (Differential test in test/unit/submission/csv.test.ts.)
 */
export function quoteFreeLines(input: string | Buffer, maxRecordBytes: number): string[] | undefined {
  if (input.indexOf('"') >= 0) return undefined;
  let text = typeof input === 'string' ? input : input.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text === '') return [];
  const cr = text.indexOf('\r');
  const lf = text.indexOf('\n');
  const ending = cr >= 0 && (lf < 0 || cr < lf) ? (lf === cr + 1 ? '\r\n' : '\r') : lf >= 0 ? '\n' : undefined;
  const lines = ending === undefined ? [text] : text.split(ending);
  // csv-parse counts bytes of the field it is reading: three per UTF-16 unit is the most UTF-8 needs.
  const maxChars = Math.floor(maxRecordBytes / 3);
  const other = ending === '\n' ? '\r' : ending === '\r' ? '\n' : undefined;
  if (other !== undefined && text.indexOf(other) >= 0) return undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > maxChars) return undefined;
    if (ending === '\r\n' && (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0)) return undefined;
  }
  // A line ending at the very end closes the last record; it does not open another.
  if (ending !== undefined && lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
