import type { CountyConfig, Unit } from '../county/schema';
import { ConfigError } from '../errors';
import type { NarrativeItem } from '../submission/normalized';
import type { ReportTemplate } from '../template/schema';
import { leadingMeasureWord } from '../template/lint';
import { tokenize } from '../template/tokens';
import { TEMPLATE_VARIABLES, type TemplateVariable } from '../template/validate';
import type { Block, Claim, Completeness, Figure, ReportWarning, Segment } from './schema';

export interface UnitNarratives {
  unit: Unit;
  items: readonly NarrativeItem[];
}

export interface DocumentInput {
  config: CountyConfig;
  template: ReportTemplate;
  /** Template file name, for errors. */
  templateFile: string;
  year: number;
  figures: ReadonlyMap<string, Figure>;
  narratives: readonly UnitNarratives[];
  completeness: Completeness;
  /** Printed first, highlighted: e.g. no template of the year's own, units still missing after the deadline. */
  notices?: readonly string[];
  /** Whether a {{claim:…}} bound to these checks or indicators holds on complete data, and why not; without it every claim holds. */
  claimVerdict?: (bindings: readonly string[]) => ClaimVerdict;
}

export interface ClaimVerdict {
  holds: boolean;
  reason?: string;
}

/** Printed where the template sets no date (成文日期), highlighted in every artifact. */
export const DATE_PLACEHOLDER = '【成文日期】';

/**
 * The template rendered into document blocks. Figures become their own
 * segments so renderers can link them to provenance; a figure without data
 * becomes a visible 【待补充：…】 marker and a warning, never an empty string.
 */
