import { loadCatalogue } from '../../catalogue/load';
import type { IndicatorDef } from '../../catalogue/schema';
import { DOUBTFUL_CHINESE_REASONS, findFigures, type FoundFigure, type ProseNumber } from './figures';
import { readTitle, splitReport, type DraftBlock, type SourceParagraph } from './structure';
import { OUTSIDE_GOVERNMENT, pinyinId, SUBMITTER_KEYWORDS, UnitFinder, type DraftUnit } from './units';

/**
 * `county draft`: a county folder drafted from its last published report.
 * Pure: the report's paragraphs in, the folder's files (as text) and what a
 * person should review out. The prose is kept exactly; every figure becomes a
 * {{fig:…}} placeholder bound to an indicator of the county's own, and the
 * samples hold the published values, so the demo prints the published text.
 */
export interface DraftOptions {
  id?: string;
  name?: string;
  year?: number;
  /** Unit names, one per entry, for units the text never names. */
  units?: readonly string[];
  /** The source file's name, for the review notes. */
  sourceName?: string;
}

export interface DraftedFigure {
  indicatorId: string;
  /** The source line the figure is in, and its offsets there (qualifier, number and measure word). */
  line: string;
  start: number;
  end: number;
  measure: string;
  qualifier?: string;
  unitId: string;
  /** How the submitter was chosen. */
  submitterBy: 'sentence' | 'keyword' | 'issuer' | 'national';
}

export interface CountyDraft {
  countyId: string;
  year: number;
  /** Relative path in the folder → file content. */
  files: Record<string, string>;
  figures: DraftedFigure[];
  prose: Array<ProseNumber & { line: string }>;
  /** What was taken from the title or signature rather than given (for the command's output). */
  inferred: string[];
  /** Whether the text has its own salutation, signature and date (otherwise the county's defaults print them). */
  has: { addressees: boolean; signature: boolean; date: boolean };
  /** The published text the demo must reproduce, block by block, as drafted. */
  structureTitle: string;
}

export class DraftError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DraftError';
  }
}

const TEMPLATE_TOPIC = 'county_report';
const SENTENCE_BREAK = /[。；！？]/;

