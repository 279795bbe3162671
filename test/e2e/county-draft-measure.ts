import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readReportSource } from '../../cli/draft-source';
import { draftCounty, type CountyDraft } from '../../shared/core/county/draft/build';
import { loadCounty } from '../../shared/core/county/load';
import { buildReport, type CurrentSubmission } from '../../shared/core/report/build-report';
import type { Block, Report } from '../../shared/core/report/schema';
import { parseSubmissionFile } from '../../shared/core/submission/parse';
import { readSampleFiles } from '../../shared/local/sample-data';
import { blockText, normalizePunctuation } from './fidelity-helpers';

/**
 * Measuring `county draft` on published report texts (issue 23): the fixtures
 * under test/fixtures/county-draft/ mark every figure as ⟦…⟧ (qualifier, number,
 * measure word, as printed); the draft sees the text without the marks.
 */
export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'county-draft');

export interface Fixture {
  file: string;
  province: string;
  /** Lines of the file that are the website's chrome, not the published text. */
  chrome?: readonly RegExp[];
  /** Given to the command as a Word file built from the lines. */
  asDocx?: boolean;
}

export const FIXTURES: readonly Fixture[] = [
  { file: 'hunan-xiangxi.txt', province: '湖南', chrome: [/^您当前所在位置/, /^发布时间/, /^【字体/] },
  { file: 'hebei-huyang.txt', province: '河北' },
  { file: 'jiangxi-ganchuan.md', province: '江西' },
  { file: 'yunnan-lanping.txt', province: '云南' },
  { file: 'sichuan-minshan.html', province: '四川' },
  { file: 'zhejiang-qiantang.docx.txt', province: '浙江', asDocx: true },
  // Written after the drafting rules were, and measured once before any rule changed (see the fixtures' README).
  { file: 'guangxi-liuxi.txt', province: '广西' },
  { file: 'chongqing-chengxi.txt', province: '重庆' },
  { file: 'shandong-yishui.txt', province: '山东' },
  { file: 'hebei-lingshou-seed.txt', province: '河北（灵寿县，项目的种子报告）', chrome: [/^您当前位置/, /^发布时间/, /^【字体/] },
];

export interface TruthFigure {
  /** The published line (without marks) and the figure's offsets in it. */
  line: string;
  start: number;
  printed: string;
}

/** The fixture's text without marks, the published lines (without chrome), and the marked figures. */
export function readFixture(fixture: Fixture): { text: string; published: string[]; truth: TruthFigure[] } {
  const raw = readFileSync(path.join(FIXTURE_DIR, fixture.file), 'utf8');
  const text = raw.replace(/[⟦⟧]/g, '');
  const markedLines = fixture.file.endsWith('.html') ? htmlArticleLines(raw) : raw.split(/\r?\n/).map((l) => l.replace(/^#+\s*/, ''));
  const truth: TruthFigure[] = [];
  const published: string[] = [];
  for (const marked of markedLines) {
    const trimmed = marked.trim();
    if (!trimmed || fixture.chrome?.some((re) => re.test(trimmed))) continue;
    let line = '';
    for (const part of trimmed.split(/(⟦[^⟧]*⟧)/)) {
      if (part.startsWith('⟦')) {
        truth.push({ line: '', start: line.length, printed: part.slice(1, -1) });
        line += part.slice(1, -1);
      } else line += part;
    }
    for (const t of truth) if (t.line === '') t.line = line;
    published.push(line);
  }
  return { text, published, truth };
}

/** The published text of the saved page, read independently of the command: its <h1> and the paragraphs of the article's content. */
function htmlArticleLines(html: string): string[] {
  const title = html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)?.[1] ?? '';
  const content = html.match(/<div class="content"[^>]*>([\s\S]*?)<\/div>/)?.[1] ?? '';
  const paragraphs = [...content.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/g)].map((m) => m[1]!);
  return [title, ...paragraphs].map((s) => s.replace(/<[^>]+>/g, '').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&'));
}

/** Text compared ignoring whitespace, the width of punctuation and of digits (the report prints half-width digits). */
export const comparable = (text: string) =>
  normalizePunctuation(text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))).replace(/！/g, '!');

