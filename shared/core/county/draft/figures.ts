/**
 * Finding the figures of a published report's paragraph: which digit strings
 * are statistics (125件, 60余名, 94.3%, 1.3万件, 27.4万元) and which are prose
 * (years, dates, document numbers, ordinals, titles, slogans, list markers,
 * hotlines). Pure: the paragraph in, its figures and the digit strings kept as
 * prose (each with the reason, for DRAFT-REVIEW.md) out.
 *
 * Counts printed in Chinese numerals (三次, 两轮, 十二场, 近千人) are figures
 * too, printed back in numerals (indicator "printIn": "汉字"), when a measure
 * word follows and the numeral is spelled as the report prints it
 * (report/chinese-numerals.ts). Ordinals (第三次), fixed expressions and
 * slogans (三项制度, 两个维护, 一次性), quotes and titles, and anything doubtful
 * (两三次, 上千人, 一次 on its own) stay prose, listed for review.
 */
import { parseChineseNumeral } from '../../report/chinese-numerals';

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
  /** Printed in Chinese numerals (三次): `number` is the numeral as printed, the indicator prints in 汉字. */
  chinese?: boolean;
}

export interface ProseNumber {
  start: number;
  end: number;
  text: string;
  reason: string;
  /** A Chinese-numeral count kept as prose (三项制度, 第三次): listed apart from the digit strings. */
  chinese?: boolean;
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
  const chinese = findChineseFigures(text, spans);
  const byStart = (a: { start: number }, b: { start: number }) => a.start - b.start;
  return { figures: [...figures, ...chinese.figures].sort(byStart), prose: [...prose, ...chinese.prose].sort(byStart) };
}

// ---- Chinese numerals ------------------------------------------------------

/** Measure words a count in Chinese numerals is read before: not 分 (百分之), 年 (五年规划), 届 (十九届), 元 or 级. */
const CHINESE_MEASURE_WORDS = [
  '个工作日', '个月', '人次', '户次', '家次', '件次', '场次', '批次', '课时', '学时', '小时',
  '次', '场', '轮', '件', '项', '个', '名', '人', '位', '家', '户', '期', '批', '支', '条', '份', '篇', '部', '所', '处',
  '起', '宗', '类', '种', '天', '台', '辆', '套', '座', '本', '册', '堂', '节', '块', '队', '组',
] as const;

const NUMERAL_CHARS = '零一二两三四五六七八九十百千万';
// Not from 零: 零件, 零售 are words, and a count of none is printed 0.
const CHINESE_RUN = /(?<![0-9０-９.．零一二两三四五六七八九十百千万])[一二两三四五六七八九十百千万][零一二两三四五六七八九十百千万]*/g;

/**
 * Fixed expressions, slogans and names that hold a numeral and a measure word
 * but state no figure of the year. Those in quotes are prose anyway; these are
 * the ones reports also print bare.
 */
const FIXED_EXPRESSIONS = [
  '两个维护', '两个确立', '四个意识', '四个自信', '四个全面', '三个代表', '五个一', '两个责任', '两个健康', '三个务必',
  '三项制度', '两张皮', '三番五次', '一次性', '一站式', '一把手', '一网通办', '一件事', '一次办', '两个必须', '三个区分开来', '四处', '两条腿',
];

/** Words before a numeral that make it vague (上千人, 数十次, 几百件): no number to bind. */
const VAGUE_BEFORE = /[上数几]$/;

const CHINESE_REASONS = {
  ordinal: 'an ordinal (第…)',
  fixed: 'a fixed expression or slogan (三项制度, 两个维护, 一次性)',
  spelling: 'Chinese numerals spelled otherwise than the report prints them (两百, 两三次): check it',
  vague: 'a vague amount (上千, 数十, 几百): check it',
  one: '一 before a measure word at the end of a clause (一次。): check whether it is a count',
  outline: 'the outline of what follows (三项工作：…)',
  listed: 'the number of things just named (决策、服务……五个方面)',
  range: 'a range',
} as const;

/** Reasons a person should look at: listed first in DRAFT-REVIEW.md. */
export const DOUBTFUL_CHINESE_REASONS: ReadonlySet<string> = new Set([CHINESE_REASONS.spelling, CHINESE_REASONS.vague, CHINESE_REASONS.one]);

