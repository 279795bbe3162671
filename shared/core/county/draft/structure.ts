/**
 * A published report's paragraphs, in reading order, split into the parts a
 * template has: title, document number, salutation, preamble, 一、 headings,
 * （一） headings with their run-in bodies, paragraphs, closing, signature, date
 * and note. Website chrome (当前位置, 发布时间, 字体, 打印 …) is dropped and listed.
 */

export interface SourceParagraph {
  text: string;
  /** The Word paragraph style, when the source is a .docx. */
  style?: string;
}

export type DraftBlock =
  | { kind: 'heading1'; text: string }
  | { kind: 'heading2'; text: string; body: string }
  | { kind: 'paragraph'; text: string };

export interface ReportStructure {
  title: string;
  docNumber?: string;
  /** The salutation's addressees, without the colon; absent when the text has none. */
  addressees?: string[];
  preamble: string;
  blocks: DraftBlock[];
  closing?: string;
  signature?: string;
  date?: string;
  note?: string;
  /** 版头 and 版记 of an office's Word file (GB/T 9704): the red issuer mark, 抄送 and 印发. */
  frame?: { masthead?: string; copyTo?: string[]; printedBy?: string };
  /** Lines dropped as the website's or the file's chrome, for review. */
  dropped: string[];
}

export class ReportStructureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportStructureError';
  }
}

const CHROME = [
  /^(?:您当前的?位置|当前位置|位置[:：]|首页\s*[>》]|>>)/,
  /发布时间|发布日期|发文日期|浏览次数|阅读次数|点击数|访问量|来源[:：]|信息来源|文章来源|索引号|主题分类|发文机构|发文字号|有效性|内容概述|成文日期/,
  /^【?\s*字体|^字号|【\s*大\s*中\s*小\s*】|^\s*[【\[]?打印[】\]]?\s*$|^\s*[【\[]?关闭[】\]]?\s*$|^分享到|^扫一扫|^上一篇|^下一篇|^相关(?:链接|文章|阅读)|^返回顶部|^无障碍|^简体|^繁体|^打印本页|^关闭窗口|^收藏/,
];
const isChrome = (line: string) => CHROME.some((re) => re.test(line));

