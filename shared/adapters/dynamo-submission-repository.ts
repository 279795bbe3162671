import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  QueryCommandInput,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { TABLE_DESIGN } from '../storage/layout';
import type { LedgerFieldSelection } from '../core/report/ledger-fields';
import { LedgerRow, NormalizedSubmission, NormalizedSubmissionSchema } from '../core/submission/normalized';
import {
  AuditEntry,
  CurrentPointer,
  SubmissionRepository,
  VersionRecord,
  YearLock,
} from '../usecases/ports';
import { StorageRejectedError } from '../core/errors';
import { LockEvent, lockStateAt, sortLockEvents } from '../core/lock-history';
import { itemBytes, MAX_ITEM_BYTES } from '../storage/item-size';
import { batchWrite, BatchWriteOptions, WriteRequest } from './batch-writer';
import { BoundedQueue } from '../core/bounded-queue';
import { ROWS_PER_PARSER_STEP } from '../core/submission/row-sink';
import type { SubmissionRowStream } from '../usecases/ports';

/**
 * The submissions table, one per county. Item keys:
 *   YEAR#<y>                 CURRENT#<unit>        pointer to the unit's current version (readers start here)
 *   YEAR#<y>                 LATEST#<unit>         newest version received, whatever its outcome
 *   YEAR#<y>                 AUDIT#<at>#<unit>#…   audit trail (also on gsi1 by unit)
 *   YEAR#<y>                 LOCKLOG#<at>#<id>     lock history, append-only (core/lock-history.ts)
 *   OBJ#<s3 key>             VER#<version token>   outcome of one object version (deduplication)
 *   DATA#<y>#<unit>#<token>  META | WARN#… | IND#… | LED#… | NAR#…  the rows of one submission version
 *                            (warnings in WARN# chunks, so META stays small whatever their number)
 * A submission's rows are written before its pointer moves, with a
 * conditional write, so a reader never sees half a submission (dynalite has
 * no transactions; this needs none).
 * Every item carries `year`, so a year can be wiped and replayed.
 */
const { partitionKey, sortKey } = TABLE_DESIGN;
const PK = partitionKey.name;
const SK = sortKey.name;
const GSI = TABLE_DESIGN.globalSecondaryIndexes[0];

const yearPk = (year: number) => `YEAR#${year}`;
const dataPk = (year: number, unitId: string, token: string) => `DATA#${year}#${unitId}#${token}`;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

type Item = Record<string, unknown>;

