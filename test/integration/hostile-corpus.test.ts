import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalPipeline } from '../../shared/local/local-pipeline';
import { hostileCorpus, HostileFile } from '../fixtures/hostile/corpus';
import { runCli, startPipeline } from './helpers';

/**
 * Issue 14's hostile corpus (test/fixtures/hostile/corpus.ts, generated at
 * test time into a temp folder), through `validate` and through ingest (the
 * real handler on an SQS batch). Each file is rejected
 * with exit 1 and a Chinese message naming its problem, or accepted and
 * stored. Never a crash, never a record handed back for retry, never a file
 * left in the temp folder.
 */
let pipeline: LocalPipeline;
let cleanup: () => Promise<void>;
let corpus: HostileFile[];
let dir: string;
let privateTmp: string;
const savedTmp = process.env.TMPDIR;

beforeAll(async () => {
  ({ pipeline, cleanup } = await startPipeline());
  dir = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-hostile-'));
  corpus = await hostileCorpus('test');
  for (const f of corpus) writeFileSync(path.join(dir, f.fileName), f.bytes);
  // Whatever a parser would park on disk (exceljs's worksheet temp files) lands here, where the test can see it.
  privateTmp = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-hostile-tmp-'));
  process.env.TMPDIR = privateTmp;
}, 120_000);
afterAll(async () => {
  process.env.TMPDIR = savedTmp;
  rmSync(dir, { recursive: true, force: true });
  rmSync(privateTmp, { recursive: true, force: true });
  await cleanup();
});

const CHINESE = /[\u4e00-\u9fa5]/;
const FILES = 14;

describe('the hostile corpus', () => {
  it('has the cases the issue names, each one run by the test below', () => {
    // it.each needs its table before beforeAll generates the files: keep this count and the indices below in step.
    expect(corpus).toHaveLength(FILES);
    const names = corpus.map((f) => f.fileName);
    expect(names).toEqual(expect.arrayContaining(['隐藏共享字符串.xlsx', '隐藏工作表.xlsx', '行政诉讼案件台账-多行单元格.csv', '巨型对象数组.json', '超大数字.json', '超长工作情况.json', '各项上限.json']));
  });

  it.each(Array.from({ length: FILES }, (_, i) => i))('file %i: validate and ingest agree, with a Chinese message or stored rows, and leave no temp file', async (i) => {
    const file = corpus[i]!;
    const filePath = path.join(dir, file.fileName);

    const validated = await runCli(['validate', filePath, '--county', 'lingshou', '--year', '2021', '--unit', 'justice_bureau']);
    const put = await pipeline.put({ year: 2021, unitId: 'justice_bureau', fileName: file.fileName, bytes: file.bytes });
    const delivered = await pipeline.deliver([put]);
    const ingested = await pipeline.outcomeOf(put);

    expect({ file: file.fileName, retried: delivered.batchItemFailures }).toEqual({ file: file.fileName, retried: [] });
    if ('rejected' in file.expect) {
      expect({ file: file.fileName, code: validated.code }).toEqual({ file: file.fileName, code: 1 });
      expect(validated.stdout).toContain(file.expect.rejected);
      expect(validated.stdout).toMatch(CHINESE);
      expect(ingested.record?.status).toBe('rejected');
      expect(ingested.errorReport).toContain(file.expect.rejected);
      expect(ingested.errorReport).toMatch(CHINESE);
    } else {
      expect({ file: file.fileName, code: validated.code, out: validated.code === 0 ? '' : validated.stdout }).toEqual({ file: file.fileName, code: 0, out: '' });
      expect(ingested.record).toEqual(expect.objectContaining({ status: 'accepted', rowCount: file.expect.acceptedRows }));
      const current = await pipeline.repo.getCurrent(2021, 'justice_bureau');
      const stored = await pipeline.repo.readSubmission(2021, 'justice_bureau', current!.versionToken);
      const rows = stored.indicators.length + Object.values(stored.ledgers).reduce((n, r) => n + r.length, 0) + stored.narratives.length;
      expect(rows).toBe(file.expect.acceptedRows);
    }
    expect(readdirSync(privateTmp)).toEqual([]);
  });

  it('a line break inside a cell moves the line numbers of the rows after it, across the parser’s chunks', async () => {
    const file = corpus.find((f) => f.fileName === '行政诉讼案件台账-多行单元格.csv')!;
    const put = await pipeline.put({ year: 2021, unitId: 'justice_bureau', fileName: file.fileName, bytes: file.bytes });
    await pipeline.deliver([put]);
    const current = await pipeline.repo.getCurrent(2021, 'justice_bureau');
    const rows = (await pipeline.repo.readSubmission(2021, 'justice_bureau', current!.versionToken)).ledgers.lawsuit_cases!;
    const n = (file.expect as { acceptedRows: number }).acceptedRows;
    // Header on line 1, row i on line i + 1, one line more from the row holding the break (the 10th) on.
    expect([rows[8]!.row, rows[9]!.row, rows[10]!.row, rows.at(-1)!.row]).toEqual([10, 11, 13, n + 2]);
    // A ledger cell keeps its text on one line (cellText), both names kept.
    expect(rows[9]!.fields.defendant).toBe('灵寿县人民政府 灵寿县公安局');
  });
});