const TITLE = /(?:关于)?.*(?:法治政府建设|依法行政|法治建设).*(?:报告|情况)$/;
const DOC_NUMBER = /^[\u4e00-\u9fa5]{1,10}〔(\d{4})〕\d+号$/;
const DATE = /^(?:\d{4}|[〇零一二三四五六七八九○]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$/;
const HEADING1 = /^[一二三四五六七八九十]{1,3}、/;
const HEADING2 = /^[（(][一二三四五六七八九十]{1,3}[）)]/;
const CLOSING = /^(?:特此报告|以上报告|专此报告|特此报告如下)[。.]?$/;
const SIGNATURE = /(?:人民政府|政府|委员会|办公室|县委|区委)$/;

/** A salutation: short, ends with a colon, no full stop: "中共灵寿县委、县人大常委会：". */
const isSalutation = (line: string) => /[:：]$/.test(line) && line.length <= 80 && !/[。；]/.test(line) && !/如下[:：]$/.test(line);

export function splitReport(paragraphs: readonly SourceParagraph[]): ReportStructure {
  const dropped: string[] = [];
  const lines: string[] = [];
  for (const p of paragraphs) {
    const text = p.text.replace(/[\u00a0\u3000]/g, ' ').trim();
    if (!text) continue;
    if (isChrome(text)) {
      dropped.push(text);
      continue;
    }
    lines.push(text);
  }
  const titleAt = lines.findIndex((l) => l.length <= 80 && !/[。；]/.test(l) && TITLE.test(l.replace(/\s+/g, '')));
  if (titleAt < 0) throw new ReportStructureError('找不到报告标题（如“××县人民政府关于2021年度法治政府建设情况的报告”）：请确认文件是一份法治政府建设情况报告');
  let title = lines[titleAt]!;
  let from = titleAt + 1;
  let head = lines.slice(0, titleAt);
  // "灵寿县人民政府" on its own line over "关于2021年度…的报告": one title.
  const last = head.at(-1);
  if (last && SIGNATURE.test(last) && last.length <= 30 && !TITLE.test(last)) {
    title = last + title;
    head = head.slice(0, -1);
  }
  // A web page often repeats the title over the article.
  while (lines[from] && lines[from]!.replace(/\s+/g, '') === title.replace(/\s+/g, '')) dropped.push(lines[from++]!);
  let docNumber: string | undefined;
  const frame: NonNullable<ReportStructure['frame']> = {};
  for (const line of head) {
    if (!docNumber && DOC_NUMBER.test(line)) docNumber = line;
    else if (!frame.masthead && /^[\u4e00-\u9fa5]{2,20}文件$/.test(line.replace(/\s+/g, ''))) frame.masthead = line.replace(/\s+/g, '');
    else dropped.push(line);
  }
  if (!docNumber && lines[from] && DOC_NUMBER.test(lines[from]!)) docNumber = lines[from++]!;
  let addressees: string[] | undefined;
  if (lines[from] && isSalutation(lines[from]!)) {
    addressees = lines[from]!.replace(/[:：]$/, '').split('、').map((s) => s.trim()).filter(Boolean);
    from += 1;
  }

  // The tail: closing, signature, date, note, from the end backwards.
  let to = lines.length;
  let note: string | undefined;
  let date: string | undefined;
  let signature: string | undefined;
  let closing: string | undefined;
  const dateAt = findLastIndex(lines, (l) => DATE.test(l.replace(/\s+/g, '')), from);
  if (dateAt >= 0 && lines.length - dateAt <= 5) {
    date = lines[dateAt]!;
    const after: string[] = [];
    for (const line of lines.slice(dateAt + 1)) {
      const copy = line.match(/^抄送[:：](.+?)[。.]?$/);
      const printed = line.replace(/\s+/g, ' ').match(/^(.+?)\s*(\d{4}年\d{1,2}月\d{1,2}日)\s*印发$/);
      if (copy) frame.copyTo = copy[1]!.split(/[，、,]/).map((s) => s.trim()).filter(Boolean);
      else if (printed) frame.printedBy = printed[1]!.trim();
      else after.push(line);
    }
    if (after.length) note = after.join('');
    to = dateAt;
    if (to - 1 > from && SIGNATURE.test(lines[to - 1]!) && lines[to - 1]!.length <= 30) signature = lines[--to]!;
  } else if (to - 1 > from && SIGNATURE.test(lines[to - 1]!) && lines[to - 1]!.length <= 30) {
    signature = lines[--to]!;
  }
  if (to - 1 > from && CLOSING.test(lines[to - 1]!)) closing = lines[--to]!;

  const body = lines.slice(from, to);
  const first = body.findIndex((l) => HEADING1.test(l) || HEADING2.test(l));
  if (first === 0 || body.length === 0) throw new ReportStructureError('报告在标题（和主送机关）之后没有导语段落：模板需要一段导语（“××年，我县……现将有关情况报告如下：”）');
  const preambleLines = first < 0 ? body.slice(0, 1) : body.slice(0, first);
  const preamble = preambleLines[0]!;
  const blocks: DraftBlock[] = [];
  for (const line of preambleLines.slice(1)) blocks.push({ kind: 'paragraph', text: line });
  for (const line of first < 0 ? body.slice(1) : body.slice(first)) blocks.push(blockOf(line));
  return {
    title,
    ...(docNumber ? { docNumber } : {}),
    ...(addressees ? { addressees } : {}),
    preamble,
    blocks,
    ...(closing ? { closing } : {}),
    ...(signature ? { signature } : {}),
    ...(date ? { date } : {}),
    ...(note ? { note } : {}),
    ...(Object.keys(frame).length ? { frame } : {}),
    dropped,
  };
}

function blockOf(line: string): DraftBlock {
  // A figure in a heading would print as plain heading text; a year ("一、2023年推进……的主要举措") is no figure.
  const withoutYears = line.replace(/(?:19|20)[0-9]{2}(?=年)/g, '');
  if (HEADING1.test(line) && line.length <= 50 && !/[0-9０-９]/.test(withoutYears) && !/。./.test(line)) return { kind: 'heading1', text: line };
  if (HEADING2.test(line)) {
    // A run-in heading ends at its first full stop; a heading line without one is the heading alone.
    const stop = line.search(/[。]/);
    const text = stop < 0 ? line : line.slice(0, stop + 1);
    const body = stop < 0 ? '' : line.slice(stop + 1);
    // A digit in the heading part would be printed as plain heading text, never a computed figure: keep only the ordinal as the heading.
    if (/[0-9０-９]/.test(text)) {
      const ordinal = line.match(HEADING2)![0];
      return { kind: 'heading2', text: ordinal, body: line.slice(ordinal.length) };
    }
    return { kind: 'heading2', text, body };
  }
  return { kind: 'paragraph', text: line };
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean, from: number): number {
  for (let i = items.length - 1; i >= from; i--) if (test(items[i]!)) return i;
  return -1;
}

/** "灵寿县人民政府关于2021年度法治政府建设情况的报告" → issuer, county name and year, as far as the title says. */
export function readTitle(title: string): { issuer?: string; county?: string; year?: number } {
  const compact = title.replace(/\s+/g, '');
  const year = compact.match(/(20\d\d)年/)?.[1];
  // The issuer opens the title: "××县人民政府关于…", never "××县2022年度法治政府建设…".
  const issuer = compact.match(/^([^\d（(关]+?人民政府)/)?.[1] ?? compact.match(/^([^\d（(关]+?政府)关于/)?.[1];
  const county = (issuer ?? compact).match(/^(.+?(?:自治县|自治旗|县|区|旗|市))/)?.[1];
  return { ...(issuer ? { issuer } : {}), ...(county ? { county } : {}), ...(year ? { year: Number(year) } : {}) };
}
