import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SourceParagraph } from '../shared/core/county/draft/structure';
import { UsageError } from './usage-error';

/**
 * A published report's paragraphs, from the office's Word file (.docx: each
 * Word paragraph with its style), the text copied from the website (.txt/.md:
 * one paragraph a line), or the saved page (.html: the article body, without
 * the site's navigation, scripts and chrome).
 */
export async function readReportSource(file: string): Promise<SourceParagraph[]> {
  const ext = path.extname(file).toLowerCase();
  const bytes = readFileSync(file);
  switch (ext) {
    case '.docx':
      return readDocx(bytes);
    case '.txt':
    case '.md':
      return textParagraphs(decodeText(bytes), ext === '.md');
    case '.html':
    case '.htm':
      return readHtml(decodeText(bytes));
    default:
      throw new UsageError(`${file}: 只能读取 .docx、.txt、.md 或 .html 文件`);
  }
}

/** UTF-8, else GB18030 (pages saved by older sites). */
function decodeText(bytes: Buffer): string {
  const utf8 = bytes.toString('utf8');
  if (!utf8.includes('\uFFFD')) return utf8.replace(/^\uFEFF/, '');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- iconv-lite is CommonJS; loaded only for legacy encodings
  const iconv = require('iconv-lite') as typeof import('iconv-lite');
  return iconv.decode(bytes, 'gb18030');
}

function textParagraphs(text: string, markdown: boolean): SourceParagraph[] {
  return text.split(/\r?\n/).map((line) => ({
    text: markdown ? line.replace(/^\s{0,3}#{1,6}\s+/, '').replace(/^\s*>\s?/, '').replace(/\*\*|__/g, '') : line,
  }));
}

/** Word paragraphs with their style names (w:pStyle → styles.xml), text joined across runs; tabs and breaks as spaces. */
async function readDocx(bytes: Buffer): Promise<SourceParagraph[]> {
  const { default: JSZip } = await import('jszip');
  const { XMLParser } = await import('fast-xml-parser');
  let zip: InstanceType<typeof JSZip>;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (err) {
    throw new UsageError(`不是有效的 Word 文件（.docx）：${(err as Error).message}`);
  }
  const documentXml = await zip.file('word/document.xml')?.async('string');
  if (!documentXml) throw new UsageError('Word 文件中没有正文（word/document.xml）');
  const stylesXml = await zip.file('word/styles.xml')?.async('string');
  // Text stays text: "1.50" and "0873" must not become numbers.
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', preserveOrder: true, trimValues: false, parseTagValue: false, parseAttributeValue: false, processEntities: false });
  const styleNames = new Map<string, string>();
  if (stylesXml) {
    for (const match of stylesXml.matchAll(/<w:style\b[^>]*w:styleId="([^"]+)"[^>]*>[\s\S]*?<w:name w:val="([^"]+)"/g)) styleNames.set(match[1]!, match[2]!);
  }
  const tree = parser.parse(documentXml) as XmlNode[];
  const paragraphs: SourceParagraph[] = [];
  walk(tree, (node) => {
    if (!('w:p' in node)) return false;
    let text = '';
    let style: string | undefined;
    walk(node['w:p'] as XmlNode[], (inner) => {
      if ('w:pStyle' in inner) {
        const id = (inner[':@'] as Record<string, string> | undefined)?.['@w:val'];
        if (id) style = styleNames.get(id) ?? id;
      }
      if ('w:t' in inner) {
        for (const t of inner['w:t'] as XmlNode[]) if ('#text' in t) text += String(t['#text']);
        return true;
      }
      if ('w:tab' in inner || 'w:br' in inner) text += ' ';
      return false;
    });
    paragraphs.push({ text: decodeEntities(text), ...(style ? { style } : {}) });
    return true;
  });
  return paragraphs;
}

type XmlNode = Record<string, unknown>;

/** Depth-first over preserveOrder nodes; `visit` returns true to skip a node's children. */
function walk(nodes: XmlNode[], visit: (node: XmlNode) => boolean): void {
  for (const node of nodes) {
    if (visit(node)) continue;
    for (const [key, value] of Object.entries(node)) if (key !== ':@' && Array.isArray(value)) walk(value as XmlNode[], visit);
  }
}

const decodeEntities = (text: string) =>
  text.replace(/&(?:lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (m, dec: string | undefined, hex: string | undefined) =>
    dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : ({ '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&apos;': "'" } as Record<string, string>)[m.toLowerCase()]!,
  );

/**
 * The article of a saved page: the element holding the most text in <p> and
 * line elements (government sites put the body in a div of their own CMS's
 * class); scripts, styles, navigation, headers and footers are dropped. Each
 * block element is a paragraph.
 */
function readHtml(html: string): SourceParagraph[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when drafting from a page
  const { parse, NodeType } = require('node-html-parser') as typeof import('node-html-parser');
  type Element = import('node-html-parser').HTMLElement;
  const root = parse(html, { blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  for (const el of root.querySelectorAll('nav, header, footer, script, style, noscript, iframe, form, select, button')) el.remove();
  const paragraphTextLength = (el: Element) => el.querySelectorAll('p').reduce((n, p) => n + p.text.trim().length, 0) || el.text.trim().length / 4;
  // The article: the deepest element holding nearly all the paragraph text of the page.
  const all = [root, ...root.querySelectorAll('div, article, section, td, main')];
  const scored = all.map((el) => ({ el, score: paragraphTextLength(el), size: el.querySelectorAll('*').length }));
  const max = Math.max(...scored.map((s) => s.score));
  const article = scored.filter((s) => s.score >= max * 0.9).sort((a, b) => a.size - b.size)[0]!.el;
  const paragraphs: SourceParagraph[] = [];
  // The page's own title heading, when it sits outside the article element.
  const heading = root.querySelector('h1') ?? root.querySelector('.title, .article-title, #title, h2');
  if (heading && !article.querySelectorAll('*').includes(heading) && heading !== article) paragraphs.push({ text: heading.text.replace(/\s+/g, ' ').trim() });
  const BLOCK = /^(p|div|h[1-6]|li|section|article|table|tr|td|ul|ol|blockquote|center)$/i;
  const emit = (el: Element) => {
    const hasBlockChild = el.childNodes.some((c) => c.nodeType === NodeType.ELEMENT_NODE && BLOCK.test((c as Element).tagName ?? ''));
    if (!hasBlockChild) {
      for (const line of el.innerHTML.split(/<br\s*\/?>/i)) paragraphs.push({ text: parse(line).text.replace(/\s+/g, ' ').trim() });
      return;
    }
    let inline = '';
    for (const child of el.childNodes) {
      if (child.nodeType === NodeType.ELEMENT_NODE && BLOCK.test((child as Element).tagName ?? '')) {
        if (inline.trim()) paragraphs.push({ text: inline.replace(/\s+/g, ' ').trim() });
        inline = '';
        emit(child as Element);
      } else if (child.nodeType === NodeType.ELEMENT_NODE && /^br$/i.test((child as Element).tagName)) {
        paragraphs.push({ text: inline.replace(/\s+/g, ' ').trim() });
        inline = '';
      } else inline += child.text;
    }
    if (inline.trim()) paragraphs.push({ text: inline.replace(/\s+/g, ' ').trim() });
  };
  emit(article);
  return paragraphs;
}
