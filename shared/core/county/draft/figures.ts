/**
 * Finding the figures of a published report's paragraph: which digit strings
 * are statistics (125件, 60余名, 94.3%, 1.3万件, 27.4万元) and which are prose
 * (years, dates, document numbers, ordinals, titles, slogans, list markers,
 * hotlines). Pure: the paragraph in, its figures and the digit strings kept as
 * prose (each with the reason, for DRAFT-REVIEW.md) out.
 *
 * Only figures printed in Arabic digits (half- or full-width) become
 * placeholders: the report prints every figure in Arabic digits, so a figure
 * printed in Chinese numerals (三次, 近千人) could not come back as printed. Those
 * are listed for review instead.
 */

/** Measure words, longest first so 人次 wins over 人 and 个工作日 over 个. */
const MEASURE_WORDS = [
  '个百分点', '个工作日', '平方公里', '平方米', '百分点', '工作日', '个月',
  '人次', '户次', '家次', '件次', '场次', '批次', '课时', '学时', '小时', '分钟', '亿元', '千元', '万元',
  '公里', '千米', '公顷', '万亩',
  '元', '亩', '吨', '套', '台', '辆', '个', '件', '项', '次', '场', '人', '名', '位', '户', '家', '所', '处', '起', '宗',
  '份', '篇', '部', '本', '册', '张', '条', '期', '批', '类', '支', '队', '组', '轮', '票', '天', '分', '倍', '座', '间',
  '块', '种', '门', '节', '堂', '课', '集', '幅', '封', '卷', '棵', '株', '头', '只', '周', '所', '列', '款', '届', '米',
] as const;

const PREFIX_QUALIFIERS = ['大约', '将近', '接近', '超过', '不足', '不到', '约', '近', '逾'] as const;
const SUFFIX_QUALIFIERS = ['以上', '左右', '余', '多'] as const;

export type FigureKind = 'count' | 'amount' | 'percent' | 'count_in_wan';

export interface FoundFigure {
  /** Offsets in the paragraph of the whole printed figure: qualifier, number and measure word ("近60个"). */
  start: number;
  end: number;
  /** Offsets of the part the placeholder replaces (qualifier and number, and 万 for a count printed in 万). */
  valueStart: number;
  valueEnd: number;
  /** The number as printed, digits half-width: "60", "94.3", "1.3". */
  number: string;
  value: number;
  qualifier?: string;
  /** Where the qualifier is printed: beside the number (the placeholder prints it) or after the measure word (kept as prose). */
  qualifierAfterMeasure?: boolean;
  /** The measure word printed after the figure ("件", "%", "万元"); for a count printed in 万, the word after 万. */
  measure: string;
  kind: FigureKind;
  /** Decimal places printed. */
  decimals: number;
  /** Printed with a trailing zero (3.50) or a leading zero the report cannot print back. */
  unprintable?: string;
}

export interface ProseNumber {
  start: number;
  end: number;
  text: string;
  reason: string;
}

const DIGIT = /[0-9０-９]/;
const NUMBER = /[0-9０-９]+(?:[.．][0-9０-９]+)?/g;

/** Full-width digits and point as half-width, offsets unchanged (one character each). */
export const halfWidth = (text: string) => text.replace(/[０-９．]/g, (c) => (c === '．' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));

