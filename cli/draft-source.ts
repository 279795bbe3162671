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
 * The article of a saved page: the element with the most paragraph text of its
 * own (its <p> children, or its text and <br>-separated lines, as table-layout
 * sites print it); the site's head, scripts, navigation, headers and footers
 * are dropped. The page's title heading is taken when the article lacks it.
 * Each block element, and each <br>-separated line, is a paragraph.
 */
function readHtml(html: string): SourceParagraph[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when drafting from a page
  const { parse, NodeType } = require('node-html-parser') as typeof import('node-html-parser');
  type Element = import('node-html-parser').HTMLElement;
  const root = parse(html, { blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  for (const el of root.querySelectorAll('head, title, nav, header, footer, script, style, noscript, iframe, form, select, button')) el.remove();
  const isElement = (node: import('node-html-parser').Node): node is Element => node.nodeType === NodeType.ELEMENT_NODE;
  const INLINE = /^(span|font|strong|b|em|i|u|br|sup|sub|big|small)$/i;
  /** Text the element holds itself: text nodes, inline children (not links: menus are links), <p> children. */
  const ownText = (el: Element) =>
    el.childNodes.reduce((n, c) => {
      if (c.nodeType === NodeType.TEXT_NODE) return n + c.text.trim().length;
      if (isElement(c) && (INLINE.test(c.tagName) || /^p$/i.test(c.tagName))) return n + c.text.trim().length;
      return n;
    }, 0);
  const containers = root.querySelectorAll('div, article, section, td, main, body');
  const article = containers.reduce<Element>((best, el) => (ownText(el) > ownText(best) ? el : best), containers[0] ?? root);
  const paragraphs: SourceParagraph[] = [];
  const BLOCK = /^(p|div|h[1-6]|li|section|article|table|tbody|thead|tr|td|th|ul|ol|blockquote|center|main|body)$/i;
  const emit = (el: Element) => {
    let inline = '';
    const flush = () => {
      if (inline.trim()) paragraphs.push({ text: inline.replace(/\s+/g, ' ').trim() });
      inline = '';
    };
    for (const child of el.childNodes) {
      if (isElement(child) && BLOCK.test(child.tagName)) {
        flush();
        emit(child);
      } else if (isElement(child) && /^br$/i.test(child.tagName)) flush();
      else if (isElement(child) && child.querySelector('br, p, div')) {
        flush();
        emit(child);
      } else inline += child.text;
    }
    flush();
  };
  emit(article);
  // The page's title heading, when it sits outside the article: the shortest element elsewhere naming the report.
  const TITLE = /法治政府建设.*报告|关于.*法治.*报告/;
  const isTitle = (text: string) => text.length <= 80 && !/[。；]/.test(text) && TITLE.test(text);
  if (!paragraphs.some((p) => isTitle(p.text))) {
    const inArticle = new Set(article.querySelectorAll('*'));
    const titles = root
      .querySelectorAll('h1, h2, h3, td, div, p, span')
      .filter((el) => !inArticle.has(el) && el !== article && isTitle(el.text.trim()))
      .sort((x, y) => x.text.trim().length - y.text.trim().length);
    if (titles[0]) paragraphs.unshift({ text: titles[0].text.replace(/\s+/g, ' ').trim() });
  }
  return paragraphs;
}