export function draftCounty(paragraphs: readonly SourceParagraph[], options: DraftOptions = {}): CountyDraft {
  const structure = splitReport(paragraphs);
  const fromTitle = readTitle(structure.title);
  const inferred: string[] = [];
  const name = options.name ?? fromTitle.county;
  if (!name) throw new DraftError(`标题“${structure.title}”中读不出县名：请用 --name 指定县名（如 --name 某某县）`);
  if (!options.name) inferred.push(`县名“${name}”取自标题`);
  const year = options.year ?? fromTitle.year;
  if (!year) throw new DraftError(`标题“${structure.title}”中读不出年度：请用 --year 指定`);
  if (!options.year) inferred.push(`年度${year}取自标题`);
  const signatureIssuer = structure.signature && /政府$/.test(structure.signature) ? structure.signature : undefined;
  const government = signatureIssuer ?? fromTitle.issuer ?? `${name}人民政府`;
  inferred.push(signatureIssuer ? `发文机关“${government}”取自落款` : fromTitle.issuer ? `发文机关“${government}”取自标题` : `发文机关按县名写作“${government}”（原文没有写明）`);
  const countyId = options.id ?? pinyinId(name.replace(/(?:自治县|县|区|旗|市)$/, '')).replace(/_/g, '');
  if (!/^[a-z][a-z0-9_]*$/.test(countyId)) throw new DraftError(`县的标识“${countyId}”须为小写拼音（snake_case）：请用 --id 指定`);
  if (!options.id) inferred.push(`县的标识“${countyId}”由县名拼音生成`);

  const finder = new UnitFinder(name, government);
  for (const line of options.units ?? []) if (line.trim()) finder.listed(line);

  const indicators: IndicatorDef[] = [];
  const figures: DraftedFigure[] = [];
  const prose: Array<ProseNumber & { line: string }> = [];
  const samples = new Map<string, Record<string, number | string>>();
  const review = new ReviewNotes();
  const usedIds = new Set<string>();
  const usedNames = new Set<string>();
  // National ids are never the county's own (a county redefines one only after excluding it).
  for (const def of loadCatalogue().indicators) usedIds.add(def.id);
  const nationalUsed: string[] = [];

  /** One line of prose with its figures replaced by placeholders; `offset` is where `text` starts in `line`. */
  const templateText = (text: string, line: string, offset: number): string => {
    const { figures: found, prose: kept } = findFigures(text);
    for (const p of kept) prose.push({ ...p, start: p.start + offset, end: p.end + offset, line });
    let out = '';
    let last = 0;
    const named = finder.find(line);
    for (const f of found) {
      const indicator = indicatorFor(f, text, line, offset + f.start, named);
      out += text.slice(last, f.valueStart) + `{{fig:${indicator.id}}}`;
      last = f.valueEnd;
    }
    return out + text.slice(last);
  };

  const indicatorFor = (f: FoundFigure, text: string, line: string, at: number, named: ReturnType<UnitFinder['find']>): IndicatorDef => {
    const sentenceStart = lastIndexOf(line, SENTENCE_BREAK, at) + 1;
    const nextBreak = line.slice(at).search(SENTENCE_BREAK);
    const sentence = line.slice(sentenceStart, nextBreak < 0 ? line.length : at + nextBreak + 1);
    const context = contextOf(line, at, f, text);
    const inSentence = named.filter((n) => n.at >= sentenceStart && n.at < at);
    let unit: DraftUnit;
    let submitterBy: DraftedFigure['submitterBy'];
    if (inSentence.length) {
      unit = inSentence.at(-1)!.unit;
      submitterBy = 'sentence';
    } else {
      const rule = SUBMITTER_KEYWORDS.find((r) => r.words.some((w) => context.includes(w))) ?? SUBMITTER_KEYWORDS.find((r) => r.words.some((w) => sentence.includes(w)));
      if (rule) {
        const present = rule.unit === 'approval_bureau' ? ['approval_bureau', 'government_service_bureau', 'government_service_center'].find((id) => finder.units.has(id)) : undefined;
        unit = finder.byId(present ?? rule.unit);
        submitterBy = 'keyword';
      } else {
        unit = finder.byId('government_office');
        submitterBy = 'issuer';
      }
    }
    // A national indicator that clearly fits, when exactly one unit holds the role that submits it nationally.
    const national = nationalFit(context, f, usedIds);
    const holders = national ? [...finder.units.values()].filter((u) => u.roles.includes(national.role)) : [];
    let def: IndicatorDef;
    let id: string;
    let indicatorName: string;
    if (national && holders.length === 1) {
      unit = holders[0]!;
      submitterBy = 'national';
      def = national.def;
      id = def.id;
      indicatorName = def.name;
      usedIds.add(`national:${id}`);
      nationalUsed.push(`${line.slice(at, at + f.end - f.start)} → ${def.name}（${def.id}，${unit.name}报送）`);
    } else {
      indicatorName = uniqueName(nameOf(context, f), usedNames);
      id = uniqueId(idOf(context, f), usedIds);
      def = indicatorDef(id, indicatorName, f, unit.id, sentence);
      indicators.push(def);
    }
    const values = samples.get(unit.id) ?? {};
    values[id] = sampleValue(f);
    samples.set(unit.id, values);
    figures.push({
      indicatorId: id,
      line,
      start: at,
      end: at + (f.end - f.start),
      measure: f.measure,
      ...(f.qualifier ? { qualifier: f.qualifier } : {}),
      unitId: unit.id,
      submitterBy,
    });
    if (submitterBy === 'keyword' || submitterBy === 'issuer') review.submitter(`${line.slice(at, at + f.end - f.start)}（${indicatorName}）`, unit, submitterBy, sentence);
    if (f.unprintable) review.doubt(`“${line.slice(at, at + f.end - f.start)}”${f.unprintable === 'printed with a trailing zero, which the report drops' ? '末位的0在报告中不会印出（报告印作去掉末位0的数）：请改原文或接受此差异' : '开头的0在报告中不会印出'}`);
    if (f.qualifierAfterMeasure) review.kind(`“${line.slice(at, at + f.end - f.start)}”的“${f.qualifier}”印在量词之后，报告只能把约数的限定词印在数字旁，所以草稿把“${f.qualifier}”留在正文中，样例填确数${f.number}（指标允许约数）：请确认这句话每年都成立`);
    if (f.chinese) review.kind(`“${line.slice(at, at + f.end - f.start)}”用汉字写成，按汉字印出（printIn 汉字）：样例填${sampleValue(f)}，报告印作“${line.slice(at, at + f.valueEnd - f.start)}”`);
    if (f.kind === 'count_in_wan') review.kind(`“${line.slice(at, at + f.end - f.start)}”按“以万为单位印出的大数”处理（printIn 万）：样例填确数${Math.round(f.value * 10000)}，报告印到万位后一位小数`);
    if (f.kind === 'amount' && f.measure.startsWith('万') && f.measure !== '万元') review.kind(`“${line.slice(at, at + f.end - f.start)}”有两位以上小数，按以“${f.measure}”为单位的数处理（printIn 万 只印一位小数）`);
    return def;
  };

  const blocks: Array<Record<string, unknown>> = [];
  const preamble = templateText(structure.preamble, structure.preamble, 0);
  for (const block of structure.blocks) blocks.push(templateBlock(block, templateText));
  const completenessClaims = [structure.preamble, ...structure.blocks.map((b) => (b.kind === 'heading2' ? b.text + b.body : b.text))].flatMap((line) =>
    line.split(/(?<=[。；])/).filter((s) => /均已|均为|均达|全部|全覆盖|实现了?.{0,8}覆盖|无一|100%/.test(s)),
  );

  // Units named in the text that the draft gives no figure: they send text only, until someone binds a figure to them.
  for (const line of [structure.preamble, ...structure.blocks.map((b) => (b.kind === 'heading2' ? b.text + b.body : b.text))]) finder.find(line);
  const units = [...finder.units.values()];
  const issuerTitle = structure.title.replace(/\s+/g, '');
  const title = issuerTitle.startsWith(government) ? `{{government}}${issuerTitle.slice(government.length)}` : issuerTitle;
  const titleWithYear = title.replace(new RegExp(`${year}(?=年)`), '{{year}}');

  const docNumber = structure.docNumber?.match(/^(.+)〔(\d{4})〕(\d+)号$/);
  const docNumberPrefix = docNumber?.[1] ?? `${name.replace(/(?:自治县|县|区|旗)$/, '').slice(0, 1)}政`;
  const template: Record<string, unknown> = {
    title: titleWithYear,
    ...(docNumber
      ? Number(docNumber[2]) === year + 1
        ? { docNumber: '{{docNumberPrefix}}〔{{reportYear}}〕{{docSequence}}号', docSequence: Number(docNumber[3]) }
        : { docNumber: structure.docNumber }
      : {}),
    writtenFor: year,
    preamble,
    blocks,
    closing: structure.closing ?? '',
    ...(structure.date ? { date: structure.date } : {}),
    ...(structure.note ? { note: structure.note } : {}),
  };

  const addressees = structure.addressees ?? [`中共${name}委`];
  const county = {
    id: countyId,
    name,
    government,
    addressees,
    docNumberPrefix,
    timeZone: 'Asia/Shanghai',
    collection: {
      deadline: '01-15',
      schedules: [
        { expression: 'cron(0 18 * 12 ? *)', description: '每天18:00汇总一次（12月收集期）' },
        { expression: 'cron(0 18 1-15 1 ? *)', description: '每天18:00汇总一次（1月1日至截止日）' },
        { expression: 'cron(0 9 16 1 ? *)', description: '截止次日9:00出正式草稿' },
      ],
    },
    ...(structure.frame ? { documentFrame: structure.frame } : {}),
    units: units.map((u) => {
      const asked = samples.has(u.id);
      return {
        id: u.id,
        name: u.name,
        aliases: u.aliases,
        kind: u.kind,
        groups: u.groups,
        roles: u.roles,
        ...(OUTSIDE_GOVERNMENT.has(u.id) ? { optional: true } : {}),
        ...(asked ? {} : { narrativeOnly: true }),
      };
    }),
  };

  const files: Record<string, string> = {
    'county.json': json(county),
    'template.json': json(template),
    'indicators.json': json(indicators),
  };
  for (const [unitId, values] of samples) {
    files[`samples/${year}/${unitId}.json`] = json({ $schema: 'yearly-report/submission-file@1', county: countyId, year, unit: unitId, indicators: values });
  }

  // ---- review notes, most doubtful first ------------------------------------
  const byReason = new Map<string, string[]>();
  for (const p of prose) {
    const around = p.line.slice(Math.max(0, p.start - 8), p.end + 6);
    const list = byReason.get(p.reason) ?? [];
    list.push(`…${around}…`);
    byReason.set(p.reason, list);
  }
  const md: string[] = [];
  md.push(`# ${name}（${countyId}）草稿：请逐项核对`, '');
  md.push(
    `本文件夹由 \`yearly-report county draft\` 从${options.sourceName ? `《${options.sourceName}》` : '已发布的报告'}（${year}年度）生成。` +
      `报告正文原样保留为 template.json，其中${figures.length}个数字写成了指标占位符，各单位的样例（samples/${year}/）填的是已发布的数字，` +
      `所以 \`npm start -- --county-dir <本文件夹> --year ${year}\` 印出的正文与原文一致。以下按“最可能出错”在前的顺序列出需要人核对的决定；核对完即可提交。`,
    '',
  );
  md.push('## 1. 可能是统计数字、却留在正文中的数字', '');
  const doubtful = byReason.get('no measure word after it (kept as prose: check it)') ?? [];
  const doubtfulChinese = [...DOUBTFUL_CHINESE_REASONS].flatMap((reason) => (byReason.get(reason) ?? []).map((d) => `${d}（${REASON_ZH[reason]}）`));
  if (!doubtful.length && !doubtfulChinese.length) md.push('无。', '');
  if (doubtful.length) {
    md.push('后面没有量词，草稿没有把它当作数字（如果是统计数字，请在 template.json 中改为占位符并新增指标）：', '');
    for (const d of doubtful) md.push(`- ${d}`);
  }
  if (doubtfulChinese.length) {
    md.push(
      ...(doubtful.length ? [''] : []),
      '用汉字写的、拿不准是不是统计数字的（如果是，请在 template.json 中改为占位符，新增 "printIn": "汉字" 的指标；写法须是报告印得出的：两次、十二场、一百零五件、近千人）：',
      '',
    );
    for (const d of doubtfulChinese) md.push(`- ${d}`);
  }
  md.push('', '## 2. 不能按原样印出的数字', '');
  md.push(...(review.doubts.length ? review.doubts.map((d) => `- ${d}`) : ['无。']), '');
  md.push('## 3. 猜测的报送单位', '');
  md.push('句中写明单位的数字由该单位报送；其余按关键词表（复议、调解、普法等归司法局，政务服务、一网通办等归行政审批或政务服务部门……，见 shared/core/county/draft/units.ts）或由县政府办公室报送。请核对：', '');
  md.push(...(review.submitters.length ? review.submitters.map((d) => `- ${d}`) : ['无（每个数字所在的句子都写明了单位）。']), '');
  if (nationalUsed.length) {
    md.push('国家指标（shared/core/catalogue/indicators.json）明显适用的数字，由在全国目录中报送它的角色所在单位报送：', '');
    md.push(...nationalUsed.map((d) => `- ${d}`), '');
  }
  md.push('## 4. 猜测的数字种类', '');
  md.push(
    '- 带“余、近、约、多、左右、以上”等的数字按约数处理（approximateAllowed），样例照原样填写。',
    '- 带小数的按可有小数的数处理（amount），%按比例（percent，超过100的按数额），万元按金额。',
    '- “各1次”“均为100%”这类几个单位共用的数字，草稿按一个普通数字处理，由一个单位报送：如应由多个单位各自报送，请改 indicators.json 的 submittedBy 和聚合方式。',
    ...review.kinds.map((d) => `- ${d}`),
    '',
  );
  md.push('## 5. 含“均已、全部、全覆盖、100%”等完整性表述的句子', '');
  md.push('这些句子断言“所有单位”都做到了：请确认数字的应报单位覆盖了句子所说的全部单位。', '');
  md.push(...(completenessClaims.length ? completenessClaims.map((s) => `- ${s.trim()}`) : ['无。']), '');
  md.push('## 6. 单位', '');
  md.push('各单位的名称按“县名＋常用全称”生成，别名是人们常写的简称；请对照本县机构设置核对全称。没有分到数字的单位标为只报送文字材料（narrativeOnly）。', '');
  for (const u of units) {
    const origin = { text: '正文提到', list: '--units 列出', keyword: '正文没有提到，按关键词表加入', issuer: '发文机关的办公室（兜底报送单位）' }[u.origin];
    md.push(`- ${u.name}（${u.id}）：${origin}；${samples.has(u.id) ? `报送${Object.keys(samples.get(u.id)!).length}个数字` : '只报送文字材料'}${u.roles.length ? `；国家角色：${u.roles.join('、')}` : ''}${OUTSIDE_GOVERNMENT.has(u.id) ? '；不属政府序列，标为可选报送' : ''}`);
  }
  md.push('', '## 7. 留在正文中的年份、日期、序号、文件名和口号', '');
  md.push('下列数字串不是统计数字，草稿把它们原样留在正文中：', '');
  for (const [reason, list] of byReason) {
    if (reason.startsWith('no measure word') || DOUBTFUL_CHINESE_REASONS.has(reason)) continue;
    md.push(`- ${REASON_ZH[reason] ?? reason}：${list.slice(0, 12).join('；')}${list.length > 12 ? `；等${list.length}处` : ''}`);
  }
  md.push('', '## 8. 取自原文的其他信息', '');
  md.push(...inferred.map((s) => `- ${s}`));
  md.push(
    structure.addressees ? `- 主送机关取自称呼行：${addressees.join('、')}` : `- 原文没有称呼行：主送机关暂写“${addressees.join('、')}”，报告会多印这一行，请改为实际的主送机关`,
    structure.docNumber ? `- 文号取自原文：${structure.docNumber}` : `- 原文没有文号：docNumberPrefix 暂写“${docNumberPrefix}”（模板不印文号）`,
    structure.signature ? `- 落款：${structure.signature}` : `- 原文没有落款：报告会印发文机关“${government}”`,
    structure.date ? `- 成文日期：${structure.date}` : '- 原文没有成文日期：报告印生成日期',
    ...(structure.frame ? [`- 版头、版记（county.json 的 documentFrame）：${[structure.frame.masthead, structure.frame.copyTo && `抄送${structure.frame.copyTo.join('、')}`, structure.frame.printedBy && `${structure.frame.printedBy}印发`].filter(Boolean).join('；')}`] : []),
    `- 征集截止日期暂定为次年1月15日，汇总时间见 county.json 的 collection，请按本县安排修改`,
  );
  if (structure.dropped.length) {
    md.push('', '## 9. 作为网页或文件外框删去的行', '');
    for (const d of structure.dropped) md.push(`- ${d}`);
  }
  files['DRAFT-REVIEW.md'] = `${md.join('\n')}\n`;

  return {
    countyId,
    year,
    files,
    figures,
    prose,
    inferred,
    has: { addressees: Boolean(structure.addressees), signature: Boolean(structure.signature), date: Boolean(structure.date) },
    structureTitle: structure.title,
  };
}

