import type { IndicatorDef, LedgerDef } from '../catalogue/schema';
import type { LoadedCounty } from '../county/load';
import { isComputedIndicator } from '../county/plan';
import type { Unit } from '../county/schema';
import { matchKey } from './normalize/text';

/**
 * Which indicators, ledgers and narrative sections belong to a unit in a
 * year: those the county assigns to it (by role, group or unit) that the
 * year's report uses (county/plan.ts). The template command, the parsers and
 * the report share these so a template never asks for what the parser would
 * ignore, and a parser never drops what a template asked for.
 */
export { isComputedIndicator, unitMatches } from '../county/plan';

export function indicatorsForUnit(county: LoadedCounty, year: number, unit: Unit): IndicatorDef[] {
  return county.plan(year).indicatorsFor(unit);
}

/** The indicators a unit types in: its own, less the computed ones. */
export function indicatorsToTypeForUnit(county: LoadedCounty, year: number, unit: Unit): IndicatorDef[] {
  return indicatorsForUnit(county, year, unit).filter((i) => !isComputedIndicator(i));
}

export function ledgersForUnit(county: LoadedCounty, year: number, unit: Unit): LedgerDef[] {
  return county.plan(year).ledgersFor(unit);
}

export interface NarrativeSection {
  /** The template's narratives key, e.g. "decision_making". */
  key: string;
  /** The heading it is appended to, without its enumerator: 构建系统完备…情况。 */
  label: string;
}

/** Sections of the year's report template that take units' narrative items, in template order. */
export function narrativeSections(county: LoadedCounty, year: number): NarrativeSection[] {
  const seen = new Set<string>();
  const sections: NarrativeSection[] = [];
  let chapter = '';
  for (const block of county.template(year).blocks) {
    if (block.kind === 'heading1') chapter = block.text;
    if (block.kind === 'heading1' || !block.narratives || seen.has(block.narratives)) continue;
    seen.add(block.narratives);
    // A heading is its own label; a paragraph (published prose, {{fig:…}} and all) is labelled by its chapter.
    const label = (block.kind === 'heading2' ? block.text : chapter || block.narratives).replace(/^[（(]?[一二三四五六七八九十]+[）)、]/, '').replace(/[。.]$/, '').trim();
    // Two paragraphs of one chapter must stay apart: the label is also what a clerk may pick.
    const twins = sections.filter((x) => x.label === label || x.label.startsWith(`${label}（`)).length;
    sections.push({ key: block.narratives, label: twins ? `${label}（${twins + 1}）` : label });
  }
  return sections;
}

/** Resolves a section written as its key, its heading, or its heading with the enumerator. */
export function sectionResolver(sections: readonly NarrativeSection[]): (text: string) => string | undefined {
  const map = new Map<string, string>();
  for (const s of sections) {
    map.set(matchKey(s.key), s.key);
    map.set(matchKey(s.label), s.key);
    map.set(matchKey(s.label.replace(/[。.]$/, '')), s.key);
  }
  return (text) => {
    const key = matchKey(text).replace(/^[(（][一二三四五六七八九十]+[)）]/, '');
    return map.get(key) ?? map.get(key.replace(/[。.]$/, ''));
  };
}