/** The county's report built from the drafted folder's samples, each parsed as ingest parses an upload. */
export async function reportOfFolder(dir: string, year: number): Promise<Report> {
  const county = loadCounty(dir);
  const submissions: CurrentSubmission[] = [];
  for (const sample of readSampleFiles(dir, year)) {
    const outcome = await parseSubmissionFile({ bytes: sample.bytes, fileName: sample.fileName, county, catalogue: county.catalogue, year, unitId: sample.unitId });
    if (!outcome.ok) throw new Error(`${sample.fileName} was rejected: ${JSON.stringify(outcome.problems)}`);
    submissions.push({ unitId: sample.unitId, s3Key: `submissions/${year}/${sample.unitId}/${sample.fileName}`, versionId: `sample-${sample.unitId}`, receivedAt: `${year + 1}-01-05T02:00:00.000Z`, submission: outcome.submission });
  }
  return buildReport({ county, year, submissions, rejected: [], generatedAt: new Date(`${year + 1}-01-20T02:00:00Z`) });
}

const PUBLISHED_KINDS = new Set<Block['kind']>(['title', 'docNumber', 'addressees', 'heading1', 'heading2', 'paragraph', 'closing', 'signature', 'date', 'note']);

/** The report's published text, block by block; the salutation, signature and date only when the source printed them (else the county's defaults fill them in). */
export function reportLines(report: Report, has: CountyDraft['has']): string[] {
  return report.document
    .filter((b) => PUBLISHED_KINDS.has(b.kind))
    .filter((b) => !(b.kind === 'addressees' && !has.addressees) && !(b.kind === 'signature' && !has.signature) && !(b.kind === 'date' && !has.date))
    .map((b) => blockText(b))
    .filter((t) => t.trim() !== '');
}

export interface Measured {
  file: string;
  province: string;
  figures: number;
  found: number;
  /** Digit strings of the published text that are not figures. */
  nonFigures: number;
  wronglyFigures: number;
  reproduced: boolean;
  /** Figure segments of the report that are computed (not 【待补充】). */
  computedSegments: number;
  seconds: number;
  misses: string[];
  falsePositives: string[];
}

/** Figures found (same place, same printed qualifier + number + measure word) and digit strings wrongly made figures. */
/** Written apart from the command's own rules: a run of numerals, 余/多, then a common measure word. */
const CHINESE_CANDIDATE = /(?<![0-9０-９.．零一二两三四五六七八九十百千万])[零一二两三四五六七八九十百千万]+(?:余|多)?(?:次|场|轮|件|项|个|名|人|位|家|户|期|批|支|条|份|篇|部|所|处|起|宗|类|种|天)/g;

export function scoreFigures(draft: CountyDraft, truth: readonly TruthFigure[], published: readonly string[]): Pick<Measured, 'figures' | 'found' | 'nonFigures' | 'wronglyFigures' | 'misses' | 'falsePositives'> {
  const key = (line: string, start: number) => `${comparable(line)}@${start}`;
  const drafted = new Map(draft.figures.map((f) => [key(f.line, f.start), f]));
  const truthAt = new Map(truth.map((t) => [key(t.line, t.start), t]));
  const misses: string[] = [];
  let found = 0;
  for (const t of truth) {
    const f = drafted.get(key(t.line, t.start));
    if (f && f.line.slice(f.start, f.end) === t.printed) found++;
    else misses.push(`${t.printed}${f ? ` (drafted as ${f.line.slice(f.start, f.end)})` : ''} in …${t.line.slice(Math.max(0, t.start - 10), t.start + t.printed.length + 4)}…`);
  }
  const falsePositives = draft.figures.filter((f) => !truthAt.has(key(f.line, f.start))).map((f) => `${f.line.slice(f.start, f.end)} in …${f.line.slice(Math.max(0, f.start - 10), f.end + 4)}…`);
  const digitRuns = published.reduce((n, line) => n + [...line.matchAll(/[0-9０-９]+(?:[.．][0-9０-９]+)?/g)].length, 0);
  // Chinese numerals before a measure word (三次, 第三次, 三项制度, 两三次) are candidates too; 三是, 十四五 have no measure word.
  const numeralRuns = published.reduce((n, line) => n + [...line.matchAll(CHINESE_CANDIDATE)].length, 0);
  return { figures: truth.length, found, nonFigures: digitRuns + numeralRuns - truth.length, wronglyFigures: falsePositives.length, misses, falsePositives };
}

