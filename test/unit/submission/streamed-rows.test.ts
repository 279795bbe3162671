import { readFileSync } from 'node:fs';
import type { CellValue } from 'exceljs';
import path from 'node:path';
import { BoundedQueue } from '../../../shared/core/bounded-queue';
import type { LedgerRow, ParseOutcome } from '../../../shared/core/submission/normalized';
import { parseSubmissionFile } from '../../../shared/core/submission/parse';
import { LedgerRowSink, ROWS_PER_PARSER_STEP } from '../../../shared/core/submission/row-sink';
import { TEMPLATE_INDICATOR_COLUMN } from '../../../shared/core/submission/layout';
import { FIXTURE_DIR, filledJusticeBureauWorkbook, fillWorkbook, templateFor } from '../../fixtures/submissions/make-fixtures';
import { catalogue, county, jsonFile } from './context';

/**
 * Issue 16: with a row sink, accepted ledger rows leave the builder as they
 * are read instead of being held, and the parser waits while the sink is
 * full. The outcome must be the one the whole-file parse gives, for every
 * file: the same problems, the same submission less its rows, and the rows
 * themselves, in order, at the sink.
 */
const CAPACITY = ROWS_PER_PARSER_STEP + 2;

/** A sink that only drains when the parser yields, so the parser must wait for it. */
class DrainingSink implements LedgerRowSink {
  readonly queue = new BoundedQueue<{ ledgerId: string; index: number; row: LedgerRow }>(CAPACITY, ROWS_PER_PARSER_STEP);
  readonly rows: Record<string, LedgerRow[]> = {};
  waits = 0;
  private readonly drained: Promise<void>;

