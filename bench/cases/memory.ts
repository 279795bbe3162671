import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_LEDGER_ROWS, MAX_SUBMISSION_BYTES } from '../../shared/core/submission/limits';
import { lawsuitCases, ledgerCsv } from '../data';
import { round1, round3 } from '../measure';
import { describeError, type BenchRow } from '../report';
import { runChildJson, type BenchAws } from '../local-aws';
import { physicalNames } from '../../shared/storage/layout';
import { BENCH_COUNTY, BENCH_UNIT, BENCH_YEAR } from '../data';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../shared/adapters/aws-clients';
import { bundle, handlerEnv } from './cold-start';

/**
 * memory-ingest-50mb: peak RSS of a fresh node process that reads a ~50 MB
 * ledger CSV into memory (as ingest reads the S3 object) and parses it with
 * the real parser. Baseline: the same process reading the file and nothing
 * else. Child processes, because peak RSS is per process and this one holds
 * the emulators and every other bench's garbage.
 */
const REPO = path.resolve(__dirname, '..', '..');

export async function benchMemory(targetMb: number, aws?: BenchAws, wholeIngestMb?: number): Promise<BenchRow> {
  const dir = mkdtempSync(path.join(tmpdir(), 'yearly-report-bench-mem-'));
  try {
    // Rows are ~170 bytes; generate enough for the target size.
    const sample = ledgerCsv(lawsuitCases(2000, 0x3e3)).bytes.length / 2000;
    const rows = Math.round((targetMb * 1048576) / sample);
    const file = ledgerCsv(lawsuitCases(rows, 0x3e3));
    const filePath = path.join(dir, 'ledger.csv');
    writeFileSync(filePath, file.bytes);
    const child = await bundle(path.join(REPO, 'bench', 'memory-child.ts'), dir, 'memory-child');
    const run = (mode: 'ours' | 'floor' | 'library') => {
      const out = spawnSync(process.execPath, [child.file, mode, filePath, file.fileName], { env: handlerEnv(), encoding: 'utf8', timeout: 300_000 });
      if (out.status !== 0) throw new Error(`memory child (${mode}) failed: ${(out.stderr || out.stdout).trim().split('\n').at(-1)}`);
      return JSON.parse(out.stdout) as { maxRssMb: number; rssBeforeMb: number; outcome: string; bytes: number };
    };
    const floor = run('floor');
    const ours = run('ours');
    const library = run('library');
    let fullIngest = '';
    if (aws) {
      try {
        fullIngest = await wholeIngestAtLimit(aws, dir, wholeIngestMb);
      } catch (err) {
        fullIngest = `whole ingest at the size limit not measured: ${describeError(err)}`;
      }
    }
    const limits: string[] = [];
    if (file.bytes.length > MAX_SUBMISSION_BYTES) limits.push(`The file is over MAX_SUBMISSION_BYTES (${MAX_SUBMISSION_BYTES / 1048576} MiB), so ingest would refuse it before downloading; the CSV parser was called directly`);
    if (rows > MAX_LEDGER_ROWS) limits.push(`It has ${rows.toLocaleString('en')} rows, over MAX_LEDGER_ROWS (${MAX_LEDGER_ROWS.toLocaleString('en')}): every row is parsed and checked, the first ${MAX_LEDGER_ROWS.toLocaleString('en')} are kept, so this is the most a ledger can hold in memory`);
    return {
      id: 'memory-ingest-50mb',
      value: round1(ours.maxRssMb),
      unit: 'MB',
      baseline: round1(floor.maxRssMb),
      ratio: round3(ours.maxRssMb / floor.maxRssMb),
      note:
        `peak RSS (VmHWM, bench/peak-rss.ts) of a fresh node parsing a ${(file.bytes.length / 1048576).toFixed(1)} MiB 行政诉讼案件台账 CSV (${rows.toLocaleString('en')} rows) → ${ours.outcome}; ` +
        `baseline = the same process only reading the file (${round1(floor.rssBeforeMb)} MB before reading); ` +
        `for comparison, reading + decoding + csv-parse/sync of the whole text at once (${library.outcome}): ${round1(library.maxRssMb)} MB. ${[...limits, fullIngest].filter(Boolean).join('. ')}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The largest file ingest accepts (just under MAX_SUBMISSION_BYTES), ingested
 * whole by ingestObject in a child process against this process's emulators:
 * the object downloaded, parsed, every row written. Peak RSS of that child.
 */
async function wholeIngestAtLimit(aws: BenchAws, dir: string, targetMb?: number): Promise<string> {
  const sample = ledgerCsv(lawsuitCases(2000, 0x11e)).bytes.length / 2000;
  const bytes = targetMb === undefined ? MAX_SUBMISSION_BYTES * 0.98 : Math.min(targetMb * 1048576, MAX_SUBMISSION_BYTES * 0.98);
  const rows = Math.min(MAX_LEDGER_ROWS, Math.floor(bytes / sample));
  const file = ledgerCsv(lawsuitCases(rows, 0x11e));
  const names = physicalNames(BENCH_COUNTY, 'bench');
  await aws.createBuckets(names.submissionsBucket);
  const table = 'bench-memory-ingest';
  await aws.createTable(table);
  const key = `submissions/${BENCH_YEAR}/${BENCH_UNIT}/${file.fileName}`;
  const s3 = createS3Client();
  let eTag: string;
  try {
    const put = await s3.send(new PutObjectCommand({ Bucket: names.submissionsBucket, Key: key, Body: file.bytes }));
    eTag = put.ETag?.replaceAll('"', '') ?? 'bench';
  } finally {
    s3.destroy();
  }
  const child = await bundle(path.join(REPO, 'bench', 'memory-ingest-child.ts'), dir, 'memory-ingest-child');
  let result: { maxRssMb: number; peakAfterParseMb: number; outcome: string };
  try {
    result = await runChildJson(child.file, [key, eTag, String(file.bytes.length)], { ...handlerEnv(), ...aws.aws.env, SUBMISSIONS_BUCKET: names.submissionsBucket, TABLE_NAME: table });
  } finally {
    await aws.dropTable(table);
  }
  const which = targetMb === undefined ? 'the largest accepted file' : 'a file';
  return `Whole ingest (ingestObject: S3 get, parse, write, pointer) of ${which}, ${(file.bytes.length / 1048576).toFixed(1)} MiB / ${rows.toLocaleString('en')} rows, in a fresh node against the emulators: peak ${round1(result.maxRssMb)} MB, of which ${round1(result.peakAfterParseMb)} MB reached by the end of parsing (${result.outcome})`;
}
