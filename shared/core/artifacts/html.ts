import { chineseDateTime, DEFAULT_TIME_ZONE } from '../county/time';
import { Block, Report, Segment } from '../report/schema';
import { INTERNAL_FILE_NAME, figureText, imprintLines, locationText, markNote, missingUnits, partialNote, segmentMark, unitNames } from './labels';
import { printableText } from './text';

/**
 * report.html: one self-contained page to preview the draft and trace every
 * number. No scripts, no external fonts, styles or images: the page is
 * opened from S3 or a mail attachment, often offline, and must never run
 * anything a submission smuggled in. Every piece of text is escaped.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => printableText(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Indicator ids are snake_case, but an anchor must stay an anchor whatever reaches it. */
const anchor = (indicatorId: string) => `figure-${indicatorId.replace(/[^A-Za-z0-9_-]/g, '_')}`;

const STYLE = `
body { margin: 0; background: #f3f3f1; color: #1a1a1a; font-family: "FangSong", "仿宋_GB2312", "STFangsong", "Noto Serif CJK SC", serif; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
.document { background: #fff; padding: 3rem 3.5rem; box-shadow: 0 1px 4px rgba(0,0,0,.15); font-size: 16pt; line-height: 1.8; }
.document p { margin: 0; text-indent: 2em; text-align: justify; }
.document .title { font-family: "方正小标宋简体", "SimSun", "Noto Serif CJK SC", serif; font-size: 22pt; font-weight: normal; text-align: center; margin: 0 0 .5em; line-height: 1.5; }
.document .doc-number { text-align: center; text-indent: 0; margin-bottom: 1em; }
.document .addressees { text-indent: 0; }
.document h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em; }
.document .h2 { font-family: "楷体_GB2312", "KaiTi", "STKaiti", serif; }
.document .signature, .document .date { text-align: right; text-indent: 0; padding-right: 4em; }
.document .signature { margin-top: 1.8em; }
.document .masthead { color: #d00; font-family: "方正小标宋简体", "SimSun", serif; font-size: 30pt; text-align: center; text-indent: 0; letter-spacing: .1em; }
.document .imprint { margin-top: 2em; border-top: 2px solid #000; border-bottom: 2px solid #000; font-size: 14pt; }
.document .imprint p { text-indent: 0; padding: 0 1em; }
.document .imprint p + p { border-top: 1px solid #000; }
.document table { font-size: 12pt; margin: 1em 0; }
a.figure { color: inherit; text-decoration: none; border-bottom: 1px dotted #2a62a8; }
a.figure:hover, a.figure:focus { background: #e3edf9; }
mark.missing, mark.partial, mark.claim { background: #ffe866; }
.partial-note { font-size: 10pt; color: #8a5a00; }
.document p.notice { text-indent: 0; margin-bottom: 1em; }
section { margin-top: 2rem; }
section h2 { font-family: "黑体", "SimHei", sans-serif; font-size: 14pt; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 11pt; }
th, td { border: 1px solid #bbb; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #eceae4; }
td.number, td.name { white-space: nowrap; }
col.indicator { width: 16em; } col.number { width: 7em; }
td.indicator { min-width: 12em; }
details summary { color: #555; font-size: 9pt; cursor: pointer; }
td.number { text-align: right; }
tr:target { background: #fff6c9; }
ul.sources { margin: 0; padding-left: 1.1em; }
.key { font-family: ui-monospace, monospace; font-size: 9pt; overflow-wrap: anywhere; color: #555; }
.meta { color: #555; font-size: 10pt; }
@media print { body { background: #fff; } .document { box-shadow: none; padding: 0; } section { break-before: page; } }
`;