  constructor() {
    this.drained = (async () => {
      for (let batch = await this.queue.take(2); batch.length > 0; batch = await this.queue.take(2)) {
        for (const { ledgerId, index, row } of batch) {
          const rows = (this.rows[ledgerId] ??= []);
          if (index !== rows.length) throw new Error(`row ${index} of ${ledgerId} came out of order`);
          rows.push(row);
        }
        // A write takes a turn of the event loop: the parser runs meanwhile, up to the bound.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
  }

  get full(): boolean {
    return this.queue.full;
  }

  room(): Promise<void> {
    this.waits++;
    return this.queue.room();
  }

  put(ledgerId: string, index: number, row: LedgerRow): void {
    this.queue.push({ ledgerId, index, row });
  }

  async close(): Promise<void> {
    this.queue.close();
    await this.drained;
  }
}

async function bothWays(bytes: Uint8Array, fileName: string): Promise<{ whole: ParseOutcome; streamed: ParseOutcome; sink: DrainingSink }> {
  const context = { county, catalogue, year: 2021, unitId: 'justice_bureau' };
  const whole = await parseSubmissionFile({ bytes, fileName, ...context });
  const sink = new DrainingSink();
  const streamed = await parseSubmissionFile({ bytes, fileName, ...context, rowSink: sink });
  await sink.close();
  return { whole, streamed, sink };
}

/** The same outcome: an accepted one without its rows (they are at the sink, in order), or the same problems. */
function expectSameOutcome({ whole, streamed, sink }: Awaited<ReturnType<typeof bothWays>>): void {
  expect(streamed.ok).toBe(whole.ok);
  if (whole.ok && streamed.ok) {
    expect(streamed.submission).toEqual({ ...whole.submission, ledgers: {} });
    expect(sink.rows).toEqual(whole.submission.ledgers);
  } else if (!whole.ok && !streamed.ok) {
    expect(streamed.problems).toEqual(whole.problems);
  }
  expect(sink.queue.highWater).toBeLessThanOrEqual(CAPACITY);
}

async function lawsuits(rows: number, edit?: (values: CellValue[], i: number) => void): Promise<Buffer> {
  return fillWorkbook(await templateFor('justice_bureau'), (wb) => {
    const indicators = wb.getWorksheet('指标')!;
    indicators.eachRow((row, n) => {
      if (n === 1) return;
      const values: Record<string, number> = { legality_review_meeting_items: 12, enforcement_staff_trained: 90, civil_code_booklets: 300, lawsuits_received: 7, lawsuits_closed: 3 };
      const id = String(row.getCell(TEMPLATE_INDICATOR_COLUMN.code).value);
      if (id in values) row.getCell(TEMPLATE_INDICATOR_COLUMN.value).value = values[id]!;
    });
    const sheet = wb.getWorksheet('行政诉讼案件台账')!;
    for (let i = 1; i <= rows; i++) {
      const values: CellValue[] = [`(2021)冀0126行初${i}号`, new Date(Date.UTC(2021, i % 12, 1 + (i % 28))), '灵寿县住房和城乡建设局', i % 4 === 0 ? '审理中' : '已结案', i % 2 === 0 ? '是' : '否', i % 4 === 0 ? null : '胜诉'];
      edit?.(values, i);
      sheet.getRow(i + 1).values = values;
    }
  });
}

function staffCsv(rows: number, options: { multiline?: boolean; badAt?: number; brokenQuoteAt?: number } = {}): Uint8Array {
  const lines = ['【行政执法人员名册】', '姓名,执法证号,培训课时'];
  for (let i = 1; i <= rows; i++) {
    // A stray quote inside an unquoted field is a syntax error that stops the parse there.
    const name = i === options.brokenQuoteAt ? '执法"人员' : `执法人员${i}`;
    lines.push(`${name},13012620${String(i).padStart(7, '0')},${i === options.badAt ? '很多' : i % 90}`);
  }
  // A quoted field across lines: records and lines no longer correspond, and line numbers come from csv-parse.
  if (options.multiline) lines.push('【工作情况】', '栏目代码,工作情况', 'decision_making,"第一段\n第二段"');
  return new TextEncoder().encode(lines.join('\r\n') + '\r\n');
}

describe('ledger rows streamed to a sink while the file is parsed', () => {
  it('xlsx: the same accepted outcome, the ledger summary check worked out from the streamed rows, the parser waiting at the bound', async () => {
    const result = await bothWays(await lawsuits(600), '司法局.xlsx');
    expectSameOutcome(result);
    expect(result.whole.ok && result.whole.submission.warnings.filter((w) => w.code === 'LEDGER_SUMMARY_DISAGREE')).toHaveLength(2);
    expect(result.sink.rows.lawsuit_cases).toHaveLength(600);
    expect(result.sink.waits).toBeGreaterThan(0);
  }, 30_000);

  it('xlsx: the template filled by hand, and a file with bad cells part-way (rejected, every problem listed)', async () => {
    expectSameOutcome(await bothWays(await filledJusticeBureauWorkbook(), 'filled.xlsx'));
    const bad = await bothWays(
      await lawsuits(400, (values, i) => {
        if (i === 150) values[3] = '在审';
        if (i === 390) values[0] = '(2021)冀0126行初3号';
      }),
      '司法局.xlsx',
    );
    expectSameOutcome(bad);
    expect(bad.streamed.ok ? [] : bad.streamed.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['BAD_ENUM', 'DUPLICATE_LEDGER_KEY']));
    // Rows stop going out at the first error (the file is rejected anyway).
    expect(bad.sink.rows.lawsuit_cases).toHaveLength(149);
  }, 30_000);

  it('csv, with and without a quoted field across lines; accepted, rejected, and stopped by a syntax error part-way; never past the bound', async () => {
    const files = [staffCsv(3_000), staffCsv(3_000, { multiline: true }), staffCsv(3_000, { badAt: 2_500 }), staffCsv(3_000, { badAt: 1_000, brokenQuoteAt: 2_000 })];
    for (const bytes of files) {
      const result = await bothWays(bytes, '名册.csv');
      expectSameOutcome(result);
      expect(result.sink.waits).toBeGreaterThan(0);
      expect(result.sink.queue.highWater).toBeLessThanOrEqual(CAPACITY);
    }
    // The rows before the syntax error were read, with sink or without: the bad cell on row 1,000 is listed with it.
    const broken = await bothWays(files[3]!, '名册.csv');
    expect(broken.streamed.ok ? [] : broken.streamed.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['NOT_A_NUMBER', 'CSV_SYNTAX']));
    expectSameOutcome(await bothWays(readFileSync(path.join(FIXTURE_DIR, 'good.csv')), 'good.csv'));
  });

  it('json is read whole: the sink gets nothing and the submission keeps its rows', async () => {
    const file = jsonFile({ indicators: { legality_review_meeting_items: 3, enforcement_staff_trained: 9, civil_code_booklets: 30 }, ledgers: { lawsuit_cases: [{ case_no: 'A1', filed_date: '2021-03-05', status: '已结案' }] } });
    const { whole, streamed, sink } = await bothWays(new TextEncoder().encode(file), 'x.json');
    expect(streamed).toEqual(whole);
    expect(sink.rows).toEqual({});
  });
});