/**
 * Counts in Chinese numerals followed by a measure word: figures when they
 * are plainly counts, otherwise prose with the reason. A numeral with no
 * measure word after it (三是, 十四五, 七五普法) is not a count and is not listed.
 */
function findChineseFigures(text: string, spans: Array<[number, number, string]>): { figures: FoundFigure[]; prose: ProseNumber[] } {
  const figures: FoundFigure[] = [];
  const prose: ProseNumber[] = [];
  const fixed: Array<[number, number, string]> = [];
  for (const expression of FIXED_EXPRESSIONS) {
    for (let at = text.indexOf(expression); at >= 0; at = text.indexOf(expression, at + 1)) fixed.push([at, at + expression.length, CHINESE_REASONS.fixed]);
  }
  for (const match of text.matchAll(CHINESE_RUN)) {
    const start = match.index;
    const runEnd = start + match[0].length;
    let pos = runEnd;
    let suffix: string | undefined;
    for (const q of ['余', '多']) {
      if (text.startsWith(q, pos)) {
        suffix = q;
        pos += q.length;
        break;
      }
    }
    const measure = CHINESE_MEASURE_WORDS.find((w) => text.startsWith(w, pos));
    if (!measure) continue;
    const end = pos + measure.length;
    let prefix: string | undefined;
    for (const q of PREFIX_QUALIFIERS) {
      if (text.slice(start - q.length, start) === q) {
        prefix = q;
        break;
      }
    }
    const keep = (reason: string) => prose.push({ start, end, text: text.slice(start, end), reason, chinese: true });
    const before = text.slice(Math.max(0, start - 4), start);
    const after = text.slice(end, end + 8);
    const inside = [...spans, ...fixed].find(([a, b]) => start >= a && start < b);
    if (inside) {
      keep(inside[2]);
      continue;
    }
    if (/第$/.test(before)) {
      keep(CHINESE_REASONS.ordinal);
      continue;
    }
    if (VAGUE_BEFORE.test(before)) {
      keep(CHINESE_REASONS.vague);
      continue;
    }
    if (/[至到~～—－-]$/.test(before) || new RegExp(`^[至到~～—－-][${NUMERAL_CHARS}]`).test(text.slice(runEnd))) {
      keep(CHINESE_REASONS.range);
      continue;
    }
    // The figure-level rules the digits follow: a standard or target, a policy's name, a time limit.
    const standard = proseReason(text, start, runEnd, []);
    if (standard) {
      keep(standard);
      continue;
    }
    // "围绕决策、服务、执法五个方面": it counts the items just named, or the parts of a plan, not the year's work.
    if (/^(?:方面|领域|环节|层面|维度|板块|重点)/.test(after) || /、[\u4e00-\u9fa5]{1,6}$/.test(text.slice(0, start))) {
      keep(CHINESE_REASONS.listed);
      continue;
    }
    if (/^[^，。；,;！？]{0,6}[：:]/.test(after)) {
      keep(CHINESE_REASONS.outline);
      continue;
    }
    if (/^(?:以上|以下|以内|左右)/.test(after)) {
      keep(CHINESE_REASONS.spelling);
      continue;
    }
    const qualifier = prefix ?? suffix;
    if (prefix && suffix) {
      keep(CHINESE_REASONS.spelling);
      continue;
    }
    const numeral = match[0];
    if (numeral === '一') {
      // 一次, 一批, 一个: mostly an article. Only "……一次。" might be a count, and a person decides.
      if (!prefix && !suffix && /^(?:[，。；,;！？]|$)/.test(after)) keep(CHINESE_REASONS.one);
      continue;
    }
    const value = parseChineseNumeral(numeral, { qualified: qualifier !== undefined });
    if (value === undefined) {
      // Lone 千/万/百 without a qualifier are idioms (千家万户); not worth a reviewer's time.
      if (!/^[百千万]$/.test(numeral)) keep(CHINESE_REASONS.spelling);
      continue;
    }
    const valueStart = prefix ? start - prefix.length : start;
    figures.push({
      start: valueStart,
      end,
      valueStart,
      valueEnd: pos,
      number: numeral,
      value,
      ...(qualifier ? { qualifier } : {}),
      measure,
      kind: 'count',
      decimals: 0,
      chinese: true,
    });
  }
  return { figures, prose };
}
