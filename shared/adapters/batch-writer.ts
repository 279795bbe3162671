import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../core/errors';

/**
 * BatchWriteItem in chunks of 25 at a bounded concurrency. UnprocessedItems
 * and throttling are retried with exponential backoff and full jitter; if a
 * chunk still fails, a TransientError sends the SQS record back for a retry,
 * so a write is never silently dropped.
 */
export interface BatchWriteOptions {
  concurrency?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

const BATCH_SIZE = 25;
const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/** Where batches come from when they are made while writing goes on (a file still being parsed). */
export interface ChunkSource {
  /** The next requests, at most `max`; an empty chunk ends the writing. */
  take(max: number): Promise<WriteRequest[]>;
  /** Called on the first failure: nothing more will be taken, so whoever fills the source must stop waiting. */
  stop(): void;
}

export async function batchWrite(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: Iterable<WriteRequest> | ChunkSource,
  options: BatchWriteOptions = {},
): Promise<void> {
  const { concurrency = 8, maxAttempts = 8, baseDelayMs = 25, sleep = defaultSleep } = options;
  let nextChunk: () => WriteRequest[] | Promise<WriteRequest[]>;
  let stop = () => {};
  if ('take' in requests) {
    const source = requests;
    nextChunk = () => source.take(BATCH_SIZE);
    stop = () => source.stop();
  } else {
    // Requests are pulled 25 at a time as workers free up, so a generator's
    // items never all exist at once.
    const source = requests[Symbol.iterator]();
    nextChunk = (): WriteRequest[] => {
      const chunk: WriteRequest[] = [];
      while (chunk.length < BATCH_SIZE) {
        const next = source.next();
        if (next.done) break;
        chunk.push(next.value);
      }
      return chunk;
    };
  }
  // After the first failure no worker starts another batch, and the failure is
  // thrown only once every batch in flight has settled: a caller that then
  // deletes what was written finds everything that will ever land.
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    try {
      while (!failure) {
        const chunk = await nextChunk();
        if (chunk.length === 0 || failure) return;
        await writeChunk(chunk);
      }
    } catch (error) {
      if (!failure) {
        failure = { error };
        stop();
      }
    }
  };

  const writeChunk = async (chunk: WriteRequest[]) => {
    let pending = chunk;
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (out.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
        if (pending.length === 0) return;
      } catch (err) {
        if (!THROTTLING.has((err as Error).name)) throw err;
      }
      if (attempt >= maxAttempts) {
        throw new TransientError(`BatchWriteItem: ${pending.length} items still unprocessed after ${attempt} attempts`);
      }
      await sleep(Math.random() * baseDelayMs * 2 ** attempt);
    }
  };

  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failure) throw failure.error;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
