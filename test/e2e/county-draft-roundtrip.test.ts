import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadReportFile } from '../../cli/report-file';
import { checkCountyFolder } from '../../shared/core/county/load';
import type { Report } from '../../shared/core/report/schema';
import { runCli } from '../cli-runner';
import { comparable, reportLines } from './county-draft-measure';

/**
 * Issue 23: the round trip. Each shipped county's demo writes report.docx; `county
 * draft` of that Word file (nothing given but the file) and the demo on the
 * drafted folder print the same text, with a computed figure segment wherever
 * the original had one.
 */
const SHIPPED: ReadonlyArray<[string, number]> = [
  ['lingshou', 2021],
  ['jinping', 2025],
  ['qingshan_demo', 2021],
];

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'county-draft-rt-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const REPO = path.resolve(__dirname, '..', '..');

/** `npm start -- …`: the demo in a process of its own (a process runs the pipeline's handlers for one county only). */
async function demo(args: string[]): Promise<void> {
  await promisify(execFile)(process.execPath, [path.join(REPO, 'cli', 'bin.js'), 'demo', ...args], { cwd: REPO, timeout: 170_000, maxBuffer: 16 * 1024 * 1024 });
}

const figureTexts = (report: Report) =>
  report.document.flatMap((b) => (b.kind === 'paragraph' ? b.segments : b.kind === 'heading2' ? b.body : [])).filter((s) => s.figure && !s.missing).map((s) => s.text);

describe.each(SHIPPED)('%s %i: report.docx → county draft → demo', (countyId, year) => {
  let original: Report;
  let drafted: Report;
  let draftedDir: string;
  let draftOutput: string;

  beforeAll(async () => {
    const root = mkdtempSync(path.join(work, `${countyId}-`));
    await demo(['--county', countyId, '--year', String(year), '--out', path.join(root, 'out')]);
    const outDir = path.join(root, 'out', countyId, String(year));
    original = loadReportFile(path.join(outDir, 'report.json'));
    const run = await runCli(['county', 'draft', path.join(outDir, 'report.docx'), '--out', path.join(root, 'drafts')]);
    draftOutput = run.stdout + run.stderr;
    expect(run.code).toBe(0);
    // The id is the pinyin of the name the title gives (青山县 → qingshan, not qingshan_demo).
    const [draftedId] = readdirSync(path.join(root, 'drafts'));
    draftedDir = path.join(root, 'drafts', draftedId!);
    // The demo exits non-zero when a sample is rejected.
    await demo(['--county-dir', draftedDir, '--year', String(year), '--out', path.join(root, 'out2')]);
    drafted = loadReportFile(path.join(root, 'out2', draftedId!, String(year), 'report.json'));
  }, 360_000);

  it('drafts a folder county check passes, reading name, year and issuer from the document', () => {
    expect(checkCountyFolder(draftedDir).problems.errors).toEqual([]);
    expect(draftOutput).toContain('取自标题');
    expect(JSON.parse(readFileSync(path.join(draftedDir, 'county.json'), 'utf8'))).toMatchObject({ name: original.countyName });
  });

  it('prints the same text', () => {
    const has = { addressees: true, signature: true, date: true };
    expect(comparable(reportLines(drafted, has).join('\n'))).toBe(comparable(reportLines(original, has).join('\n')));
  });

  it('computes every figure the original computed, and no other', () => {
    expect(figureTexts(drafted)).toEqual(figureTexts(original));
    expect(drafted.figures.filter((f) => f.value === null)).toEqual([]);
  });
});
