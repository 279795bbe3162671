import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients';
import { DynamoSubmissionRepository } from '../../shared/adapters/dynamo-submission-repository';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { formatErrorReport, MAX_SUBMISSION_BYTES, parseSubmissionFile } from '../../shared/core/submission/parse';
import { physicalNames } from '../../shared/storage/layout';
import { ingestObject } from '../../shared/usecases/ingest-object';
import { BENCH_COUNTY, BENCH_UNIT, BENCH_YEAR } from '../data';
import { benchDelivery, type BenchAws } from '../local-aws';
import { median } from '../measure';
import { benchContext, FileKind, staffFile } from './parse';

/**
 * scaling-ingest: the whole ingest use case (ingestObject: dedup check, lock
 * check, S3 GetObject, parse, rows into DynamoDB, pointer, audit) for one
 * uploaded ledger of each size, each run into a fresh table. Returns the
 * median milliseconds per size.
 */
export async function scalingIngest(aws: BenchAws, kind: FileKind, sizes: readonly number[], roundsFor: (rows: number) => number): Promise<Map<number, number>> {
  const { county, catalogue } = benchContext();
  const names = physicalNames(BENCH_COUNTY, 'bench');
  const s3 = createS3Client();
  const client = createDocumentClient();
  const msBySize = new Map<number, number>();
  let sequence = 0;
  try {
    for (const rows of sizes) {
      const file = await staffFile(kind, rows, 0x5ca1e + rows);
      const key = `submissions/${BENCH_YEAR}/${BENCH_UNIT}/${file.fileName}`;
      const put = await s3.send(new PutObjectCommand({ Bucket: names.submissionsBucket, Key: key, Body: file.bytes }));
      const times: number[] = [];
      for (let round = 0; round < roundsFor(rows); round++) {
        const table = `bench-ingest-${rows}-${round}`;
        await aws.createTable(table);
        sequence++;
        const start = performance.now();
        const outcome = await ingestObject(benchDelivery(names.submissionsBucket, key, put, file.bytes.length, sequence, 2), {
          county,
          catalogue,
          objects: new S3ObjectStore(s3),
          repo: new DynamoSubmissionRepository(client, table),
          parse: parseSubmissionFile,
          formatErrorReport,
          maxBytes: MAX_SUBMISSION_BYTES,
          now: () => new Date(),
        });
        times.push(performance.now() - start);
        await aws.dropTable(table);
        if (outcome.kind !== 'accepted') throw new Error(`ingest of ${rows} rows: ${outcome.kind}${'problems' in outcome ? ` (${outcome.problems.slice(0, 2).map((p) => `${p.code} ${p.message}`).join(' | ')})` : ''}`);
        if (outcome.rows < rows) throw new Error(`ingest of ${rows} rows stored ${outcome.rows}`);
      }
      msBySize.set(rows, median(times));
    }
  } finally {
    s3.destroy();
    client.destroy();
  }
  return msBySize;
}
