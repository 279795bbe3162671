import { mkdirSync } from 'node:fs';
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

export async function startLocalAws(dir: string): Promise<LocalAws> {
  mkdirSync(path.join(dir, 'dynamodb'), { recursive: true });
  mkdirSync(path.join(dir, 's3'), { recursive: true });

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
