import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureCountyResources } from '../shared/local/county-resources';
import { LocalAws, startLocalAws } from '../shared/local/emulators';
import type { ObjectVersionRef } from '../shared/usecases/ports';
import { BENCH_YEAR } from './data';

/**
 * The emulators (dynalite + s3rver, in this process) in a throw-away folder,
 * with their endpoints applied to process.env as the SDK clients expect.
 * Started once per bench run and shared by the rows that need them.
 */
export interface BenchAws {
  aws: LocalAws;
  /** A fresh table with the county table's keys and indexes. */
  createTable(name: string): Promise<void>;
  createBuckets(...names: string[]): Promise<void>;
  /** Drops a table the bench is done with, so dynalite's store does not grow from run to run. */
  dropTable(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchAws(): Promise<BenchAws> {
  const dir = mkdtempSync(path.join(tmpdir(), 'yearly-report-bench-'));
  const aws = await startLocalAws(dir);
  Object.assign(process.env, aws.env);
  return {
    aws,
    async createTable(table) {
      await ensureCountyResources({ buckets: [], table });
      await untilActive(table);
    },
    createBuckets: (...buckets) => ensureCountyResources({ buckets, table: 'bench-unused' }),
    async dropTable(name) {
      const client = new DynamoDBClient({});
      try {
        await client.send(new DeleteTableCommand({ TableName: name }));
      } finally {
        client.destroy();
      }
    },
    async stop() {
      await aws.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** dynalite answers CreateTable before the table takes writes (CREATING), even with createTableMs 0. */
async function untilActive(table: string): Promise<void> {
  const client = new DynamoDBClient({});
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        const out = await client.send(new DescribeTableCommand({ TableName: table }));
        if (out.Table?.TableStatus === 'ACTIVE') return;
      } catch (err) {
        if ((err as Error).name !== 'ResourceNotFoundException') throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`table ${table} did not become ACTIVE`);
  } finally {
    client.destroy();
  }
}

/**
 * The ObjectCreated delivery of an object the bench put, as ingest receives
 * it: the `sequence`-th delivery of the run (S3's sequencer orders them) at
 * `sequence` seconds past the given hour of 15 December of the bench year.
 */
export function benchDelivery(bucket: string, key: string, put: { ETag?: string }, size: number, sequence: number, hour: number): ObjectVersionRef {
  return {
    bucket,
    key,
    eTag: put.ETag?.replaceAll('"', ''),
    sequencer: sequence.toString(16).toUpperCase().padStart(16, '0'),
    size,
    eventTime: new Date(Date.UTC(BENCH_YEAR, 11, 15, hour, 0, sequence)).toISOString(),
    principal: 'AWS:bench',
  };
}

/**
 * Runs a bundled bench child in a fresh node and returns the JSON it prints.
 * The emulators answer from this process, so the child must not block it:
 * spawn, not spawnSync.
 */
export async function runChildJson<T>(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<T> {
  const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const proc = spawn(process.execPath, [file, ...args], { env });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  if (out.code !== 0) throw new Error((out.stderr || out.stdout).trim().split('\n').at(-1));
  return JSON.parse(out.stdout) as T;
}
