/**
 * The placeholders of a template's prose, as one tokenizer every reader
 * shares (validation, the collection plan, rendering, the lint):
 *
 *   {{fig:<indicator>}}                    the county figure ("1000余"); the measure word follows in the prose
 *   {{shared:<a>,<b>|<word>[|<otherwise>]}} one figure for several indicators when they agree:
 *                                          "会议、办公室会议{{shared:a,b|各}}次" prints "各1次" when both are 1,
 *                                          and "分别为1次、2次" otherwise (`otherwise` replaces 分别为)
 *   {{claim:<check or indicator>[,…]}}…{{/claim}}
 *                                          a clause asserting completeness or coverage, bound to what proves it:
 *                                          printed as written only when every binding holds on complete data
 *   {{year}} {{reportYear}} {{county}} {{government}} {{docNumberPrefix}} {{docSequence}}   report variables
 */
export type TemplateToken =
  | { kind: 'text'; text: string }
  | { kind: 'fig'; id: string }
  | { kind: 'shared'; ids: string[]; word: string; otherwise: string }
  | { kind: 'claimOpen'; bindings: string[] }
  | { kind: 'claimClose' }
  | { kind: 'variable'; name: string };

/** What prints between the figures of a shared placeholder whose parts differ. */
export const SHARED_OTHERWISE = '分别为';

const TOKEN = /\{\{\s*(?:(\/)\s*claim|([A-Za-z]+)(?::\s*([^{}|]*?))?(?:\|([^{}]*))?)\s*\}\}/g;
const ids = (arg: string | undefined) => (arg ?? '').split(/[,，]/).map((s) => s.trim()).filter(Boolean);

export function tokenize(text: string): TemplateToken[] {
  const out: TemplateToken[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    if (match.index > last) out.push({ kind: 'text', text: text.slice(last, match.index) });
    last = match.index + match[0].length;
    const [, close, head, arg, options] = match;
    if (close) out.push({ kind: 'claimClose' });
    else if (head === 'fig' && arg !== undefined && options === undefined) out.push({ kind: 'fig', id: arg.trim() });
    else if (head === 'shared') {
      const [word = '', otherwise = SHARED_OTHERWISE] = (options ?? '').split('|');
      out.push({ kind: 'shared', ids: ids(arg), word, otherwise });
    } else if (head === 'claim') out.push({ kind: 'claimOpen', bindings: ids(arg) });
    else out.push({ kind: 'variable', name: arg === undefined ? head! : `${head}:${arg}${options !== undefined ? `|${options}` : ''}` });
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** Structural problems of one text: a claim left open, closed twice, or nested; a shared placeholder that is malformed. */
export function tokenProblems(tokens: readonly TemplateToken[]): string[] {
  const problems: string[] = [];
  let open = false;
  for (const t of tokens) {
    if (t.kind === 'claimOpen') {
      if (open) problems.push('a {{claim:…}} opens inside another; close the first with {{/claim}}');
      if (t.bindings.length === 0) problems.push('{{claim:…}} names nothing; write {{claim:<check or indicator id>}}');
      open = true;
    } else if (t.kind === 'claimClose') {
      if (!open) problems.push('{{/claim}} closes no {{claim:…}}');
      open = false;
    } else if (t.kind === 'shared') {
      if (t.ids.length < 2) problems.push('{{shared:…}} needs two or more indicators: {{shared:<a>,<b>|各}}');
      if (!t.word.trim()) problems.push('{{shared:…}} needs the shared wording after "|": {{shared:<a>,<b>|各}} or {{shared:<a>,<b>|均达}}');
    }
  }
  if (open) problems.push('{{claim:…}} is never closed; end the clause with {{/claim}}');
  return problems;
}