/** The fixture as the file the command is given: the text without marks, or a Word file of its lines. */
export async function sourceFile(fixture: Fixture, dir: string): Promise<string> {
  const { text } = readFixture(fixture);
  if (!fixture.asDocx) {
    const file = path.join(dir, fixture.file);
    writeFileSync(file, text);
    return file;
  }
  const { Document, HeadingLevel, Packer, Paragraph, AlignmentType } = await import('docx');
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  const doc = new Document({
    sections: [
      {
        children: lines.map((line, i) =>
          i === 0
            ? new Paragraph({ text: line, heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER })
            : /^[一二三四五六七八九十]、/.test(line)
              ? new Paragraph({ text: line, heading: HeadingLevel.HEADING_1 })
              : new Paragraph({ text: line }),
        ),
      },
    ],
  });
  const file = path.join(dir, fixture.file.replace(/\.docx\.txt$/, '.docx'));
  writeFileSync(file, await Packer.toBuffer(doc));
  return file;
}

export function writeFolder(draft: CountyDraft, root: string): string {
  const dir = path.join(root, draft.countyId);
  for (const [rel, content] of Object.entries(draft.files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}


export const figureSegments = (report: Report) =>
  report.document.flatMap((b) => (b.kind === 'paragraph' ? b.segments : b.kind === 'heading2' ? b.body : [])).filter((s) => s.figure);

/** Drafts a fixture as the command does (read the file, draft, write the folder), timed, and builds the report from the drafted samples. */
export async function draftFixture(fixture: Fixture, root: string): Promise<{ draft: CountyDraft; dir: string; seconds: number; report: Report }> {
  const file = await sourceFile(fixture, root);
  const started = performance.now();
  const draft = draftCounty(await readReportSource(file), { sourceName: path.basename(file) });
  const dir = writeFolder(draft, path.join(root, 'out'));
  const seconds = (performance.now() - started) / 1000;
  return { draft, dir, seconds, report: await reportOfFolder(dir, draft.year) };
}

/** The set's figures as a table, and the two shares the issue bounds. */
export function summary(results: readonly Measured[]): { text: string; found: number; wrongly: number } {
  const sum = (k: 'figures' | 'found' | 'nonFigures' | 'wronglyFigures') => results.reduce((n, r) => n + r[k], 0);
  const rows = results.map(
    (r) =>
      `${r.province.padEnd(6, '　')} ${r.file.padEnd(28)} figures ${r.found}/${r.figures}  wrongly ${r.wronglyFigures}/${r.nonFigures}  ${r.reproduced ? 'reproduced' : 'NOT reproduced'}  ${r.seconds.toFixed(2)} s` +
      `${r.misses.length ? `\n    missed: ${r.misses.join('; ')}` : ''}${r.falsePositives.length ? `\n    wrongly: ${r.falsePositives.join('; ')}` : ''}`,
  );
  const found = sum('found') / sum('figures');
  const wrongly = sum('wronglyFigures') / sum('nonFigures');
  const text =
    `county draft over ${results.length} texts (${new Set(results.map((r) => r.province.slice(0, 2))).size} provinces):\n${rows.join('\n')}\n` +
    `figures found ${(found * 100).toFixed(1)}% (${sum('found')}/${sum('figures')}), non-figures made figures ${(wrongly * 100).toFixed(1)}% (${sum('wronglyFigures')}/${sum('nonFigures')}), ` +
    `reproduced ${results.filter((r) => r.reproduced).length}/${results.length}, ${(results.reduce((n, r) => n + r.seconds, 0) / results.length).toFixed(2)} s per report (max ${Math.max(...results.map((r) => r.seconds)).toFixed(2)} s)\n`;
  return { text, found, wrongly };
}
