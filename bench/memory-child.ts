import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { loadCounty } from '../shared/core/county/load';
import { SubmissionBuilder } from '../shared/core/submission/builder';
import { MAX_SUBMISSION_BYTES, parseSubmissionFile } from '../shared/core/submission/parse';
import { BENCH_UNIT, BENCH_YEAR } from './data';
import { peakRssMb } from './peak-rss';

/**
 * Run by cases/memory.ts in a fresh node process (bundled first, so no
 * TypeScript loader sits in the measured heap): reads one ledger file into a
 * buffer, as ingest does with the S3 object, parses it, and prints the
 * process's peak RSS. Mode "floor" only reads the file: node plus the bytes,
 * the least any ingest that downloads the object whole can use. Mode
 * "library" reads, decodes and runs csv-parse (sync) over the whole text at
 * once and keeps its records: what a parser that does not stream would hold.
 *
 *   node memory-child.js ours|floor|library <file> <fileName>
 */
async function main(): Promise<void> {
  const [mode, file, fileName] = process.argv.slice(2) as [string, string, string];
  // A bundle cannot find the repository from its own path; the parent says where the county lives.
  // As the handlers do: the bundled folder is named county/, the id comes from the environment.
  const county = loadCounty(process.env.COUNTY_CONFIG_DIR!, { expectedId: process.env.COUNTY_ID });
  const catalogue = county.catalogue;
  const rssBeforeMb = process.memoryUsage().rss / 1048576;
  const bytes = readFileSync(file);
  let outcome = 'read only';
  if (mode === 'library') {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const records = parse(text, { relax_column_count: true, info: true, bom: true, skip_empty_lines: false }) as unknown[];
    outcome = `${records.length} records`;
  }
  if (mode === 'ours') {
    const context = { county, catalogue, year: BENCH_YEAR, unitId: BENCH_UNIT };
    let result;
    if (bytes.length <= MAX_SUBMISSION_BYTES) {
      result = await parseSubmissionFile({ bytes, fileName, ...context });
    } else {
      // Over the upload limit parseSubmissionFile refuses at once; call the format's parser, as it would be called below the limit.
      const builder = new SubmissionBuilder(context, fileName.endsWith('.csv') ? 'csv' : 'xlsx');
      result = fileName.endsWith('.csv')
        ? await (await import('../shared/core/submission/formats/csv')).parseCsvSubmission(bytes, fileName, builder)
        : await (await import('../shared/core/submission/formats/xlsx')).parseXlsxSubmission(bytes, builder);
    }
    const kept = result.ok ? Object.values(result.submission.ledgers).reduce((n, rows) => n + rows.length, 0) : 0;
    outcome = result.ok ? `accepted, ${kept} rows kept` : `rejected: ${[...new Set(result.problems.map((p) => p.code))].slice(0, 4).join(', ')}`;
  }
  const maxRssMb = peakRssMb();
  process.stdout.write(JSON.stringify({ maxRssMb, rssBeforeMb, outcome, bytes: bytes.length }));
}

main().catch((err: Error) => {
  process.stderr.write(`${err.name}: ${err.message}\n`);
  process.exitCode = 1;
});