const REASON_ZH: Record<string, string> = {
  'a quoted name or slogan': '引号中的名称或口号',
  'a document or book title': '书名号中的文件或书名',
  'a document number': '文号',
  'a bracketed label': '方括号中的标注',
  'a list marker': '序号',
  'an ordinal (第…)': '序数（第……）',
  'a year': '年份',
  'a year or a span of years': '年份或年数',
  'a date, time or number (…月/日/号)': '日期、时刻或编号',
  'an anniversary, age or level': '周年、年龄或级别',
  'part of a formula or slogan (1+N, 7×24)': '算式或口号（1+N、7×24）',
  'part of a code or name (5G, 3A)': '代号或名称（5G、3A）',
  'a hotline number': '热线号码',
  'a range': '数字范围',
  "a document's outline (5方面10项)": '文件的结构（5方面10项）',
  'the name of a policy (对标……23条措施)': '政策文件的名称（对标……23条措施）',
  'a standard, threshold or target (至少2名, 力争…)': '标准、门槛或目标（至少2名、力争……）',
  'a phone or code number': '电话或编码',
  'a version or section number': '版本号或条目号',
  'a fixed expression or slogan (三项制度, 两个维护, 一次性)': '固定说法或口号（三项制度、两个维护、一次性）',
  'Chinese numerals spelled otherwise than the report prints them (两百, 两三次): check it': '报告印不出的汉字数字写法（两百、两三次）',
  'a vague amount (上千, 数十, 几百): check it': '概数（上千、数十、几百）',
  '一 before a measure word at the end of a clause (一次。): check whether it is a count': '句末的“一＋量词”（一次。），可能是数字',
  'the outline of what follows (三项工作：…)': '下文的提纲（三项工作：……）',
  'the number of things just named (决策、服务……五个方面)': '所列事项的个数（决策、服务……五个方面）',
};

