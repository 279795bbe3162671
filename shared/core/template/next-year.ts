import { ReportTemplate, ReportTemplateSchema } from './schema';

/**
 * Next year's template drafted from this year's. Year words become
 * placeholders, the document number's sequence and the date are left for the
 * office, and prose tied to one year is listed for review rather than
 * guessed at: a dated document title (《2021年…工作要点》, a five-year plan
 * 《…（2021-2025年）》), a party congress or plenary session (十九届六中全会),
 * any other year.
 */
export interface ReviewItem {
  /** Template field: title, preamble, blocks[3].body, … */
  field: string;
  /** The words as the draft has them, to find and highlight. */
  phrase: string;
  why: string;
}

export interface NextYearDraft {
  template: ReportTemplate;
  /** What the draft changed or could not decide, in reading order. */
  review: ReviewItem[];
}

const TITLE = /《[^《》]*》/g;
const SESSION = /(?:党的)?[一二三四五六七八九十]+届[一二三四五六七八九十]+中全会|[一二三四五六七八九十]+中全会|党的[一二三四五六七八九十]+大|[一二三四五六七八九十]+届(?:人大|政协)?[一二三四五六七八九十]+次会议|第[一二三四五六七八九十]+次会议/g;
const FOUR_DIGIT_YEAR = /(?<!\d)(?:19|20)\d{2}(?!\d)/g;
/**
 * Words true of one year only: relative years (今年, 去年), a month's end or a cut-off date (8月底, 截至9月底),
 * what was new or done that year (新修订的, 新出台的, 已全部完成). Next year they may be false.
 */
const YEAR_BOUND = /今年|去年|明年|前年|上一?年度?|本年度?|年初|年底|年末|截至(?:\{\{year\}\}年)?[一二三四五六七八九十\d]{1,2}月(?:\d{1,2}日|底|末)?|截至目前|[一二三四五六七八九十\d]{1,2}月(?:底|末|初|中旬|上旬|下旬|份)|新修订的?|新修改的?|新出台的?|新颁布的?|新制定的?|新成立的?|已全部完成|全部完成/g;

export function draftNextYear(template: ReportTemplate, from: number, to: number): NextYearDraft {
  const review: ReviewItem[] = [];
  const yearPlaceholder = (from: number) => new RegExp(`(?<!\\d)${from}(?=年)`, 'g');

  const redraft = (text: string, field: string): string => {
    // Titles keep their own years: a document's name is what it is.
    const titles = [...text.matchAll(TITLE)].map((m) => m[0]);
    for (const t of titles) if (/(?:19|20)\d{2}/.test(t)) review.push({ field, phrase: t, why: '带年份的文件名称：新的一年是否有同名文件、名称是否改变，请核对' });
    const parts = text.split(TITLE);
    let out = '';
    parts.forEach((part, i) => {
      const replaced = part.replace(yearPlaceholder(from), '{{year}}').replace(yearPlaceholder(from + 1), '{{reportYear}}');
      if (replaced !== part) {
        for (const m of part.matchAll(new RegExp(`${from}年[^，。；、]{0,6}`, 'g'))) review.push({ field, phrase: m[0].replace(String(from), '{{year}}'), why: `年份已改为【年度】（${to}年），请核对说法是否仍然成立` });
      }
      for (const m of replaced.matchAll(FOUR_DIGIT_YEAR)) review.push({ field, phrase: m[0], why: '其他年份，请核对' });
      out += replaced + (titles[i] ?? '');
    });
    for (const m of out.matchAll(SESSION)) review.push({ field, phrase: m[0], why: '会议届次：新的一年应学习贯彻的会议可能不同，请核对' });
    for (const m of out.replace(TITLE, (t) => '　'.repeat(t.length)).matchAll(YEAR_BOUND)) {
      review.push({ field, phrase: m[0], why: '与当年相连的说法（相对年份、月底、截至日期、新修订、已完成）：新的一年是否仍然成立，请核对' });
    }
    return out;
  };

  const draft: Record<string, unknown> = {
    title: redraft(template.title, 'title'),
    ...(template.docNumber !== undefined ? { docNumber: redraft(template.docNumber, 'docNumber') } : {}),
    preamble: redraft(template.preamble, 'preamble'),
    blocks: template.blocks.map((block, i) =>
      block.kind === 'heading2'
        ? { ...block, text: redraft(block.text, `blocks[${i}].text`), body: redraft(block.body, `blocks[${i}].body`) }
        : { ...block, text: redraft(block.text, `blocks[${i}].text`) },
    ),
    closing: redraft(template.closing, 'closing'),
    ...(template.note !== undefined ? { note: redraft(template.note, 'note') } : {}),
    completenessAnnex: template.completenessAnnex,
  };
  if (template.docSequence !== undefined) review.push({ field: 'docSequence', phrase: '', why: `发文序号（${template.docSequence}号）留待办公室编号，草稿中不印发文字号` });
  if (template.date !== undefined) review.push({ field: 'date', phrase: '', why: `成文日期（${template.date}）留待确定，未定前草稿印【成文日期】` });
  return { template: ReportTemplateSchema.parse(draft), review };
}
