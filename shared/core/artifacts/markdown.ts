import { Block, FigureSource, Report, Segment } from '../report/schema';
import { STATUS_LABEL, figureText, locationText, missingUnits } from './labels';

/**
 * report.md: the draft as plain Markdown, for preview and diffing between
 * runs. It reads like the document (title, number, addressees, headings,
 * text, issuer and date); the data behind the numbers follows in one
 * separate "附：数据来源" section at the end, so the draft above it stays
 * the draft.
 */
export function renderMarkdown(report: Report): string {
  const draft = report.document.map(blockToMarkdown);
  return `${[...draft, sourcesAppendix(report)].join('\n\n')}\n`;
}

export const SOURCES_HEADING = '## 附：数据来源';

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

const segmentsText = (segments: readonly Segment[]) => segments.map((s) => escapeMarkdown(s.text)).join('');

function blockToMarkdown(block: Block): string {
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
      return `**${escapeMarkdown(block.text)}**${segmentsText(block.body)}`;
    case 'paragraph':
      return segmentsText(block.segments);
    case 'table': {
      const caption = block.caption ? `${escapeMarkdown(block.caption)}\n\n` : '';
      return `${caption}${tableMarkdown(block.header, block.rows)}`;
    }
    case 'signature':
    case 'date':
      return `<div align="right">${escapeMarkdown(block.text)}</div>`;
  }
}

function tableMarkdown(header: readonly string[], rows: readonly (readonly string[])[]): string {
  // Cells may already be escaped markup (code spans); plain text is escaped by the caller.
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [row(header.map(escapeMarkdown)), row(header.map(() => '---')), ...rows.map((r) => row(r.map(escapeMarkdown)))].join('\n');
}

function sourcesAppendix(report: Report): string {
  const unitName = new Map(report.completeness.units.map((u) => [u.unitId, u.unitName]));
  const figureRows = report.figures.map((f) => [
    `${escapeMarkdown(f.name)}（${code(f.indicatorId)}）`,
    escapeMarkdown(figureText(f)),
    f.sources.map(sourceText).join('<br>') || '—',
    escapeMarkdown(missingUnits(f).map((id) => unitName.get(id) ?? id).join('、')),
  ]);
  const c = report.completeness;
  const unitRows = c.units.map((u) => [
    escapeMarkdown(u.unitName),
    STATUS_LABEL[u.status],
    u.late ? '逾期' : '',
    escapeMarkdown(u.receivedAt ?? ''),
    u.s3Key ? `${code(u.s3Key)} ${code(u.versionId ?? '')}` : '',
  ]);
  const warnings = report.warnings.map((w) => `- ${code(w.code)} ${escapeMarkdown(w.message)}`);
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const table = (header: readonly string[], rows: readonly (readonly string[])[]) =>
    [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
  return [
    SOURCES_HEADING,
    table(['指标', '数值', '来源（单位：数值，文件，版本，位置）', '未报单位'], figureRows),
    `### 报送情况\n\n应报 ${c.expected} 个单位，已报 ${c.submitted} 个，采用 ${c.accepted} 个，逾期 ${c.late} 个，未报 ${c.missing} 个。`,
    table(['单位', '状态', '是否逾期', '报送时间', '文件、版本'], unitRows),
    `### 预警（${report.warnings.length}条）`,
    warnings.length ? warnings.join('\n') : '无。',
  ].join('\n\n');
}

function sourceText(source: FigureSource): string {
  const where = locationText(source.location);
  return [
    `${escapeMarkdown(source.unitName)}：${source.value}${source.approximate ? '（约数）' : ''}`,
    code(source.s3Key),
    code(source.versionId),
    where ? escapeMarkdown(where) : '',
  ]
    .filter(Boolean)
    .join('，');
}