class ReviewNotes {
  readonly doubts: string[] = [];
  readonly submitters: string[] = [];
  readonly kinds: string[] = [];
  doubt(text: string) {
    this.doubts.push(text);
  }
  kind(text: string) {
    this.kinds.push(text);
  }
  submitter(figure: string, unit: DraftUnit, by: 'keyword' | 'issuer', sentence: string) {
    const why = by === 'keyword' ? '按关键词表' : '句中没有单位、也没有关键词，归发文机关的办公室';
    this.submitters.push(`${figure} → ${unit.name}（${why}）：“${sentence.trim().slice(0, 60)}”`);
  }
}

function templateBlock(block: DraftBlock, templateText: (text: string, line: string, offset: number) => string): Record<string, unknown> {
  switch (block.kind) {
    case 'heading1':
      return { kind: 'heading1', text: block.text };
    case 'heading2': {
      const line = block.text + block.body;
      return { kind: 'heading2', text: block.text, body: block.body ? templateText(block.body, line, block.text.length) : '' };
    }
    case 'paragraph':
      return { kind: 'paragraph', text: templateText(block.text, block.text, 0) };
  }
}

const FILLER_START = /^(?:其中|此外|另外|同时|全年|全县|年内|目前|截至目前|截至年底|截至\d+月底|共计|总计|累计|合计|先后|依法|组织|共|已|均|分别|全部|并|还|再|又|我县|本县|县(?![直级域乡])|对|向|为|在|有)+/;
const FILLER_END = /(?:共计|总计|累计|合计|分别|达到|达|共|为|计|约|近|超过|逾|不足|不到|将近|接近|大约|了|至|到|有|各|均|已|的)+$/;