/** Spans of quoted names, titles and slogans: “…”, 《…》, ‘…’, "…", 〔…〕, 【…】. */
function quotedSpans(text: string): Array<[number, number, string]> {
  const spans: Array<[number, number, string]> = [];
  const pairs: Array<[string, string, string]> = [
    ['“', '”', 'a quoted name or slogan'],
    ['‘', '’', 'a quoted name or slogan'],
    ['《', '》', 'a document or book title'],
    ['〈', '〉', 'a document or book title'],
    ['〔', '〕', 'a document number'],
    ['【', '】', 'a bracketed label'],
  ];
  for (const [open, close, reason] of pairs) {
    let from = 0;
    for (;;) {
      const a = text.indexOf(open, from);
      if (a < 0) break;
      const b = text.indexOf(close, a + 1);
      if (b < 0) break;
      spans.push([a, b + 1, reason]);
      from = b + 1;
    }
  }
  // Straight double quotes pair up in order.
  const straight = [...text.matchAll(/"/g)].map((m) => m.index);
  for (let i = 0; i + 1 < straight.length; i += 2) spans.push([straight[i]!, straight[i + 1]! + 1, 'a quoted name or slogan']);
  return spans;
}

const LIST_MARKER_AT_START = /^\s*(?:[（(][0-9０-９]{1,2}[）)]|[0-9０-９]{1,2}[.．、）)](?![0-9０-９]))/;

/** Why a digit string is prose, or undefined when it is a figure candidate. */
function proseReason(text: string, start: number, end: number, spans: Array<[number, number, string]>): string | undefined {
  const number = halfWidth(text.slice(start, end));
  const before = text.slice(Math.max(0, start - 4), start);
  const after = text.slice(end, end + 6);
  const prev = before.slice(-1);
  const next = after.slice(0, 1);
  for (const [a, b, reason] of spans) if (start >= a && end <= b) return reason;
  if (start === 0 || /^\s*$/.test(text.slice(0, start)) || /[（(]$/.test(before)) {
    const head = text.slice(0, end + 2);
    if (LIST_MARKER_AT_START.test(head) && head.trim().length <= end - text.slice(0, start).length + 3) return 'a list marker';
  }
  if (/[（(]$/.test(before) && /^[）)]/.test(after) && number.length <= 2) return 'a list marker';
  if (prev === '第' || /第$/.test(before)) return 'an ordinal (第…)';
  // The clause before the number, without quoted names (“最多跑一次” is a name, not a bound).
  const clause = (text.slice(0, start).split(/[，。；,;！？]/).at(-1) ?? '').replace(/“[^”]*”|《[^》]*》|"[^"]*"/g, '');
  if (/^条(?:措施|举措|硬措施|意见|规定|要求|禁令|规范|政策)/.test(after) && /对标|落实|贯彻|按照|根据|依据|执行|对照|围绕|出台的|印发的/.test(clause)) return 'the name of a policy (对标……23条措施)';
  if (/(?:每|满)$/.test(before) || /至少|不少于|不低于|不超过|最多|力争|争取|确保|目标|预计|计划到|提高到|提升到/.test(clause)) return 'a standard, threshold or target (至少2名, 力争…)';
  // "压缩至0.5个工作日以内": a time limit, not a count.
  if (/^[^\d，。；,;]{0,5}?(?:以内|以下)/.test(after)) return 'a standard, threshold or target (至少2名, 力争…)';
  // "涵盖……5方面10项内容": the outline of a document.
  if (/[0-9０-９]方面$/.test(before) || /^方面[0-9０-９]/.test(after)) return "a document's outline (5方面10项)";
  if (/^\d{4}$/.test(number) && Number(number) >= 1949 && Number(number) <= 2100) {
    if (/^(?:年|〕|\]|[-—–~－至―]|\)|）|、\d|\s*[-—–]|届)/.test(after) || /[-—–~－至―]$/.test(before)) return 'a year';
  }
  if (/^年/.test(after)) return 'a year or a span of years';
  if (/^(?:月|日(?!常)|号|时(?!间)|点(?!位)|:|：\d|·)/.test(after) || prev === '·') return 'a date, time or number (…月/日/号)';
  if (/^(?:周年|周岁|岁|届|级|代|期间|世纪|年代)/.test(after)) return 'an anniversary, age or level';
  if (/^[+＋×*/／xX]/.test(after) || /[+＋×*/／xX]$/.test(before)) return 'part of a formula or slogan (1+N, 7×24)';
  if (/^[A-Za-z]/.test(after) || /[A-Za-z]$/.test(before)) return 'part of a code or name (5G, 3A)';
  if (/^热线/.test(after) || /热线$/.test(before) || /^123\d\d$/.test(number)) return 'a hotline number';
  if (/^[-—–~～至][0-9０-９]/.test(after) || /[0-9０-９][-—–~～至]$/.test(before)) return 'a range';
  if (/^\d{7,}$/.test(number)) return 'a phone or code number';
  if (/^\.\d/.test(after)) return 'a version or section number';
  return undefined;
}

/**
 * Every Arabic-digit string of the paragraph, as a figure (with its measure
 * word and qualifier) or as prose (with the reason).
 */
