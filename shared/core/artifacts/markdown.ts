import { Block, Report, Segment } from '../report/schema';
import { imprintLines, markNote, segmentMark, unitNames } from './labels';

/**
 * report.md: the draft as plain Markdown, for preview and diffing between
 * runs. It reads like the document (title, number, addressees, headings,
 * text, issuer and date) and holds only what the county publishes: sources,
 * completeness and warnings are in the internal 报送情况.docx. Partial
 * figures are marked, with footnotes naming the units they lack.
 */
export function renderMarkdown(report: Report): string {
  const names = unitNames(report);
  // One footnote per partial figure, however often the text marks it.
  const notes = new Map<string, number>();
  const noteRef = (id: string) => {
    if (!notes.has(id)) notes.set(id, notes.size + 1);
    return `[^p${notes.get(id)}]`;
  };
  const draft = report.document.map((b) => blockToMarkdown(b, noteRef));
  const footnotes = [...notes].map(([key, n]) => `[^p${n}]: ${escapeMarkdown(markNote(report, key, names))}`);
  return `${[...draft, ...(footnotes.length ? [footnotes.join('\n')] : [])].join('\n\n')}\n`;
}

/**
 * Text from submissions must not turn into markup (a link, an HTML tag, a
 * table cell break), so the characters Markdown acts on are escaped.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ')
    .replace(/^(\d+)\.(\s)/, '$1\\.$2')
    .replace(/^([-+])(\s)/, '\\$1$2');
}

/**
 * A partial figure, a sentence claiming completeness on one, or a bound
 * claim the data do not prove is marked
 * <mark> (GitHub and most previewers show it) with a footnote naming the units it lacks.
 */
const segmentsText = (segments: readonly Segment[], noteRef: (id: string) => string) =>
  segments
    .map((s, i) => {
      const mark = segmentMark(s);
      if (mark === undefined) return escapeMarkdown(s.text);
      const opens = segmentMark(segments[i - 1] ?? { text: '' }) !== mark;
      const closes = segmentMark(segments[i + 1] ?? { text: '' }) !== mark;
      return `${opens ? '<mark>' : ''}${escapeMarkdown(s.text)}${closes ? `</mark>${noteRef(mark)}` : ''}`;
    })
    .join('');

/**
 * Inline code for keys and ids: nothing inside is markup, except that a GFM
 * table still splits on "|" (escaped as \|), and backticks inside need a longer fence.
 */
export function code(text: string): string {
  const inner = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  // The fence is one backtick longer than the longest run inside, so no run can close it early.
  const longest = Math.max(0, ...(inner.match(/`+/g) ?? []).map((run) => run.length));
  if (longest === 0) return `\`${inner}\``;
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${inner} ${fence}`;
}

function blockToMarkdown(block: Block, noteRef: (id: string) => string): string {
  switch (block.kind) {
    case 'title':
      return `# ${escapeMarkdown(block.text)}`;
    case 'docNumber':
    case 'addressees':
    case 'closing':
    case 'note':
      return escapeMarkdown(block.text);
    case 'heading1':
      return `## ${escapeMarkdown(block.text)}`;
    case 'heading2':
      return `**${escapeMarkdown(block.text)}**${segmentsText(block.body, noteRef)}`;
    case 'paragraph':
      return segmentsText(block.segments, noteRef);
    case 'table': {
      const caption = block.caption ? `${escapeMarkdown(block.caption)}\n\n` : '';
      return `${caption}${tableMarkdown(block.header, block.rows)}`;
    }
    case 'signature':
      return `<div align="right">${escapeMarkdown(block.text)}</div>`;
    case 'date':
      // An undecided date is marked as a partial figure is, so it cannot pass for a decided one.
      return `<div align="right">${block.placeholder ? `<mark>${escapeMarkdown(block.text)}</mark>` : escapeMarkdown(block.text)}</div>`;
    case 'notice':
      return `> **${escapeMarkdown(block.text)}**`;
    case 'masthead':
      return `<div align="center">${escapeMarkdown(block.text)}</div>`;
    case 'imprint':
      return `---\n\n${imprintLines(block).map(escapeMarkdown).join('\n\n')}`;
  }
}

function tableMarkdown(header: readonly string[], rows: readonly (readonly string[])[]): string {
  // Cells may already be escaped markup (code spans); plain text is escaped by the caller.
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [row(header.map(escapeMarkdown)), row(header.map(() => '---')), ...rows.map((r) => row(r.map(escapeMarkdown)))].join('\n');
}