export function buildDocument(input: DocumentInput): { blocks: Block[]; title: string; warnings: ReportWarning[]; claims: Claim[]; printedUnits: ReadonlyMap<string, string> } {
  const { config, template, year } = input;
  const warnings: ReportWarning[] = [];
  const missingWarned = new Set<string>();
  const partialWarned = new Set<string>();
  const variables: Record<TemplateVariable, string | undefined> = {
    year: String(year),
    reportYear: String(year + 1),
    county: config.name,
    government: config.government,
    docNumberPrefix: config.docNumberPrefix,
    docSequence: template.docSequence === undefined ? undefined : String(template.docSequence),
  };

  const claims: Claim[] = [];
  /**
   * The measure word the prose writes after a figure when it is not the
   * indicator's unit (an allowed synonym, county.json measureWords, or a
   * mismatch `county check` reminds of): 报送情况.docx then names the figure
   * as the report does, never "6项" for the report's "6件".
   */
  const printedUnits = new Map<string, string>();
  const knownUnits = [...new Set([...input.figures.values()].map((f) => f.unit))];
  const notePrintedUnits = (ids: readonly string[], following: string) => {
    for (const id of ids) {
      const unit = input.figures.get(id)?.unit;
      if (!unit || following.startsWith(unit)) continue;
      const written = leadingMeasureWord(following, [...knownUnits, ...(config.measureWords?.[unit] ?? [])]);
      if (written) printedUnits.set(id, written);
    }
  };
  const render = (text: string, field: string): Segment[] => {
    const segments: Segment[] = [];
    let claimStart: { at: number; bindings: string[] } | undefined;
    let lastFigures: readonly string[] = [];
    for (const token of tokenize(text)) {
      if (token.kind === 'text') notePrintedUnits(lastFigures, token.text);
      lastFigures = token.kind === 'fig' ? [token.id] : token.kind === 'shared' ? token.ids : [];
      switch (token.kind) {
        case 'text':
          segments.push({ text: token.text });
          break;
        case 'fig':
          segments.push(figureSegment(token.id, field));
          break;
        case 'shared':
          segments.push(...sharedSegments(token.ids, token.word, token.otherwise, field));
          break;
        case 'claimOpen':
          claimStart = { at: segments.length, bindings: token.bindings };
          break;
        case 'claimClose': {
          if (!claimStart) throw new ConfigError(input.templateFile, field, '{{/claim}} closes no {{claim:…}}');
          const inside = segments.slice(claimStart.at);
          const verdict = input.claimVerdict?.(claimStart.bindings) ?? { holds: true };
          const claim: Claim = { id: `claim${claims.length + 1}`, text: joinText(inside), bindings: claimStart.bindings, holds: verdict.holds, ...(verdict.reason ? { reason: verdict.reason } : {}) };
          claims.push(claim);
          if (!verdict.holds) {
            for (const seg of inside) seg.claim = claim.id;
            warnings.push({ code: 'CLAIM_NOT_PROVEN', message: `“${claim.text}”未经数据证实（${verdict.reason ?? ''}），报告中已标出`, ...(claimStart.bindings.length === 1 ? { indicatorId: claimStart.bindings[0]! } : {}) });
          }
          claimStart = undefined;
          break;
        }
        case 'variable': {
          const name = token.name;
          if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
            throw new ConfigError(input.templateFile, field, `unknown placeholder {{${name}}}`);
          }
          const value = variables[name as TemplateVariable];
          if (value === undefined) throw new ConfigError(input.templateFile, field, `{{${name}}} has no value for ${year}`);
          segments.push({ text: value });
          break;
        }
      }
    }
    if (claimStart) throw new ConfigError(input.templateFile, field, '{{claim:…}} is never closed with {{/claim}}');
    return mergePlain(segments);
  };

  /**
   * {{shared:a,b|各}}: "各1" when every part prints the same figure (the
   * measure word follows in the prose), else "分别为1次、2" so no part is
   * stated as another's. A part without data or partial is marked as usual.
   */
  const sharedSegments = (ids: readonly string[], word: string, otherwise: string, field: string): Segment[] => {
    const parts = ids.map((id) => figureSegment(id, field));
    const figures = ids.map((id) => input.figures.get(id)!);
    const agree = figures.every((f) => f.value !== null && f.display === figures[0]!.display && f.unit === figures[0]!.unit);
    if (agree) {
      const partial = parts.find((p) => p.partial !== undefined)?.partial;
      return [{ text: word }, { ...parts[0]!, ...(partial ? { partial } : {}) }];
    }
    const out: Segment[] = [{ text: otherwise }];
    // Each figure but the last carries its own measure word; the prose writes the last one's.
    parts.forEach((seg, i) => {
      if (i > 0) out.push({ text: `${figures[i - 1]!.unit}、` });
      out.push(seg);
    });
    return out;
  };

  const figureSegment = (indicatorId: string, field: string): Segment => {
    const figure = input.figures.get(indicatorId);
    if (!figure) throw new ConfigError(input.templateFile, field, `placeholder {{fig:${indicatorId}}} names no indicator in the catalogue`);
    if (figure.value !== null && figure.partial) {
      if (!partialWarned.has(indicatorId)) {
        partialWarned.add(indicatorId);
        warnings.push({
          code: 'PARTIAL_FIGURE',
          message: `“${figure.name}”（${figure.display}${figure.unit}）${partialWhy(figure)}，不是全县数字，报告中已标出`,
          indicatorId,
        });
      }
      return { text: figure.display, figure: indicatorId, partial: indicatorId };
    }
    if (figure.value !== null) return { text: figure.display, figure: indicatorId };
    if (!missingWarned.has(indicatorId)) {
      missingWarned.add(indicatorId);
      warnings.push({
        code: 'MISSING_FIGURE',
        message: `“${figure.name}”无数据，报告中标注为【待补充】（应报送单位：${figure.expectedUnits.length}个）`,
        indicatorId,
      });
    }
    return { text: `【待补充：${figure.name}】`, figure: indicatorId, missing: true };
  };
  const flat = (text: string, field: string) => joinText(render(text, field));

  const narrativeSegments = (key: string | undefined): Segment[] => {
    if (!key) return [];
    return narrativesFor(key, input.narratives).map((text) => ({ text }));
  };
  const usedKeys = new Set(input.template.blocks.flatMap((b) => (b.kind !== 'heading1' && b.narratives ? [b.narratives] : [])));
  for (const { unit, items } of input.narratives) {
    for (const item of items) {
      if (!usedKeys.has(item.section)) {
        warnings.push({
          code: 'UNPLACED_NARRATIVE',
          message: `${unit.name}的文字材料（栏目“${item.section}”）在本年度模板中没有对应位置，未写入报告：${item.text.slice(0, 40)}`,
          unitId: unit.id,
        });
      }
    }
  }

  const title = flat(template.title, 'title');
  const frame = config.documentFrame;
  const blocks: Block[] = [
    ...(input.notices ?? []).map((text) => ({ kind: 'notice' as const, text })),
    ...(frame?.masthead ? [{ kind: 'masthead' as const, text: frame.masthead }] : []),
    { kind: 'title', text: title },
  ];
  if (template.docNumber && (template.docSequence !== undefined || !template.docNumber.includes('docSequence'))) {
    blocks.push({ kind: 'docNumber', text: flat(template.docNumber, 'docNumber') });
  }
  blocks.push({ kind: 'addressees', text: `${config.addressees.join('、')}：` });
  blocks.push({ kind: 'paragraph', segments: render(template.preamble, 'preamble') });
  template.blocks.forEach((block, i) => {
    switch (block.kind) {
      case 'heading1':
        blocks.push({ kind: 'heading1', text: flat(block.text, `blocks[${i}].text`) });
        break;
      case 'heading2':
        blocks.push({
          kind: 'heading2',
          text: flat(block.text, `blocks[${i}].text`),
          body: markCompletenessClaims(mergePlain([...render(block.body, `blocks[${i}].body`), ...narrativeSegments(block.narratives)]), input.figures, warnings),
        });
        break;
      case 'paragraph':
        blocks.push({ kind: 'paragraph', segments: markCompletenessClaims(mergePlain([...render(block.text, `blocks[${i}].text`), ...narrativeSegments(block.narratives)]), input.figures, warnings) });
        break;
    }
  });
  blocks.push({ kind: 'closing', text: flat(template.closing, 'closing') });
  blocks.push({ kind: 'signature', text: config.government });
  // Without a date in the template the office has not decided one: a highlighted placeholder and a warning,
  // never the day the draft happened to be generated.
  const date = template.date ? flat(template.date, 'date') : DATE_PLACEHOLDER;
  blocks.push(template.date ? { kind: 'date', text: date } : { kind: 'date', text: date, placeholder: true });
  if (!template.date) {
    warnings.push({
      code: 'DATE_NOT_SET',
      message: `成文日期尚未确定：报告模板没有写成文日期，草稿中印为“${DATE_PLACEHOLDER}”并以黄色标出；日期确定后写入报告模板即可。`,
    });
  }
  if (template.note) blocks.push({ kind: 'note', text: flat(template.note, 'note') });
  if (frame?.copyTo || frame?.printedBy) {
    blocks.push({ kind: 'imprint', ...(frame.copyTo ? { copyTo: frame.copyTo } : {}), ...(frame.printedBy ? { printedBy: frame.printedBy } : {}), printedOn: date });
  }
  return { blocks, title, warnings, claims, printedUnits };
}

