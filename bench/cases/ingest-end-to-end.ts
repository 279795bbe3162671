import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients';
import { DynamoRowStream, DynamoSubmissionRepository } from '../../shared/adapters/dynamo-submission-repository';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { formatErrorReport, MAX_SUBMISSION_BYTES, parseSubmissionFile } from '../../shared/core/submission/parse';
import { physicalNames } from '../../shared/storage/layout';
import { IngestDeps, ingestObject } from '../../shared/usecases/ingest-object';
import { BENCH_COUNTY, BENCH_UNIT, BENCH_YEAR } from '../data';
import { benchDelivery, type BenchAws } from '../local-aws';
import { alternate, median, round1, round3, timeMs } from '../measure';
import type { BenchRow } from '../report';
import { benchContext, parseOurs, staffFile } from './parse';

/**
 * ingest-end-to-end (issue 16): ingestObject on one N-row .xlsx upload (S3
 * get, parse, validate, normalise, rows streamed into BatchWriteItem,
 * pointer, audit) against the two things it is made of, each alone: parse
 * (parseSubmissionFile of the same bytes) and write (writeSubmission of the
 * same rows into a fresh table). The three alternate in one run; a round's
 * ratio is ours / max(parse, write), and the row's ratio their median.
 *
 * DynamoDB runs in a child process for this row: in the bench's own process
 * dynalite would spend the same thread the parser needs, so parse and write
 * could only add up, whatever ingest does; a real DynamoDB is another
 * machine. S3 (s3rver) stays in this process, as for every other row.
 */