export class DynamoSubmissionRepository implements SubmissionRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly writeOptions: BatchWriteOptions = {},
  ) {}

  async getVersion(s3Key: string, versionToken: string): Promise<VersionRecord | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { [PK]: `OBJ#${s3Key}`, [SK]: `VER#${versionToken}` }, ConsistentRead: true }),
    );
    return out.Item ? stripKeys<VersionRecord>(out.Item) : undefined;
  }

  async putVersion(record: VersionRecord): Promise<void> {
    await this.put({ [PK]: `OBJ#${record.s3Key}`, [SK]: `VER#${record.versionToken}`, ...record });
  }

  /** Writes the submission's items as they are made; returns how many data rows (indicator values, ledger rows, narrative items) it stored. */
  async writeSubmission(year: number, unitId: string, token: string, submission: NormalizedSubmission): Promise<number> {
    const pk = dataPk(year, unitId, token);
    const { indicators, ledgers, narratives, warnings, ...meta } = submission;
    function* items(): Generator<WriteRequest> {
      const put = (Item: Item): WriteRequest => {
        // Measured as DynamoDB will (UTF-8 bytes), before the write: dynalite counts characters and would let it pass.
        const bytes = itemBytes(Item);
        if (bytes > MAX_ITEM_BYTES) throw new StorageRejectedError(`item ${String(Item[SK])} is ${bytes} bytes; DynamoDB's limit is ${MAX_ITEM_BYTES}`);
        return { PutRequest: { Item } };
      };
      yield put({ [PK]: pk, [SK]: 'META', ...meta });
      for (const [i, chunk] of chunkBySize(warnings, WARNING_CHUNK_BYTES).entries()) yield put({ [PK]: pk, [SK]: `WARN#${pad(i, 5)}`, year, warnings: chunk });
      for (const value of indicators) yield put({ [PK]: pk, [SK]: `IND#${value.indicatorId}`, year, value });
      for (const [ledgerId, rows] of Object.entries(ledgers)) {
        for (const [i, row] of rows.entries()) yield put(ledgerRowItem(pk, year, ledgerId, i, row));
      }
      for (const [i, item] of narratives.entries()) yield put({ [PK]: pk, [SK]: `NAR#${pad(i, 5)}`, year, item });
    }
    await refusedAsPermanent(batchWrite(this.client, this.tableName, items(), this.writeOptions));
    return indicators.length + Object.values(ledgers).reduce((n, rows) => n + rows.length, 0) + narratives.length;
  }

  openRowStream(year: number, unitId: string, token: string): DynamoRowStream {
    return new DynamoRowStream(this.client, this.tableName, dataPk(year, unitId, token), year, this.writeOptions);
  }

  async deleteSubmission(year: number, unitId: string, token: string): Promise<void> {
    const keys = await this.queryAll({ KeyConditionExpression: '#pk = :pk', ExpressionAttributeValues: { ':pk': dataPk(year, unitId, token) }, ProjectionExpression: '#pk, #sk', ExpressionAttributeNames: { '#pk': PK, '#sk': SK } });
    await batchWrite(this.client, this.tableName, keys.map((k) => ({ DeleteRequest: { Key: { [PK]: k[PK], [SK]: k[SK] } } })), this.writeOptions);
  }

  async readSubmission(year: number, unitId: string, token: string, options: { ledgerFields?: LedgerFieldSelection } = {}): Promise<NormalizedSubmission> {
    const { ledgerFields } = options;
    let meta: Item | undefined;
    const ledgers: NormalizedSubmission['ledgers'] = {};
    const indicators: unknown[] = [];
    const narratives: unknown[] = [];
    // Warnings live in WARN# items (split to keep each item under 400 KB); versions written before that keep them on META.
    const warningChunks: unknown[] = [];
    const pk = dataPk(year, unitId, token);
    const take = (items: Item[]) => {
      for (const item of items) {
        const sk = item[SK] as string;
        if (sk.startsWith('LED#')) {
          const ledgerId = item.ledgerId as string;
          const rows = (ledgers[ledgerId] ??= []);
          rows.push(ledgerFields ? projectedRow(item.row, ledgerFields.get(ledgerId), sk) : (item.row as LedgerRow));
        } else if (sk.startsWith('IND#')) indicators.push(item.value);
        else if (sk.startsWith('NAR#')) narratives.push(item.item);
        else if (sk.startsWith('WARN#')) warningChunks.push(...(item.warnings as unknown[]));
        else if (sk === 'META') meta = item;
      }
    };
    // Page by page, so no page outlives its turn. Items come back in sort-key order, so ledger rows and narratives
    // keep their order.
    const query: Omit<QueryCommandInput, 'TableName'> = { KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': PK }, ExpressionAttributeValues: { ':pk': pk } };
    if (ledgerFields) {
      // DynamoDB sends only what is read: of a ledger row, its number and the selected fields; of every other item,
      // all it holds (META's attributes are the submission's own top-level fields, named by its schema).
      const fields = [...new Set([...ledgerFields.values()].flatMap((f) => [...f]))];
      const attributes = [SK, 'ledgerId', 'value', 'item', ...metaAttributeNames()];
      // DynamoDB refuses a name no expression uses: '#fs' only when some field is read (an empty selection reads row numbers).
      const names: Record<string, string> = { '#pk': PK, '#r': 'row', ...(fields.length ? { '#fs': 'fields' } : {}) };
      attributes.forEach((a, i) => (names[`#a${i}`] = a));
      fields.forEach((f, i) => (names[`#f${i}`] = f));
      query.ExpressionAttributeNames = names;
      query.ProjectionExpression = [...attributes.map((_, i) => `#a${i}`), '#r.#r', ...fields.map((_, i) => `#r.#fs.#f${i}`)].join(', ');
    }
    await this.queryPages(query, take);
    if (!meta) throw new Error(`submission ${unitId}/${token} for ${year} has no META item`);
    const stored = stripKeys<Omit<NormalizedSubmission, 'indicators' | 'ledgers' | 'narratives' | 'warnings'> & { warnings?: unknown[] }>(meta);
    const submission = { ...stored, indicators, ledgers, narratives, warnings: [...(stored.warnings ?? []), ...warningChunks] };
    if (!ledgerFields) return NormalizedSubmissionSchema.parse(submission);
    // The projected rows were checked one by one as they came (projectedRow): zod would copy every one of them,
    // and at a million rows that copy is what breaks the memory budget. The rest goes through zod as usual.
    return { ...NormalizedSubmissionSchema.parse({ ...submission, ledgers: {} }), ledgers };
  }

  async getCurrent(year: number, unitId: string): Promise<CurrentPointer | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { [PK]: yearPk(year), [SK]: `CURRENT#${unitId}` }, ConsistentRead: true }));
    return out.Item ? stripKeys<CurrentPointer>(out.Item) : undefined;
  }

  async listCurrent(year: number): Promise<CurrentPointer[]> {
    return (await this.queryPrefix(yearPk(year), 'CURRENT#')).map((i) => stripKeys<CurrentPointer>(i));
  }

  async moveCurrent(pointer: CurrentPointer): Promise<boolean> {
    return this.putIfNewer({ [PK]: yearPk(pointer.year), [SK]: `CURRENT#${pointer.unitId}`, ...pointer }, pointer.orderKey, '<');
  }

  async putLatest(record: VersionRecord): Promise<void> {
    // An older version arriving late does not replace the newest one's status; the same one may be recorded again.
    await this.putIfNewer({ [PK]: yearPk(record.year), [SK]: `LATEST#${record.unitId}`, ...record }, record.orderKey, '<=');
  }

  /** Puts the item unless the stored one has a newer orderKey; false when the condition kept the stored one. */
  private async putIfNewer(item: Item, orderKey: string, storedMustBe: '<' | '<='): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: `attribute_not_exists(#pk) OR #order ${storedMustBe} :order`,
          ExpressionAttributeNames: { '#pk': PK, '#order': 'orderKey' },
          ExpressionAttributeValues: { ':order': orderKey },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async listLatest(year: number): Promise<VersionRecord[]> {
    return (await this.queryPrefix(yearPk(year), 'LATEST#')).map((i) => stripKeys<VersionRecord>(i));
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    const keyedByVersion = entry.receivedAt !== undefined && entry.versionToken !== undefined && VERSION_OUTCOMES.has(entry.outcome);
    const item = { [GSI.partitionKey.name]: `UNIT#${entry.year}#${entry.unitId}`, [GSI.sortKey.name]: entry.at, ...entry };
    if (!keyedByVersion) {
      await this.put({ [PK]: yearPk(entry.year), [SK]: `AUDIT#${entry.at}#${entry.unitId}#${entry.versionToken ?? '-'}#${entry.outcome}`, ...item });
      return;
    }
    // One entry per version and outcome, whoever writes it again (a redelivery after a crash, a replay):
    // the first stays, with its time and uploader.
    await this.putIfAbsent({ [PK]: yearPk(entry.year), [SK]: `AUDIT#V#${entry.unitId}#${entry.versionToken}#${entry.outcome}`, ...item });
  }

  /** In time order (outcome entries are keyed by version, events by time). */
  async listAudit(year: number): Promise<AuditEntry[]> {
    return (await this.queryPrefix(yearPk(year), 'AUDIT#')).map((i) => stripKeys<AuditEntry>(i)).sort((a, b) => a.at.localeCompare(b.at));
  }

  async appendLockEvent(event: LockEvent): Promise<void> {
    await refusedAsPermanent(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { [PK]: yearPk(event.year), [SK]: `LOCKLOG#${event.at}#${event.id}`, ...event },
          // Append-only: an event is never replaced.
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      ),
    );
  }

  async listLockEvents(year: number): Promise<LockEvent[]> {
    return sortLockEvents((await this.queryPrefix(yearPk(year), 'LOCKLOG#')).map((i) => stripKeys<LockEvent>(i)));
  }

  async getLock(year: number): Promise<YearLock | undefined> {
    const { locked } = lockStateAt(await this.listLockEvents(year), new Date().toISOString());
    return locked ? { year, lockedAt: locked.at, lockedBy: locked.by.principal, ...(locked.reason !== undefined ? { reason: locked.reason } : {}) } : undefined;
  }

  async listLockExceptions(year: number): Promise<string[]> {
    return [...lockStateAt(await this.listLockEvents(year), new Date().toISOString()).exceptions];
  }

  async wipeProjection(year: number): Promise<number> {
    return this.wipe(year, (sk) => !sk.startsWith('AUDIT#') && !sk.startsWith('LOCKLOG#'));
  }

  async wipeYear(year: number): Promise<number> {
    return this.wipe(year, () => true);
  }

  private async wipe(year: number, remove: (sk: string) => boolean): Promise<number> {
    const keys: Item[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#year = :year',
          ProjectionExpression: '#pk, #sk',
          ExpressionAttributeNames: { '#year': 'year', '#pk': PK, '#sk': SK },
          ExpressionAttributeValues: { ':year': year },
          ExclusiveStartKey,
        }),
      );
      keys.push(...(out.Items ?? []).filter((k) => remove(String(k[SK]))));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    await batchWrite(this.client, this.tableName, keys.map((k) => ({ DeleteRequest: { Key: { [PK]: k[PK], [SK]: k[SK] } } })), this.writeOptions);
    return keys.length;
  }

  private async putIfAbsent(item: Item): Promise<void> {
    try {
      await refusedAsPermanent(this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } })));
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException || (err as Error).name === 'ConditionalCheckFailedException')) throw err;
    }
  }

  private async put(item: Item): Promise<void> {
    await refusedAsPermanent(this.client.send(new PutCommand({ TableName: this.tableName, Item: item })));
  }

  private queryPrefix(pk: string, skPrefix: string): Promise<Item[]> {
    return this.queryAll({
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
    });
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(new QueryCommand({ ...input, TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey }));
      items.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
  private async queryPages(input: Omit<QueryCommandInput, 'TableName'>, onPage: (items: Item[]) => void): Promise<void> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(new QueryCommand({ ...input, TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey }));
      onPage(out.Items ?? []);
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

}