/**
 * Narrative texts for a section: units in config order, then the unit's own
 * `order`, then submission order. Each ends with a full stop so sentences
 * never run together.
 */
export function narrativesFor(section: string, narratives: readonly UnitNarratives[]): string[] {
  return narratives.flatMap(({ items }) =>
    items
      .map((item, index) => ({ item, index }))
      .filter(({ item }) => item.section === section)
      .sort((a, b) => (a.item.order ?? Number.MAX_SAFE_INTEGER) - (b.item.order ?? Number.MAX_SAFE_INTEGER) || a.index - b.index)
      .map(({ item }) => withFullStop(item.text.trim())),
  );
}

/** "在2个应报单位未报送或被退回时算出", "不含1个填报暂无数据的单位". */
function partialWhy(figure: Figure): string {
  const noData = figure.partial?.noDataUnits?.length ?? 0;
  const absent = (figure.partial?.missingUnits.length ?? 0) - noData;
  return [absent > 0 ? `在${absent}个应报单位未报送或被退回时算出` : '', noData > 0 ? `不含${noData}个填报暂无数据的单位` : ''].filter(Boolean).join('，');
}

const withFullStop = (text: string) => (/[。！？；.!?;]$/.test(text) ? text : `${text}。`);

export const joinText = (segments: readonly Segment[]) => segments.map((s) => s.text).join('');

