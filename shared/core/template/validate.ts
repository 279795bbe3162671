import type { LoadedCatalogue } from '../catalogue/load';
import { ConfigProblems, suggest } from '../config/problems';
import type { CrossCheck } from '../catalogue/schema';
import type { ReportTemplate } from './schema';
import { tokenize, tokenProblems } from './tokens';

/** Report variables a template may use besides {{fig:…}}. */
export const TEMPLATE_VARIABLES = ['year', 'reportYear', 'county', 'government', 'docNumberPrefix', 'docSequence'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** {{name}} or {{fig:indicator_id}}; whitespace inside the braces is tolerated. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z]+)(?::\s*([A-Za-z0-9_]+))?\s*\}\}/g;

export interface PlaceholderRef {
  field: string;
  /** fig: an indicator printed ({{fig:…}}, or one part of {{shared:…}}); claim: what a {{claim:…}} is bound to. */
  kind: 'fig' | 'variable' | 'claim';
  name: string;
}

/** The prose fields of a template, with their JSON paths. */
export function templateTexts(template: ReportTemplate): Array<[string, string]> {
  const texts: Array<[string, string | undefined]> = [
    ['title', template.title],
    ['docNumber', template.docNumber],
    ['preamble', template.preamble],
    ['closing', template.closing],
    ['date', template.date],
    ['note', template.note],
  ];
  template.blocks.forEach((block, i) => {
    texts.push([`blocks[${i}].text`, block.text]);
    if (block.kind === 'heading2') texts.push([`blocks[${i}].body`, block.body]);
  });
  return texts.filter((t): t is [string, string] => Boolean(t[1]));
}

/** Every placeholder of a template, with the field it sits in (blocks[3].body). */
export function templatePlaceholders(template: ReportTemplate): PlaceholderRef[] {
  const refs: PlaceholderRef[] = [];
  for (const [field, text] of templateTexts(template)) {
    for (const token of tokenize(text)) {
      if (token.kind === 'fig') refs.push({ field, kind: 'fig', name: token.id });
      else if (token.kind === 'shared') token.ids.forEach((name) => refs.push({ field, kind: 'fig', name }));
      else if (token.kind === 'claimOpen') token.bindings.forEach((name) => refs.push({ field, kind: 'claim', name }));
      else if (token.kind === 'variable') refs.push({ field, kind: 'variable', name: token.name });
    }
  }
  return refs;
}

/**
 * What a {{claim:<id>}} is bound to: a cross-check of the county's catalogue
 * (its id), else an indicator (a yes/no fact, a coverage figure, a rate).
 */
export type ClaimBinding = { kind: 'check'; check: CrossCheck } | { kind: 'indicator'; indicatorId: string };
export function claimBinding(id: string, catalogue: Pick<LoadedCatalogue, 'checks' | 'indicatorById'>): ClaimBinding | undefined {
  const check = catalogue.checks.find((c) => c.id === id);
  if (check) return { kind: 'check', check };
  return catalogue.indicatorById.has(id) ? { kind: 'indicator', indicatorId: id } : undefined;
}

/** The indicators a cross-check reads. */
export function checkIndicators(check: CrossCheck): string[] {
  return check.kind === 'sum_equals' ? [...check.parts, check.total] : check.kind === 'lte' ? [check.lesser, check.greater] : [check.indicator];
}

/**
 * A template is checked against the catalogue when it is loaded, so a typo in
 * an indicator id fails the deploy, not the January report run.
 * `file` is the template file the error should name, or a function choosing it
 * from the top-level field (a year override replaces whole fields).
 * With `problems`, every problem is recorded; without, the first is thrown.
 */
export function validateTemplate(
  template: ReportTemplate,
  catalogue: LoadedCatalogue,
  file: string | ((topField: string) => string),
  problems?: ConfigProblems,
): void {
  const sink = problems ?? new ConfigProblems();
  const fileOf = (field: string) => (typeof file === 'string' ? file : file(field.split(/[.[]/)[0]!));
  for (const [field, text] of templateTexts(template)) for (const problem of tokenProblems(tokenize(text))) sink.error(fileOf(field), field, problem);
  for (const ref of templatePlaceholders(template)) {
    if (ref.kind === 'claim' && !claimBinding(ref.name, catalogue)) {
      const hint = suggest(ref.name, [...catalogue.checks.map((c) => c.id), ...catalogue.indicatorById.keys()]);
      sink.error(fileOf(ref.field), ref.field, `{{claim:${ref.name}}} names no check (checks.json) and no indicator${hint ? `; did you mean ${hint}?` : ''}`);
    }
    if (ref.kind === 'fig' && !catalogue.indicatorById.has(ref.name)) {
      const hint = suggest(ref.name, catalogue.indicatorById.keys());
      sink.error(fileOf(ref.field), ref.field, `placeholder {{fig:${ref.name}}} names no indicator in the catalogue${hint ? `; did you mean {{fig:${hint}}}?` : ''}`);
    }
    if (ref.kind === 'variable' && !(TEMPLATE_VARIABLES as readonly string[]).includes(ref.name)) {
      sink.error(fileOf(ref.field), ref.field, `unknown placeholder {{${ref.name}}}; use {{fig:<indicator>}} or one of ${TEMPLATE_VARIABLES.join(', ')}`);
    }
  }
  if (!problems) sink.throwIfAny();
}

/** Indicator ids the template prints, in order of first appearance. */
export function templateFigureIds(template: ReportTemplate): string[] {
  return [...new Set(templatePlaceholders(template).flatMap((r) => (r.kind === 'fig' ? [r.name] : [])))];
}

/** Indicators the template's claims are bound to (directly, or read by a bound check): collected so the claim can be proved. */
export function templateClaimIndicatorIds(template: ReportTemplate, catalogue: Pick<LoadedCatalogue, 'checks' | 'indicatorById'>): string[] {
  return [
    ...new Set(
      templatePlaceholders(template).flatMap((r) => {
        if (r.kind !== 'claim') return [];
        const b = claimBinding(r.name, catalogue);
        return !b ? [] : b.kind === 'check' ? checkIndicators(b.check) : [b.indicatorId];
      }),
    ),
  ];
}