export async function benchIngestEndToEnd(aws: BenchAws, rows: number, rounds: number): Promise<BenchRow> {
  const { county, catalogue } = benchContext();
  const names = physicalNames(BENCH_COUNTY, 'bench');
  await aws.createBuckets(names.submissionsBucket);
  const file = await staffFile('xlsx', rows, 0xe2e);
  const key = `submissions/${BENCH_YEAR}/${BENCH_UNIT}/${file.fileName}`;
  const s3 = createS3Client();
  const put = await s3.send(new PutObjectCommand({ Bucket: names.submissionsBucket, Key: key, Body: file.bytes }));
  const submission = (await parseOurs(file)).submission;

  const dynamo = await startDynaliteChild();
  const previousEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  // Every client and table helper reads the endpoint from the environment: for this row, the child's.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  const client = createDocumentClient();
  let sequence = 0;
  /** This process's CPU per side (ms, user + system): the parent's share of the work, apart from dynalite's. */
  const cpu: Record<string, number[]> = { ours: [], parse: [], write: [], unstreamed: [] };
  const withCpu = (side: string, work: () => Promise<unknown>) => async () => {
    const before = process.cpuUsage();
    await work();
    const used = process.cpuUsage(before);
    cpu[side]!.push((used.user + used.system) / 1000);
  };
  let highWater = 0;
  let rowsStored = 0;
  /** One ingestObject of the upload into a fresh table; `parse` is the real parser, with or without the row sink. */
  const ingestRun = async (round: number, side: 'ours' | 'unstreamed', parse: IngestDeps['parse']): Promise<number> => {
    const table = `bench-e2e-${side}-${round}`;
    await aws.createTable(table);
    const streams: DynamoRowStream[] = [];
    // The repository as ingest uses it, keeping its row streams for the queue's high-water mark.
    const repo = new (class extends DynamoSubmissionRepository {
      override openRowStream(year: number, unitId: string, token: string): DynamoRowStream {
        const stream = super.openRowStream(year, unitId, token);
        streams.push(stream);
        return stream;
      }
    })(client, table);
    sequence++;
    const ms = await timeMs(
      withCpu(side, async () => {
        const outcome = await ingestObject(benchDelivery(names.submissionsBucket, key, put, file.bytes.length, sequence, 3), {
          county,
          catalogue,
          objects: new S3ObjectStore(s3),
          repo,
          parse,
          formatErrorReport,
          maxBytes: MAX_SUBMISSION_BYTES,
          now: () => new Date(),
        });
        if (outcome.kind !== 'accepted') throw new Error(`ingest-end-to-end: the upload was ${outcome.kind}`);
        rowsStored = outcome.rows;
      }),
    );
    if (side === 'ours') highWater = Math.max(highWater, ...streams.map((s) => s.queue.highWater));
    await aws.dropTable(table);
    return ms;
  };
  try {
    const runs = await alternate(rounds, {
      ours: (round) => ingestRun(round, 'ours', parseSubmissionFile),
      parse: async () => timeMs(withCpu('parse', () => parseOurs(file))),
      write: async (round) => {
        const table = `bench-e2e-write-${round}`;
        await aws.createTable(table);
        const ms = await timeMs(withCpu('write', () => new DynamoSubmissionRepository(client, table).writeSubmission(BENCH_YEAR, BENCH_UNIT, 'bench-version', submission)));
        await aws.dropTable(table);
        return ms;
      },
      // Not in the ratio: the same ingest with streaming off (the parser keeps every row, then they are written), as before issue 16.
      unstreamed: (round) => ingestRun(round, 'unstreamed', (input) => parseSubmissionFile({ ...input, rowSink: undefined })),
    });
    const ours = runs.ours!;
    const parse = runs.parse!;
    const write = runs.write!;
    const unstreamed = runs.unstreamed!;
    const ratios = ours.map((ms, i) => ms / Math.max(parse[i]!, write[i]!));
    const secs = (ms: number[]) => ms.map((m) => (m / 1000).toFixed(2)).join('/') + ' s';
    return {
      id: 'ingest-end-to-end',
      value: Math.round(median(ours)),
      unit: 'ms',
      baseline: Math.round(median(ours.map((_, i) => Math.max(parse[i]!, write[i]!)))),
      ratio: round3(median(ratios)),
      note:
        `ingestObject of one ${rows.toLocaleString('en')}-row 行政执法人员名册 .xlsx (${(file.bytes.length / 1048576).toFixed(1)} MiB; ${rowsStored.toLocaleString('en')} rows stored) against parse alone (parseSubmissionFile) and write alone (writeSubmission of the same rows), ` +
        `${rounds} alternating rounds, fresh table per run; ratio = median over rounds of ours / max(parse, write); baseline = median of that max. ` +
        `DynamoDB: dynalite in a child process (in this process it would share the parser's thread); S3: s3rver in this process. ` +
        `Medians: ours ${round1(median(ours) / 1000)} s, parse ${round1(median(parse) / 1000)} s, write ${round1(median(write) / 1000)} s; ` +
        `the same ingest with streaming off (parse, then write; alternated too) ${round1(median(unstreamed) / 1000)} s, ours / that per round ${round3(median(ours.map((ms, i) => ms / unstreamed[i]!)))}; row queue high-water ${highWater} items; ` +
        `this process's CPU (median): ours ${round1(median(cpu.ours!) / 1000)} s, parse ${round1(median(cpu.parse!) / 1000)} s, write ${round1(median(cpu.write!) / 1000)} s, streaming off ${round1(median(cpu.unstreamed!) / 1000)} s (dynalite's is the child's). ` +
        `Runs: ours ${secs(ours)}; parse ${secs(parse)}; write ${secs(write)}; streaming off ${secs(unstreamed)}`,
    };
  } finally {
    client.destroy();
    s3.destroy();
    if (previousEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    else process.env.AWS_ENDPOINT_URL_DYNAMODB = previousEndpoint;
    await dynamo.stop();
  }
}

/** dynalite on a free loopback port in its own node process, its store in a throw-away folder (as the in-process one). */
async function startDynaliteChild(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'yearly-report-bench-dynalite-'));
  const script = `
    const server = require('dynalite')({ path: process.argv[1], createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'));
  `;
  const proc: ChildProcess = spawn(process.execPath, ['-e', script, dir], { cwd: path.join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    if (proc.exitCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      let err = '';
      proc.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { port: number }).port);
      });
      proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
      proc.once('error', reject);
      proc.once('exit', (code) => reject(new Error(`dynalite child exited (${code}): ${err.trim().split('\n').at(-1) ?? ''}`)));
    });
    return { endpoint: `http://127.0.0.1:${port}`, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