/** Adjacent plain runs merged, so renderers see one run per stretch of prose. */
function mergePlain(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const seg of segments) {
    const prev = out[out.length - 1];
    if (prev && prev.figure === undefined && seg.figure === undefined && !prev.missing && !seg.missing && prev.partial === seg.partial && prev.claim === seg.claim) prev.text += seg.text;
    else out.push({ ...seg });
  }
  return out;
}

/** Words that claim every unit is counted: 均已, 全覆盖, 全部 (and 均, 都 in the same sense). */
const COMPLETENESS_CLAIM = /均已|均已经|全覆盖|全部|均实现|都已/;
const SENTENCE_END = /[。；！？]/;

/**
 * A sentence that states a partial figure and claims completeness ("15个乡
 * （镇）均已聘用了法律顾问") is marked as a whole: the words are as untrue
 * as the number while units are missing. The sentence is cut out of the
 * plain runs around the figure and carries the figure's id in `partial`.
 */
export function markCompletenessClaims(segments: Segment[], figures: ReadonlyMap<string, Figure>, warnings: ReportWarning[]): Segment[] {
  const out = segments.map((s) => ({ ...s }));
  for (let i = 0; i < out.length; i++) {
    const seg = out[i]!;
    if (!seg.partial || seg.figure === undefined || seg.missing || seg.claim !== undefined) continue;
    // The sentence: from the last sentence end before the figure to the first one after it.
    const before = out[i - 1];
    const after = out[i + 1];
    const beforeCut = before && before.figure === undefined && !before.partial && before.claim === undefined ? lastSentenceStart(before.text) : undefined;
    const afterCut = after && after.figure === undefined && !after.partial && after.claim === undefined ? firstSentenceEnd(after.text) : undefined;
    const head = beforeCut === undefined ? '' : before!.text.slice(beforeCut);
    const tail = afterCut === undefined ? '' : after!.text.slice(0, afterCut);
    if (!COMPLETENESS_CLAIM.test(head + tail)) continue;
    const replacement: Segment[] = [];
    if (beforeCut !== undefined && before!.text.slice(0, beforeCut)) replacement.push({ text: before!.text.slice(0, beforeCut) });
    if (head) replacement.push({ text: head, partial: seg.partial });
    replacement.push(seg);
    if (tail) replacement.push({ text: tail, partial: seg.partial });
    if (afterCut !== undefined && after!.text.slice(afterCut)) replacement.push({ text: after!.text.slice(afterCut) });
    const start = beforeCut === undefined ? i : i - 1;
    const end = afterCut === undefined ? i : i + 1;
    out.splice(start, end - start + 1, ...replacement);
    i = start + replacement.length - 1;
    const figure = figures.get(seg.figure)!;
    warnings.push({
      code: 'COMPLETENESS_CLAIM_PARTIAL',
      message: `“${sentenceAround(out, i)}”称全部完成，但“${figure.name}”${partialWhy(figure)}，报告中已标出`,
      indicatorId: seg.figure,
    });
  }
  return out;
}

/** The whole sentence holding segments[at], across the figures before and after it (a warning quotes it whole). */
function sentenceAround(segments: readonly Segment[], at: number): string {
  let head = '';
  for (let j = at - 1; j >= 0; j--) {
    const text = segments[j]!.text;
    const cut = lastSentenceStart(text);
    head = text.slice(cut) + head;
    if (cut > 0 || SENTENCE_END.test(text[text.length - 1] ?? '')) break;
  }
  let tail = '';
  for (let j = at + 1; j < segments.length; j++) {
    const text = segments[j]!.text;
    const cut = firstSentenceEnd(text);
    tail += text.slice(0, cut);
    if (cut < text.length || SENTENCE_END.test(text[cut - 1] ?? '')) break;
  }
  return `${head}${segments[at]!.text}${tail}`;
}

/** Index where the sentence containing the end of `text` starts. */
function lastSentenceStart(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (SENTENCE_END.test(text[i]!)) return i + 1;
  return 0;
}

/** Index just past the end of the sentence that `text` continues. */
function firstSentenceEnd(text: string): number {
  const m = SENTENCE_END.exec(text);
  return m ? m.index + 1 : text.length;
}
