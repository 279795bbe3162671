import { imprintLines } from '../../shared/core/artifacts/labels';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadedCatalogue } from '../../shared/core/catalogue/load';
import type { LoadedCounty } from '../../shared/core/county/load';
import type { CurrentSubmission } from '../../shared/core/report/build-report';
import type { Block, Report } from '../../shared/core/report/schema';
import { parseSubmissionFile } from '../../shared/core/submission/parse';

/**
 * A county's sample submissions, parsed by the real file parser exactly as
 * ingest would parse an upload. Any rejected sample fails the test loudly.
 */
export async function loadSamples(county: LoadedCounty, catalogue: LoadedCatalogue, year: number, skip: readonly string[] = []): Promise<CurrentSubmission[]> {
  const dir = path.join(county.dir, 'samples', String(year));
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const out: CurrentSubmission[] = [];
  for (const file of files) {
    const unitId = path.basename(file, '.json');
    if (skip.includes(unitId)) continue;
    const outcome = await parseSubmissionFile({ bytes: readFileSync(path.join(dir, file)), fileName: file, county, catalogue, year, unitId });
    if (!outcome.ok) throw new Error(`${file} was rejected: ${JSON.stringify(outcome.problems, null, 1)}`);
    out.push({
      unitId: outcome.submission.unitId,
      s3Key: `submissions/${year}/${unitId}/${file}`,
      versionId: `sample-${unitId}`,
      receivedAt: `${year + 1}-01-05T02:00:00.000Z`,
      submission: outcome.submission,
    });
  }
  return out;
}

/** Official documents use full-width punctuation; the web copy of the seed does not. Compare without caring. */
export const normalizePunctuation = (text: string) =>
  text.replace(/,/g, '，').replace(/:/g, '：').replace(/;/g, '；').replace(/\(/g, '（').replace(/\)/g, '）').replace(/\s+/g, '');

export function blockText(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return block.segments.map((s) => s.text).join('');
    case 'heading2':
      return block.text + block.body.map((s) => s.text).join('');
    case 'table':
      return [block.caption ?? '', ...block.header, ...block.rows.flat()].join(' ');
    case 'imprint':
      return imprintLines(block).join(' ');
    default:
      return block.text;
  }
}

/** The document as paragraphs of plain text, one per block. */
export const paragraphs = (report: Report) => report.document.map((b) => normalizePunctuation(blockText(b)));

/** Headings in document order ("一、…", "（一）…"), for comparing the structure with the seed. */
export const headings = (report: Report) =>
  report.document.flatMap((b) => (b.kind === 'heading1' || b.kind === 'heading2' ? [normalizePunctuation(b.text)] : []));

/** Prose numbers that are never statistics: document numbers, year spans, dates, years. */
const PROSE_NUMBERS = [/〔\d{4}〕\d+号/g, /\d{4}\s*[-—–]\s*\d{4}/g, /\d{4}年\d{1,2}月\d{1,2}日/g, /\d{1,2}月(?:\d{1,2}日|底|初|中旬|份)/g, /(?:19|20)\d\d(?=年|）|\))/g];

/**
 * Numbers the document prints outside figure segments, each with a little
 * context, once years, dates and document numbers are set aside. A report's
 * statistics must all be computed figures, so what remains is prose (a title,
 * a standard) that each county's fidelity test lists in `allowed`; a number
 * typed into a template or a narrative shows up here.
 */
export function unexplainedDigits(report: Report, allowed: readonly string[]): string[] {
  const found: string[] = [];
  for (const block of report.document) {
    // The completeness annex (the collection's own counts and times), the 版记 and the pipeline's own notices carry no statistics.
    if (block.kind === 'table' || block.kind === 'imprint' || block.kind === 'notice') continue;
    const segments = block.kind === 'paragraph' ? block.segments : block.kind === 'heading2' ? [{ text: block.text }, ...block.body] : [{ text: block.text }];
    for (const segment of segments) {
      if ('figure' in segment && segment.figure) continue;
      let text = segment.text;
      for (const phrase of allowed) text = text.split(phrase).join('');
      for (const pattern of PROSE_NUMBERS) text = text.replace(pattern, '');
      for (const match of text.matchAll(/[0-9０-９]+/g)) found.push(text.slice(Math.max(0, match.index - 6), match.index + match[0].length + 4));
    }
  }
  return found;
}
