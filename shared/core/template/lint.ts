import type { LoadedCatalogue } from '../catalogue/load';
import { valueTypeOf, type IndicatorDef } from '../catalogue/schema';
import type { ConfigProblems } from '../config/problems';
import type { ReportTemplate } from './schema';
import { tokenize, type TemplateToken } from './tokens';
import { templateTexts } from './validate';

/**
 * What `county check` finds suspicious in a template's prose (提醒, not errors):
 *   - a sentence asserting completeness or coverage (全覆盖, 均已, 所有 …) that
 *     no {{claim:…}} binds and no coverage or yes/no figure in it states: the
 *     draft would print it as fact however few units have submitted;
 *   - a measure word after {{fig:…}} that is not the indicator's unit (nor a
 *     synonym the county allows in county.json `measureWords`): the report and
 *     报送情况.docx would name the same figure differently.
 */

/** Words that assert every unit or every case is covered; 实现了 covers 实现了…全覆盖 and the like. */
export const COMPLETENESS_WORDS = /全覆盖|均已|均在|全部|所有|每个|实现了|100%/g;

/** Measure words a report writes after a number: a different one after a figure is a mismatch. */
export const MEASURE_WORDS: readonly string[] = ['人次', '课时', '万元', '元', '件', '项', '人', '名', '次', '个', '场', '册', '份', '期', '家', '所', '户', '条', '部', '批', '篇', '起', '宗', '支', '座', '处', '台', '天', '小时', '%', '万人次', '户次', '场次', '票', '间'];

/** The measure word `text` opens with, among the known ones and `extra` (longest first), if any: "名专职调解员" → 名. */
export function leadingMeasureWord(text: string, extra: readonly string[] = []): string | undefined {
  return [...new Set([...MEASURE_WORDS, ...extra])].sort((a, b) => b.length - a.length).find((w) => text.startsWith(w));
}

/** Text fields a claim lint reads: the body prose (title, date and note state no facts of the year). */
const PROSE_FIELD = /^(preamble|blocks\[\d+\]\.(text|body))$/;

export function lintTemplateProse(
  template: ReportTemplate,
  catalogue: LoadedCatalogue,
  file: string | ((field: string) => string),
  problems: ConfigProblems,
  measureWords: Readonly<Record<string, readonly string[]>> = {},
): void {
  const units = catalogue.indicators.map((d) => d.unit);
  const fileOf = (field: string) => (typeof file === 'string' ? file : file(field.split(/[.[]/)[0]!));
  for (const [field, text] of templateTexts(template)) {
    const tokens = tokenize(text);
    if (PROSE_FIELD.test(field)) {
      for (const { sentence, words } of unboundClaims(tokens, catalogue)) {
        problems.warning(
          fileOf(field),
          field,
          `“${sentence}” asserts completeness (${words.map((w) => `“${w}”`).join('、')}) that no data prove: bind it with {{claim:<check or indicator>}}…{{/claim}} (shared/counties/README.md, "Claims"), or reword it`,
        );
      }
    }
    tokens.forEach((token, i) => {
      const ids = token.kind === 'fig' ? [token.id] : token.kind === 'shared' ? token.ids : [];
      const next = tokens[i + 1];
      if (ids.length === 0 || next?.kind !== 'text') return;
      for (const id of ids) {
        const def = catalogue.indicatorById.get(id);
        if (!def || valueTypeOf(def) === 'yesno') continue;
        const allowed = [def.unit, ...(measureWords[def.unit] ?? [])];
        if (allowed.some((w) => next.text.startsWith(w))) continue;
        const written = leadingMeasureWord(next.text, units);
        if (!written) continue;
        problems.warning(
          fileOf(field),
          field,
          `{{fig:${id}}} is followed by “${written}” but “${def.name}” is counted in “${def.unit}”: write ${def.unit}, or, where usage really varies, allow it in county.json "measureWords": { "${def.unit}": ["${written}"] }`,
        );
      }
    });
  }
}

/**
 * Sentences outside {{claim:…}} that assert completeness, with the words.
 * A sentence stating a yes/no fact is bound by that figure (its yes text,
 * 实现了, is the claim, and prints 尚未实现 when the data say no). A coverage
 * count is not: "13个乡（镇）均已…" can be complete and still leave two out.
 */
function unboundClaims(tokens: readonly TemplateToken[], catalogue: LoadedCatalogue): { sentence: string; words: string[] }[] {
  const sentences: { text: string; bound: boolean }[] = [{ text: '', bound: false }];
  let inClaim = false;
  const current = () => sentences[sentences.length - 1]!;
  for (const token of tokens) {
    if (token.kind === 'claimOpen') inClaim = true;
    else if (token.kind === 'claimClose') inClaim = false;
    else if (token.kind === 'fig' || token.kind === 'shared') {
      const ids = token.kind === 'fig' ? [token.id] : token.ids;
      current().text += '〔数〕';
      if (ids.some((id) => bindsItself(catalogue.indicatorById.get(id)))) current().bound = true;
    } else if (token.kind === 'text' && !inClaim) {
      for (const ch of token.text) {
        current().text += ch;
        if (/[。；！？]/.test(ch)) sentences.push({ text: '', bound: false });
      }
    } else if (token.kind === 'text') current().text += '〔已绑定〕';
  }
  return sentences.flatMap(({ text, bound }) => {
    if (bound) return [];
    const words = [...new Set([...text.matchAll(COMPLETENESS_WORDS)].map((m) => m[0]))];
    return words.length ? [{ sentence: text.trim(), words }] : [];
  });
}

const bindsItself = (def: IndicatorDef | undefined) => def !== undefined && valueTypeOf(def) === 'yesno';
