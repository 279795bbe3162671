import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../shared/adapters/aws-clients';
import { DynamoSubmissionRepository } from '../../shared/adapters/dynamo-submission-repository';
import type { NormalizedSubmission } from '../../shared/core/submission/normalized';
import { TABLE_DESIGN } from '../../shared/storage/layout';
import { BENCH_UNIT, BENCH_YEAR } from '../data';
import type { BenchAws } from '../local-aws';
import { pairedRatio, round1, round3, sideBySide, timeMs } from '../measure';
import { normalizedStaffSubmission } from '../normalized';
import type { BenchRow } from '../report';

/** The repository's default, and what the bare loop uses too. */
const CONCURRENCY = 8;

/**
 * ingest-write: DynamoSubmissionRepository.writeSubmission (item building,
 * marshalling, batches of 25 at concurrency 8 with retry) against a bare
 * BatchWriteItem loop over the same items, already built, at the same
 * concurrency. Each side of each round writes into its own new table, so
 * both always write into an empty table of the same design.
 */
export async function benchIngestWrite(aws: BenchAws, rows: number, rounds: number): Promise<BenchRow> {
  const submission = normalizedStaffSubmission(BENCH_UNIT, BENCH_YEAR, rows, 0x5eed);
  const client = createDocumentClient();
  const token = 'bench-version';
  const itemsWritten = { ours: 0, bare: 0 };
  try {
    const bareItems = itemsLikeRepository(BENCH_YEAR, BENCH_UNIT, token, submission);
    const result = await sideBySide(
      rounds,
      async (round) => {
        const table = `bench-write-ours-${round}`;
        await aws.createTable(table);
        const repo = new DynamoSubmissionRepository(client, table);
        const ms = await timeMs(async () => {
          itemsWritten.ours = await repo.writeSubmission(BENCH_YEAR, BENCH_UNIT, token, submission);
        });
        await aws.dropTable(table);
        return ms;
      },
      async (round) => {
        const table = `bench-write-bare-${round}`;
        await aws.createTable(table);
        const ms = await timeMs(async () => {
          itemsWritten.bare = await bareBatchWrite(client, table, bareItems, CONCURRENCY);
        });
        await aws.dropTable(table);
        return ms;
      },
    );
    const oursPerSec = (itemsWritten.ours / result.oursMedian) * 1000;
    const barePerSec = (itemsWritten.bare / result.baselineMedian) * 1000;
    return {
      id: 'ingest-write',
      value: Math.round(oursPerSec),
      unit: 'items/s',
      baseline: Math.round(barePerSec),
      // Same items on both sides, so the throughput ratio of a round is bare time / our time.
      ratio: round3(pairedRatio(result.baseline, result.ours)),
      note:
        `${rows.toLocaleString('en')} ledger rows (${itemsWritten.ours.toLocaleString('en')} items) into dynalite, concurrency ${CONCURRENCY}, ${rounds} alternating rounds, ratio = median of the per-round ratios, fresh table per side per round (dropped after); ` +
        `median ${round1(result.oursMedian / 1000)} s ours vs ${round1(result.baselineMedian / 1000)} s bare (runs ours ${fmtRuns(result.ours)}; bare ${fmtRuns(result.baseline)})`,
    };
  } finally {
    client.destroy();
  }
}

const fmtRuns = (ms: number[]) => ms.map((m) => (m / 1000).toFixed(1)).join('/') + ' s';

type Item = Record<string, unknown>;

/** The items writeSubmission writes for the same submission (same keys and attributes), so both sides store the same bytes. */
export function itemsLikeRepository(year: number, unitId: string, token: string, submission: NormalizedSubmission): Item[] {
  const PK = TABLE_DESIGN.partitionKey.name;
  const SK = TABLE_DESIGN.sortKey.name;
  const pk = `DATA#${year}#${unitId}#${token}`;
  const { indicators, ledgers, narratives, ...meta } = submission;
  const items: Item[] = [{ [PK]: pk, [SK]: 'META', ...meta }];
  indicators.forEach((value) => items.push({ [PK]: pk, [SK]: `IND#${value.indicatorId}`, year, value }));
  for (const [ledgerId, rows] of Object.entries(ledgers)) {
    rows.forEach((row, i) => items.push({ [PK]: pk, [SK]: `LED#${ledgerId}#${String(i).padStart(8, '0')}`, year, ledgerId, row }));
  }
  narratives.forEach((item, i) => items.push({ [PK]: pk, [SK]: `NAR#${String(i).padStart(5, '0')}`, year, item }));
  return items;
}

/** The raw limit: chunks of 25, `concurrency` workers, unprocessed items sent again at once. */
export async function bareBatchWrite(client: ReturnType<typeof createDocumentClient>, table: string, items: readonly Item[], concurrency: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const start = next;
      next += 25;
      let pending: unknown[] = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
        pending = out.UnprocessedItems?.[table] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return items.length;
}