export function findFigures(text: string): { figures: FoundFigure[]; prose: ProseNumber[] } {
  const figures: FoundFigure[] = [];
  const prose: ProseNumber[] = [];
  const spans = quotedSpans(text);
  const half = halfWidth(text);
  for (const match of half.matchAll(NUMBER)) {
    const start = match.index;
    let end = start + match[0].length;
    const number = match[0];
    // A dotted list marker mid-paragraph: "。2.加强…" (digit, point, no digit after).
    const reason = proseReason(text, start, end, spans);
    if (reason) {
      prose.push({ start, end, text: text.slice(start, end), reason });
      continue;
    }
    if (/^[.．、]/.test(half.slice(end)) && !DIGIT.test(half.slice(end + 1, end + 2)) && /(?:^|[。；;！？\s])$/.test(half.slice(0, start))) {
      prose.push({ start, end, text: text.slice(start, end), reason: 'a list marker' });
      continue;
    }
    let valueStart = start;
    let qualifier: string | undefined;
    for (const q of PREFIX_QUALIFIERS) {
      if (half.slice(start - q.length, start) === q) {
        qualifier = q;
        valueStart = start - q.length;
        break;
      }
    }
    let pos = end;
    let qualifierAfterMeasure = false;
    if (!qualifier) {
      for (const q of SUFFIX_QUALIFIERS) {
        if (half.startsWith(q, pos)) {
          qualifier = q;
          pos += q.length;
          break;
        }
      }
    }
    let kind: FigureKind = 'count';
    let measure: string | undefined;
    let valueEnd = pos;
    if (half.startsWith('%', pos) || half.startsWith('％', pos)) {
      kind = 'percent';
      measure = '%';
      pos += 1;
    } else {
      let wan = false;
      const beforeWan = pos;
      if (half.startsWith('万', pos) && !half.startsWith('万元', pos) && !half.startsWith('万亩', pos)) {
        wan = true;
        pos += 1;
        valueEnd = pos;
        // 1.3万余件: a qualifier after 万 is still the figure's.
        if (!qualifier) {
          for (const q of SUFFIX_QUALIFIERS) {
            if (half.startsWith(q, pos)) {
              qualifier = q;
              pos += q.length;
              valueEnd = pos;
              break;
            }
          }
        }
      }
      const word = MEASURE_WORDS.find((w) => half.startsWith(w, pos));
      if (word) {
        measure = word;
        pos += word.length;
        if (wan && number.includes('.') && number.split('.')[1]!.length > 1) {
          // 1.25万件 cannot be printed from an exact count (one decimal of 万 at most): an amount in 万件.
          measure = `万${word}`;
          kind = 'amount';
          valueEnd = beforeWan;
        } else if (wan) kind = 'count_in_wan';
      } else if (wan) {
        // "达1.3万，": 万 itself is the measure word.
        measure = '万';
        valueEnd = beforeWan;
        kind = 'amount';
      }
    }
    if (!measure) {
      prose.push({ start, end, text: text.slice(start, end), reason: 'no measure word after it (kept as prose: check it)' });
      continue;
    }
    if (!qualifier) {
      for (const q of SUFFIX_QUALIFIERS) {
        if (half.startsWith(q, pos) && (q === '以上' || q === '左右')) {
          qualifier = q;
          qualifierAfterMeasure = true;
          break;
        }
      }
    }
    const decimals = number.includes('.') ? number.split('.')[1]!.length : 0;
    const value = Number(number);
    if (kind === 'count' && decimals > 0) kind = 'amount';
    let unprintable: string | undefined;
    if (decimals > 0 && number.endsWith('0')) unprintable = 'printed with a trailing zero, which the report drops';
    if (/^0\d/.test(number)) unprintable = 'printed with a leading zero';
    figures.push({
      start: valueStart,
      end: pos + (qualifierAfterMeasure ? qualifier!.length : 0),
      valueStart,
      valueEnd,
      number,
      value,
      ...(qualifier ? { qualifier } : {}),
      ...(qualifierAfterMeasure ? { qualifierAfterMeasure } : {}),
      measure,
      kind,
      decimals,
      ...(unprintable ? { unprintable } : {}),
    });
  }
  return { figures, prose };
}

/** Figures printed in Chinese numerals (三次, 十余件, 近千人): listed for review, never bound. */
export function chineseNumeralFigures(text: string): string[] {
  return chineseNumeralMatches(text).map((m) => m.text);
}

/** The same, with where each is in the text. */
export function chineseNumeralMatches(text: string): Array<{ text: string; at: number }> {
  const found: Array<{ text: string; at: number }> = [];
  const pattern = /(?<![第一二三四五六七八九十百千两])(?:近|约|逾)?[一二三四五六七八九十两百千]{1,4}(?:余|多)?(?:件|次|场|人次|名|项|家|户|期|批)(?![会届中全])/g;
  for (const match of text.matchAll(pattern)) {
    const before = text.slice(Math.max(0, match.index - 1), match.index);
    if (/[“《]/.test(before)) continue;
    if (/^[一两]/.test(match[0]) && match[0].length <= 2) continue; // 一次, 一件: an article, not a count
    found.push({ text: match[0], at: match.index });
  }
  return found;
}
