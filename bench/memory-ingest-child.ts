import { createDocumentClient, createS3Client } from '../shared/adapters/aws-clients';
import { DynamoSubmissionRepository } from '../shared/adapters/dynamo-submission-repository';
import { S3ObjectStore } from '../shared/adapters/s3-object-store';
import { loadCounty } from '../shared/core/county/load';
import { formatErrorReport, MAX_SUBMISSION_BYTES, parseSubmissionFile } from '../shared/core/submission/parse';
import { ingestObject } from '../shared/usecases/ingest-object';
import { peakRssMb } from './peak-rss';

/**
 * Run by cases/memory.ts in a fresh node process against the parent's
 * emulators (endpoints in the environment): one whole ingest of an object
 * already in the submissions bucket — GetObject, parse, every row written,
 * pointer, audit — as the ingest Lambda runs it, then the process's peak RSS.
 *
 *   node memory-ingest-child.js <key> <eTag> <size>
 */
async function main(): Promise<void> {
  const [key, eTag, size] = process.argv.slice(2) as [string, string, string];
  // As the handlers do: the bundled folder is named county/, the id comes from the environment.
  const county = loadCounty(process.env.COUNTY_CONFIG_DIR!, { expectedId: process.env.COUNTY_ID });
  const catalogue = county.catalogue;
  let peakAfterParseMb = 0;
  const s3 = createS3Client();
  const client = createDocumentClient();
  const outcome = await ingestObject(
    { bucket: process.env.SUBMISSIONS_BUCKET!, key, eTag, sequencer: '0000000000000001', size: Number(size), eventTime: new Date(Date.UTC(2021, 11, 15, 2)).toISOString(), principal: 'AWS:bench' },
    {
      county,
      catalogue,
      objects: new S3ObjectStore(s3),
      repo: new DynamoSubmissionRepository(client, process.env.TABLE_NAME!),
      // The peak so far when parsing ends says whether the writes raise it.
      parse: async (input) => {
        const result = await parseSubmissionFile(input);
        peakAfterParseMb = peakRssMb();
        return result;
      },
      formatErrorReport,
      maxBytes: MAX_SUBMISSION_BYTES,
      now: () => new Date(),
    },
  );
  s3.destroy();
  client.destroy();
  const detail = outcome.kind === 'accepted' ? `accepted, ${outcome.rows} items written` : outcome.kind === 'rejected' ? `rejected: ${outcome.problems.slice(0, 3).map((p) => p.code).join(', ')}` : outcome.kind;
  process.stdout.write(JSON.stringify({ maxRssMb: peakRssMb(), peakAfterParseMb, outcome: detail }));
}

main().catch((err: Error) => {
  process.stderr.write(`${err.name}: ${err.message}\n`);
  process.exitCode = 1;
});
