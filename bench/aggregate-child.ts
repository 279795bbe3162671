import { createDocumentClient, createS3Client } from '../shared/adapters/aws-clients';
import { DynamoSubmissionRepository } from '../shared/adapters/dynamo-submission-repository';
import { S3ObjectStore } from '../shared/adapters/s3-object-store';
import { loadCounty } from '../shared/core/county/load';
import { aggregateYear } from '../shared/usecases/aggregate-year';

/**
 * Run by cases/aggregate-10x.ts in a fresh node process against the parent's
 * emulators (endpoints in the environment): one untimed aggregation of the
 * warm-up table (renderers loaded, code compiled, as in a warm Lambda), then
 * the timed one, as the aggregate Lambda runs it; then the process's peak RSS.
 *
 *   node aggregate-child.js <countyDir> <year> <warmTable> <table> <expectedUnits>
 */
async function main(): Promise<void> {
  const [countyDir, year, warmTable, table, expectedUnits] = process.argv.slice(2) as [string, string, string, string, string];
  const county = loadCounty(countyDir);
  const client = createDocumentClient();
  const s3 = createS3Client();
  const run = (tableName: string) =>
    aggregateYear(Number(year), {
      county,
      repo: new DynamoSubmissionRepository(client, tableName),
      objects: new S3ObjectStore(s3),
      reportsBucket: process.env.REPORTS_BUCKET!,
      now: () => new Date(),
      readConcurrency: 8,
    });
  await run(warmTable);
  const start = performance.now();
  const result = await run(table);
  const ms = performance.now() - start;
  client.destroy();
  s3.destroy();
  if (result.report.completeness.accepted !== Number(expectedUnits)) {
    throw new Error(`report counts ${result.report.completeness.accepted} accepted units, ${expectedUnits} were seeded`);
  }
  process.stdout.write(JSON.stringify({ ms, timings: result.timings, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

main().catch((err: Error) => {
  process.stderr.write(`${err.name}: ${err.message}\n`);
  process.exitCode = 1;
});