const ledgerRowItem = (pk: string, year: number, ledgerId: string, index: number, row: LedgerRow): Item => ({ [PK]: pk, [SK]: `LED#${ledgerId}#${pad(index, 8)}`, year, ledgerId, row });

/**
 * Rows waiting for a writer, at most: a batch for each of the 8 writers (the
 * batches in flight are as many again). The parser waits when it is full.
 */
export const ROW_QUEUE_CAPACITY = 8 * 25;
/**
 * A parser that waited goes on when the queue is down to half: it then parses
 * ~100 rows at a stretch instead of 25, so parsing and the writers' responses
 * (one thread) switch a quarter as often.
 */
const ROW_QUEUE_RESUME_AT = ROW_QUEUE_CAPACITY / 2;

/**
 * The ledger rows of one version, written while the file is parsed: put()
 * builds and measures each item (as writeSubmission does) and queues it;
 * batchWrite's workers take 25 at a time at its concurrency, with its retries.
 * A failure (a refused item, a write that exhausts its retries) stops the
 * writers and makes the queue drop rows, so the parser runs to the end of the
 * file and every problem in it is still reported; close() then throws it.
 */
export class DynamoRowStream implements SubmissionRowStream {
  readonly queue = new BoundedQueue<WriteRequest>(ROW_QUEUE_CAPACITY, ROWS_PER_PARSER_STEP, ROW_QUEUE_RESUME_AT);
  taken = 0;
  private failure: { error: unknown } | undefined;
  private readonly writing: Promise<void>;

