import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import type { S3EventRecordLike } from './s3-event-delivery';

/**
 * DynamoDB (dynalite) and S3 (s3rver) as real protocol servers, in this
 * process, on free loopback ports. State lives under `dir`, so `--local`
 * commands can share it between runs. The returned `env` is the standard AWS
 * SDK configuration pointing at them; callers apply it to process.env before
 * loading a handler, exactly as Lambda's environment would be set.
 */
export interface LocalAws {
  dir: string;
  env: Record<string, string>;
  /** s3rver emits one notification per write; subscribe to deliver them to ingest. */
  onObjectCreated(listener: (record: S3EventRecordLike) => void): () => void;
  stop(): Promise<void>;
}

/**
 * The state folder is held by another running command (`serve` until Ctrl-C,
 * or any `--local` command while it runs): its database cannot be opened
 * twice, so say so instead of failing with "Database is closed".
 */
export class StateDirInUseError extends Error {
  override readonly name = 'StateDirInUseError';
  constructor(
    readonly dir: string,
    readonly holder: { pid: number; command: string },
  ) {
    super(
      `本地数据文件夹 ${dir} 正被另一个 yearly-report 进程使用（进程号 ${holder.pid}：${holder.command}）。请等它结束（serve 用 Ctrl-C 停止），` +
        `或用 --local-dir 另指一个文件夹 (the local state folder is in use by process ${holder.pid}; stop it, or pass another --local-dir)`,
    );
  }
}

const LOCK_FILE = 'in-use.json';

/** Claims `dir` for this process, or throws StateDirInUseError; a claim left by a process that has ended is taken over. */
function claimStateDir(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  const claim = { pid: process.pid, command: ['yearly-report', ...process.argv.slice(2)].join(' ') };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(claim));
      closeSync(fd);
      return () => {
        try {
          if ((JSON.parse(readFileSync(file, 'utf8')) as { pid?: number }).pid === process.pid) unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readClaim(file);
      if (holder && isRunning(holder.pid)) throw new StateDirInUseError(dir, holder);
      // The holder ended without releasing it (killed): the folder is free.
      unlinkSync(file);
    }
  }
  throw new StateDirInUseError(dir, readClaim(file) ?? { pid: 0, command: '?' });
}

function readClaim(file: string): { pid: number; command: string } | undefined {
  try {
    const claim = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; command?: unknown };
    return typeof claim.pid === 'number' ? { pid: claim.pid, command: String(claim.command ?? '?') } : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function startLocalAws(dir: string): Promise<LocalAws> {
  mkdirSync(path.join(dir, 'dynamodb'), { recursive: true });
  mkdirSync(path.join(dir, 's3'), { recursive: true });
  const release = claimStateDir(dir);
  try {
    return await startEmulators(dir, release);
  } catch (err) {
    release();
    throw err;
  }
}

async function startEmulators(dir: string, release: () => void): Promise<LocalAws> {

  const dynamo = dynalite({ path: path.join(dir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(0, '127.0.0.1', () => resolve());
  });
  const dynamoPort = (dynamo.address() as AddressInfo).port;

  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(dir, 's3') });
  answerPutsOnlyWhenWritten(s3);
  const { port: s3Port } = await s3.run();

  const env = {
    AWS_REGION: 'us-east-1',
    // s3rver accepts only this key pair; dynalite accepts any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3Port}`,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynamoPort}`,
    // s3rver 3.7 corrupts uploads that carry the SDK's default flexible checksums.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    S3_FORCE_PATH_STYLE: 'true',
  };

  return {
    dir,
    env,
    onObjectCreated(listener) {
      const onEvent = (event: { Records: S3EventRecordLike[] }) => {
        for (const record of event.Records) if (record.eventName.startsWith('ObjectCreated')) listener(record);
      };
      s3.on('event', onEvent);
      return () => s3.off('event', onEvent);
    },
    async stop() {
      await s3.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
      release();
    },
  };
}

/**
 * s3rver 3.7 answers a PutObject when its checksum stream ends, which can be
 * before the file is on disk: a GetObject right after may read it short.
 * Holding the answer until the file has its full size closes that race.
 */
function answerPutsOnlyWhenWritten(s3: S3rver): void {
  const store = s3.store;
  const putObject = store.putObject.bind(store);
  store.putObject = async (object) => {
    const result = await putObject(object);
    const file = store.getResourcePath(object.bucket, object.key, 'object');
    for (let waited = 0; waited < 5000; waited += 2) {
      const { size } = await stat(file).catch(() => ({ size: -1 }));
      if (size === result.size) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return result;
  };
}
