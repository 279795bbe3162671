import { Parser, type Options } from 'csv-parse';

/**
 * csv-parse, without its cost for ragged records. With relax_column_count,
 * csv-parse still builds a CsvError (stack trace, JSON deep copies of its
 * context) for every record whose field count differs from the first
 * record's — about 45 µs and 1 KB each: 220,000 blank or one-field lines took
 * 10 s and 220 MB. Our files are ragged by design (blocks of different widths;
 * rowFits() checks ledger rows itself), so every record is declared the
 * expected length before csv-parse checks it, and relax_column_count is not
 * needed. This reaches into csv-parse's parser object (`api.__onRecord`,
 * `state`): if a csv-parse upgrade renames them, creating a parser throws,
 * and every CSV test fails at once rather than slowing down silently.
 */
type Api = { __onRecord: (push: unknown) => unknown; state: { record: unknown[]; expectedRecordLength: number }; parse: (buf: Buffer, end: boolean, push: (r: unknown) => void, close: () => void) => Error | undefined };

export function raggedParser(options: Options): Parser {
  const parser = new Parser({ ...options, relax_column_count: false });
  const api = (parser as unknown as { api?: Api }).api;
  if (!api || typeof api.__onRecord !== 'function' || !api.state || !Array.isArray(api.state.record)) {
    throw new Error('csv-parse internals changed: update shared/core/submission/formats/csv-records.ts');
  }
  const check = api.__onRecord.bind(api);
  const state = api.state;
  api.__onRecord = (push: unknown) => {
    state.expectedRecordLength = state.record.length;
    return check(push);
  };
  return parser;
}

/** All records of `input` at once (csv-parse/sync's loop, on a ragged parser). */
export function parseRagged(input: string | Buffer, options: Options): string[][] {
  const api = (raggedParser(options) as unknown as { api: Api }).api;
  const records: string[][] = [];
  const error = api.parse(typeof input === 'string' ? Buffer.from(input) : input, true, (r) => records.push(r as string[]), () => undefined);
  if (error !== undefined) throw error;
  return records;
}