  constructor(client: DynamoDBDocumentClient, tableName: string, private readonly pk: string, private readonly year: number, options: BatchWriteOptions) {
    const queue = this.queue;
    this.writing = refusedAsPermanent(batchWrite(client, tableName, { take: (max) => queue.take(max), stop: () => queue.discard() }, options)).catch((error: unknown) => {
      this.fail(error);
    });
  }

  get full(): boolean {
    return this.queue.full;
  }

  room(): Promise<void> {
    return this.queue.room();
  }

  put(ledgerId: string, index: number, row: LedgerRow): void {
    if (this.failure) return;
    const Item = ledgerRowItem(this.pk, this.year, ledgerId, index, row);
    const bytes = itemBytes(Item);
    if (bytes > MAX_ITEM_BYTES) {
      this.fail(new StorageRejectedError(`item ${String(Item[SK])} is ${bytes} bytes; DynamoDB's limit is ${MAX_ITEM_BYTES}`));
      return;
    }
    this.queue.push({ PutRequest: { Item } });
    this.taken++;
  }

  async close(): Promise<number> {
    this.queue.close();
    await this.writing;
    if (this.failure) throw this.failure.error;
    return this.taken;
  }

  async abort(): Promise<void> {
    this.queue.discard();
    await this.writing;
  }