/** The words naming a figure: the clause before it, else (when that names something else) what it counts, after its measure word. */
function contextOf(line: string, at: number, f: FoundFigure, text: string): string {
  void text;
  const before = line.slice(0, at);
  const clause = before.slice(lastIndexOf(before, /[，。；：、,;:！？]/, before.length) + 1);
  // "18个乡镇和32个县直部门": the words before the second figure belong to the first.
  const sinceFigure = clause.slice(clause.search(/[0-9０-９][^0-9０-９]*$/) + 1);
  const enumerating = /[0-9０-９]/.test(clause) && /(?:和|及|与|、)$/.test(sinceFigure);
  // "412个人民调解委员会共调解矛盾纠纷2867件": after an earlier figure, the words from its measure word on.
  const own = /[0-9０-９]/.test(clause) ? sinceFigure.replace(/^(?:[.．][0-9０-９]+)?(?:万|余|多)?(?:人次|个|名|件|项|次|场|人|户|家|条|份|所|处|起|支)/, '') : clause;
  let context = enumerating ? '' : own.replace(FILLER_START, '').replace(FILLER_END, '');
  let after = false;
  if (context.replace(/[^\u4e00-\u9fa5]/g, '').length < 2) {
    const rest = line.slice(at + (f.end - f.start));
    const stop = rest.search(/[，。；：、,;:！？0-9０-９]|和|及|与|共|均|全部|都|已|开展|参加|实现/);
    context = (stop < 0 ? rest : rest.slice(0, stop)).replace(FILLER_START, '');
    after = true;
  }
  context = context.replace(/[0-9０-９.%％]+/g, '').replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）');
  if (context.length > 20) context = after ? context.slice(0, 20) : context.slice(-20);
  return context || '数字';
}

