import { Block, Report, Segment } from '../report/schema';

/** report.md: the draft as plain Markdown, for preview and diffing between runs. */
export function renderMarkdown(report: Report): string {
  const lines = report.document.map(blockToMarkdown);
  return `${lines.join('\n\n')}\n`;
}

const segmentsText = (segments: readonly Segment[]) => segments.map((s) => s.text).join('');

function blockToMarkdown(block: Block): string {
  switch (block.kind) {
    case 'title':
      return `# ${block.text}`;
    case 'docNumber':
    case 'addressees':
    case 'closing':
    case 'note':
      return block.text;
    case 'heading1':
      return `## ${block.text}`;
    case 'heading2':
      return `**${block.text}**${segmentsText(block.body)}`;
    case 'paragraph':
      return segmentsText(block.segments);
    case 'table': {
      const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
      const caption = block.caption ? `${block.caption}\n\n` : '';
      return `${caption}${row(block.header)}\n${row(block.header.map(() => '---'))}\n${block.rows.map(row).join('\n')}`;
    }
    case 'signature':
    case 'date':
      return `<div align="right">${block.text}</div>`;
  }
}