export function renderHtml(report: Report): string {
  const e = escapeHtml;
  const figureById = new Map(report.figures.map((f) => [f.indicatorId, f]));
  const names = unitNames(report);
  const marks: PartialMarks = (key) => markNote(report, key, names);
  const html = [
    '<!DOCTYPE html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(report.title)}</title>`,
    `<meta name="generator" content="${e(report.schema)}; generated ${e(report.generatedAt)}">`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<p class="meta">${e(report.countyName)} · ${report.year}年度 · 生成于 ${e(chineseDateTime(new Date(report.generatedAt), report.timeZone ?? DEFAULT_TIME_ZONE))}</p>`,
    // What is internal (who submitted when, warnings) is in the companion, not on this page.
    `<p class="meta">内部材料：<a href="${INTERNAL_FILE_NAME}">${e(INTERNAL_FILE_NAME)}</a>（报送情况、不完整的数据、预警、数据来源）· <a href="data.xlsx">data.xlsx</a>（数据附件）</p>`,
    '<article class="document">',
    ...report.document.map((b) => blockHtml(b, marks)),
    '</article>',
    figuresSection(report, unitNames(report)),
    '</main>',
    '</body>',
    '</html>',
  ];
  return `${html.join('\n')}\n`;
}

/** The note a mark carries, by its key (labels.ts segmentMark). */
type PartialMarks = (key: string) => string;

/**
 * Figures link to their sources; gaps and partial figures are marked. A
 * partial figure (or a sentence claiming completeness on one) is marked, and
 * the units it lacks follow it in small print, so a printout says it too.
 */
function segmentsHtml(segments: readonly Segment[], marks: PartialMarks): string {
  return segments
    .map((s, i) => {
      const own = escapeHtml(s.text);
      const mark = segmentMark(s);
      const text = s.missing ? `<mark class="missing">${own}</mark>` : mark ? `<mark class="${s.claim !== undefined ? 'claim' : 'partial'}">${own}</mark>` : own;
      const linked = s.figure === undefined ? text : `<a class="figure" href="#${anchor(s.figure)}">${text}</a>`;
      const lastOfMark = mark !== undefined && segmentMark(segments[i + 1] ?? { text: '' }) !== mark;
      return lastOfMark ? `${linked}<span class="partial-note">〔${escapeHtml(marks(mark))}〕</span>` : linked;
    })
    .join('');
}

function tableHtml(header: readonly string[], rows: readonly (readonly string[])[], caption?: string): string {
  const e = escapeHtml;
  return [
    '<table>',
    caption === undefined ? '' : `<caption>${e(caption)}</caption>`,
    `<thead><tr>${header.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('')}</tbody>`,
    '</table>',
  ].join('');
}

function blockHtml(block: Block, marks: PartialMarks): string {
  const e = escapeHtml;
  switch (block.kind) {
    case 'title':
      return `<h1 class="title">${e(block.text)}</h1>`;
    case 'docNumber':
      return `<p class="doc-number">${e(block.text)}</p>`;
    case 'addressees':
      return `<p class="addressees">${e(block.text)}</p>`;
    case 'heading1':
      return `<h2>${e(block.text)}</h2>`;
    case 'heading2':
      return `<p><span class="h2">${e(block.text)}</span>${segmentsHtml(block.body, marks)}</p>`;
    case 'paragraph':
      return `<p>${segmentsHtml(block.segments, marks)}</p>`;
    case 'table':
      return tableHtml(block.header, block.rows, block.caption);
    case 'closing':
    case 'note':
      return `<p>${e(block.text)}</p>`;
    case 'signature':
      return `<p class="signature">${e(block.text)}</p>`;
    case 'date':
      return `<p class="date">${block.placeholder ? `<mark class="missing">${e(block.text)}</mark>` : e(block.text)}</p>`;
    case 'masthead':
      return `<p class="masthead">${e(block.text)}</p>`;
    case 'notice':
      return `<p class="notice"><mark class="partial">${e(block.text)}</mark></p>`;
    case 'imprint':
      return `<div class="imprint">${imprintLines(block).map((line) => `<p>${e(line)}</p>`).join('')}</div>`;
  }
}

/**
 * 数据与来源: one row for each figure the text prints, in reading order,
 * with the names a clerk knows (indicator, unit, file name); the storage key
 * and version, which only an engineer needs, fold away under 文件与版本.
 */
function figuresSection(report: Report, unitName: ReadonlyMap<string, string>): string {
  const e = escapeHtml;
  const byId = new Map(report.figures.map((f) => [f.indicatorId, f]));
  const used = [...new Set(report.document.flatMap((b) => (b.kind === 'paragraph' ? b.segments : b.kind === 'heading2' ? b.body : [])).flatMap((s) => (s.figure ? [s.figure] : [])))];
  const rows = used.flatMap((id) => {
    const f = byId.get(id);
    if (!f) return [];
    const value = f.value === null ? '<mark class="missing">待补充</mark>' : e(figureText(f));
    const sources = f.sources.length
      ? `<ul class="sources">${f.sources
          .map((s) => {
            const where = locationText(s.location);
            return (
              `<li>${e(s.unitName)}：${e(String(s.value))}${s.approximate ? '（约数）' : ''}` +
              `<br><span class="meta">${e(fileName(s.s3Key))}${where ? `，${e(where)}` : ''}</span>` +
              `<details><summary>文件与版本</summary><span class="key">${e(s.s3Key)}</span><br><span class="key">版本 ${e(s.versionId)}</span></details></li>`
            );
          })
          .join('')}</ul>`
      : '';
    const missing = missingUnits(f).map((u) => unitName.get(u) ?? u);
    const gaps =
      (f.partial ? `<p class="meta"><mark class="partial">${e(partialNote(f, unitName))}</mark></p>` : '') +
      (missing.length ? `<p class="meta">未报：${e(missing.join('、'))}</p>` : '');
    return [`<tr id="${anchor(f.indicatorId)}"><td class="indicator">${e(f.name)}</td><td class="number">${value}</td><td>${sources}${gaps}</td></tr>`];
  });
  return [
    '<section id="figures">',
    '<h2>数据与来源</h2>',
    '<table>',
    '<colgroup><col class="indicator"><col class="number"><col></colgroup>',
    '<thead><tr><th>指标</th><th>数值</th><th>来源（单位：数值，文件，位置）</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
    '</section>',
  ].join('\n');
}

/** "submissions/2021/justice_bureau/司法局.xlsx" → "司法局.xlsx": the file as the unit named it. */
const fileName = (s3Key: string) => s3Key.slice(s3Key.lastIndexOf('/') + 1);
