import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDocx, paragraphs, part } from '../unit/artifacts/ooxml';

/**
 * A later upload replaces the unit's whole submission (FORMAT.md, "A later upload"). Whatever the earlier file held
 * and the later one does not is no longer in the report, so neither the clerk nor the office may learn it by
 * missing figures: the clerk's outcome and 报送情况.docx name every indicator and ledger dropped, changed and added.
 * Through the real ingest on the emulators, as the CLI runs it (separate processes sharing --local-dir): the justice bureau's complete JSON, then a CSV
 * holding two of its indicators (one of them changed).
 */
const work = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-later-upload-'));
const state = path.join(work, 'state');
const common = ['--county', 'lingshou', '--year', '2021', '--local', '--local-dir', state];
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The real `yearly-report` binary, one process per command (each starts the emulators over the shared state). */
async function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const result = spawnSync(process.execPath, [path.resolve(__dirname, '../../cli/bin.js'), ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

it('tells the clerk and the office, by name, every figure and ledger a later file drops', async () => {
  const complete = path.join(work, '司法局.json');
  copyFileSync(path.resolve(__dirname, '../../shared/counties/lingshou/samples/2021/justice_bureau.json'), complete);
  const first = await runCli(['upload', complete, ...common]);
  expect(first.stdout).toMatch(/✓ 司法局\.json → 灵寿县司法局: 已接收/);
  expect(first.stdout).not.toContain('替换');

  const partial = path.join(work, '司法局补报.csv');
  writeFileSync(
    partial,
    [
      '【封面】,,,,',
      '填报单位,灵寿县司法局,,,',
      '年度,2021,,,',
      '【指标】,,,,',
      '指标代码,指标名称,计量单位,数值,备注',
      'legality_review_meeting_items,政府常务会议题会前合法性审查件数,件,130,',
      'mediators_total,人民调解员总数,人,28,',
      '',
    ].join('\n'),
  );
  const second = await runCli(['upload', partial, ...common]);
  expect([second.code, second.stdout]).toEqual([0, expect.anything()]);
  const out = second.stdout;
  expect(out).toMatch(/✓ 司法局补报\.csv → 灵寿县司法局: 已接收/);
  expect(out).toContain('本文件替换了此前报送的“司法局.json”');
  // Nine indicators and all three ledgers are gone, each named with the value it had; one figure changed.
  expect(out).toContain('不再包含（12项）');
  expect(out).toContain('指标“《民法典与百姓生活100问》印制册数”（3000册）');
  expect(out).toContain('台账“法律顾问');
  expect(out).toMatch(/台账“行政复议[^”]*”（11行）/);
  expect(out).toContain('改动（1项）');
  expect(out).toContain('指标“政府常务会议题会前合法性审查件数”：125 → 130');
  expect(out).not.toMatch(/civil_code_booklets|legal_advisers|indicators\./);

  // A third file that still lacks them does not make them silently gone: they stay listed until a file holds them again.
  const third = await runCli(['upload', writeSame(partial, '再报'), ...common]);
  expect(third.stdout).toContain('指标“《民法典与百姓生活100问》印制册数”（3000册）');

  const artifacts = path.join(work, 'out');
  expect((await runCli(['aggregate', ...common, '--out', artifacts])).code).toBe(0);
  const companion = paragraphs(await part(await openDocx(readFileSync(path.join(artifacts, '报送情况.docx'))), 'word/document.xml'))
    .map((p) => p.text)
    .join('\n');
  expect(companion).toMatch(/灵寿县司法局最新报送的“司法局再报\.csv”替换了此前的“司法局补报\.csv”，不再包含12项：[^\n]*指标“《民法典与百姓生活100问》印制册数”（3000册）/);
  const report = JSON.parse(readFileSync(path.join(artifacts, 'report.json'), 'utf8')) as { warnings: { code: string; unitId?: string }[] };
  expect(report.warnings.filter((w) => w.code === 'SUBMISSION_DROPPED').map((w) => w.unitId)).toEqual(['justice_bureau']);
});

/** A copy of the file under another name (the same content uploaded again as a new file). */
function writeSame(file: string, tag: string): string {
  const copy = file.replace('补报', tag);
  copyFileSync(file, copy);
  return copy;
}