/**
 * National indicators a figure clearly is, by the words right before it and its measure word. Only those one
 * role submits (not a group's sum or a computed rate), each used once.
 */
const NATIONAL_FITS: ReadonlyArray<{ words: RegExp; measure: string; id: string }> = [
  { words: /会前合法性审查$/, measure: '件', id: 'legality_review_meeting_items' },
  { words: /重大行政决策(?:事项)?$/, measure: '项', id: 'major_administrative_decisions' },
  { words: /全流程网办(?:政务服务)?事项$|^事项实现全流程网办$/, measure: '项', id: 'services_fully_online' },
  { words: /受理办结即办事项$/, measure: '件', id: 'instant_cases_handled' },
  { words: /双随机抽查$|“双随机、一公开”抽查$/, measure: '次', id: 'random_inspections' },
  { words: /抽查市场主体$/, measure: '户', id: 'market_entities_inspected' },
  { words: /列入经营异常名录$/, measure: '户', id: 'market_entities_listed_abnormal' },
  { words: /(?:收|新收|受理)行政复议案件$/, measure: '件', id: 'reconsideration_received' },
  { words: /^(?:新收|受理)?行政诉讼案件$/, measure: '件', id: 'lawsuits_received' },
  { words: /(?:承办|办理)(?:县)?人大代表建议$/, measure: '件', id: 'deputy_suggestions' },
  { words: /^(?:县)?政协(?:委员)?提案$/, measure: '件', id: 'cppcc_proposals' },
  { words: /人大代表建议和政协提案$/, measure: '件', id: 'suggestions_and_proposals' },
  { words: /公开政府文件$/, measure: '件', id: 'gov_documents_disclosed' },
  { words: /主动公开政府信息$/, measure: '条', id: 'disclosure_proactive_items' },
  { words: /受理依申请公开(?:事项)?$/, measure: '项', id: 'disclosure_requests' },
  { words: /网上执法巡查$/, measure: '次', id: 'online_enforcement_patrols' },
  { words: /现场执法监督检查$/, measure: '次', id: 'onsite_enforcement_inspections' },
  { words: /集中案卷评查$/, measure: '次', id: 'case_file_reviews' },
];