  private fail(error: unknown): void {
    this.failure ??= { error };
    this.queue.discard();
  }
}

/** An upload's outcome is recorded once per version (a repeat overwrites it); other entries are events, one per occurrence. */
const VERSION_OUTCOMES: ReadonlySet<AuditEntry['outcome']> = new Set(['accepted', 'rejected', 'superseded']);

/** Warnings per WARN# item: well under the item limit, so a chunk never needs measuring twice. */
const WARNING_CHUNK_BYTES = 256 * 1024;

/** Consecutive runs of `values` whose measured size stays under `maxBytes` each. */
export function chunkBySize<T>(values: readonly T[], maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const v of values) {
    const bytes = itemBytes({ v });
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(v);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * DynamoDB's ValidationException (an item too large, a key too long) and the
 * marshaller's refusals (a number beyond 2^53, an unsupported type) fail the
 * same way on every retry: a StorageRejectedError rejects the file instead of
 * cycling it to the DLQ. Anything else passes through unchanged.
 */
const MARSHALLING = /MAX_SAFE_INTEGER|Unsupported type passed|removeUndefinedValues|convertClassInstanceToMap|Number .* is (greater|lesser) than/;

export async function refusedAsPermanent<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    const e = err as Error;
    if (e.name === 'ValidationException' || (!(e instanceof StorageRejectedError) && MARSHALLING.test(e.message ?? ''))) {
      throw new StorageRejectedError(`${e.name}: ${e.message}`);
    }
    throw err;
  }
}

const KEY_ATTRIBUTES = [PK, SK, GSI.partitionKey.name, GSI.sortKey.name];

function stripKeys<T>(item: Item, extra: readonly string[] = []): T {
  const copy: Item = { ...item };
  for (const k of [...KEY_ATTRIBUTES, ...extra]) delete copy[k];
  return copy as T;
}

let metaAttributes: string[] | undefined;

/** The META item's attributes: a submission's top-level fields other than its rows (the schema is built on first use). */
function metaAttributeNames(): string[] {
  metaAttributes ??= Object.keys(NormalizedSubmissionSchema._zod.innerType.shape).filter((k) => k !== 'indicators' && k !== 'ledgers' && k !== 'narratives');
  return metaAttributes;
}

/**
 * A ledger row as the projected Query returned it, kept as is (no copy): DynamoDB sent its number and the fields
 * selected for any ledger; those selected for another ledger are dropped, and a row whose selected fields are all
 * absent gets empty fields (DynamoDB leaves the map out). Checked as LedgerRowSchema would check it.
 */
function projectedRow(stored: unknown, selected: ReadonlySet<string> | undefined, sk: string): LedgerRow {
  const row = stored as { row?: unknown; fields?: Record<string, unknown> } | null | undefined;
  if (typeof row !== 'object' || row === null || !Number.isInteger(row.row) || (row.row as number) < 1) {
    throw new Error(`stored ledger row ${sk} is malformed: ${JSON.stringify(stored)?.slice(0, 200)}`);
  }
  const fields = (row.fields ??= {});
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new Error(`stored ledger row ${sk} has malformed fields`);
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (!selected?.has(key)) delete fields[key];
    else if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`stored ledger row ${sk} field ${key} is not a cell value`);
    }
  }
  return row as LedgerRow;
}