function nationalFit(context: string, f: FoundFigure, used: ReadonlySet<string>): { def: IndicatorDef; role: string } | undefined {
  // A national indicator prints in digits; a count printed in numerals needs the county's own (printIn 汉字).
  if (f.kind !== 'count' || f.qualifier || f.chinese) return undefined;
  const fit = NATIONAL_FITS.find((n) => n.measure === f.measure && n.words.test(context.replace(/^\d{4}年/, '')));
  if (!fit || used.has(`national:${fit.id}`)) return undefined;
  const def = loadCatalogue().indicatorById.get(fit.id);
  const submitter = def?.submittedBy.length === 1 ? def.submittedBy[0] : undefined;
  if (!def || submitter?.kind !== 'role' || def.unit !== f.measure) return undefined;
  return { def, role: submitter.role };
}

/** What a count of each measure word is called: 会前学法 + 次 → 会前学法次数. */
const COUNT_NOUN: Readonly<Record<string, string>> = {
  次: '次数', 件: '件数', 项: '项数', 个: '个数', 人: '人数', 名: '人数', 户: '户数', 家: '家数', 场: '场次', 人次: '人次',
  条: '条数', 份: '份数', 期: '期数', 轮: '轮数', 卷: '卷数', 起: '起数', 支: '支数', 所: '所数', 处: '处数', 篇: '篇数',
  部: '部数', 台: '台数', 批: '批数', 场次: '场次', 件次: '件次', 户次: '户次', 批次: '批次',
};

function nameOf(context: string, f: FoundFigure): string {
  if (f.measure === '%') return /率$/.test(context) ? context : `${context}（%）`;
  const noun = f.kind === 'amount' || f.measure.startsWith('万') || f.measure.endsWith('元') ? undefined : COUNT_NOUN[f.measure];
  if (noun && !context.endsWith(noun)) return `${context}${noun}`;
  return `${context}（${f.measure}）`;
}

function idOf(context: string, f: FoundFigure): string {
  const han = context.replace(/[^\u4e00-\u9fa5]/g, '').slice(-6);
  const stem = han ? pinyinId(han) : 'figure';
  return f.measure === '%' ? `${stem}_rate` : stem;
}

function uniqueId(id: string, used: Set<string>): string {
  let out = id.slice(0, 60).replace(/_+$/, '');
  for (let n = 2; used.has(out); n++) out = `${id.slice(0, 56)}_${n}`;
  used.add(out);
  return out;
}

function uniqueName(name: string, used: Set<string>): string {
  let out = name;
  for (let n = 2; used.has(out); n++) out = `${name}（${n}）`;
  used.add(out);
  return out;
}

function indicatorDef(id: string, name: string, f: FoundFigure, unitId: string, sentence: string): IndicatorDef {
  const percent = f.measure === '%';
  const def: IndicatorDef = {
    id,
    name,
    unit: f.kind === 'count_in_wan' ? f.measure : f.measure,
    topic: TEMPLATE_TOPIC,
    submittedBy: [{ kind: 'unit', unit: unitId }],
    aggregation: percent ? { kind: 'max' } : { kind: 'sum' },
    approximateAllowed: Boolean(f.qualifier),
    description: `起草自已发布报告的原句：“${sentence.trim().slice(0, 80)}”`,
  };
  if (percent) def.valueType = f.value > 100 ? 'amount' : 'percent';
  else if (f.kind === 'amount') def.valueType = 'amount';
  else def.valueType = 'count';
  if (f.kind === 'count_in_wan') def.printIn = '万';
  if (f.chinese) def.printIn = '汉字';
  if (f.decimals > 1) def.decimals = f.decimals;
  if (!f.qualifier) delete (def as { approximateAllowed?: boolean }).approximateAllowed;
  return def;
}

function sampleValue(f: FoundFigure): number | string {
  const value = f.kind === 'count_in_wan' ? Math.round(f.value * 10000) : f.value;
  if (!f.qualifier || f.qualifierAfterMeasure) return value;
  return ['大约', '将近', '接近', '超过', '不足', '不到', '约', '近', '逾'].includes(f.qualifier) ? `${f.qualifier}${value}` : `${value}${f.qualifier}`;
}

function lastIndexOf(text: string, pattern: RegExp, before: number): number {
  for (let i = Math.min(before, text.length) - 1; i >= 0; i--) if (pattern.test(text[i]!)) return i;
  return -1;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
