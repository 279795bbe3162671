import type { LoadedCatalogue } from '../catalogue/load';
import { ConfigProblems, suggest } from '../config/problems';
import type { ReportTemplate } from './schema';

/** Report variables a template may use besides {{fig:…}}. */
export const TEMPLATE_VARIABLES = ['year', 'reportYear', 'county', 'government', 'docNumberPrefix', 'docSequence'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** {{name}} or {{fig:indicator_id}}; whitespace inside the braces is tolerated. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z]+)(?::\s*([A-Za-z0-9_]+))?\s*\}\}/g;

export interface PlaceholderRef {
  field: string;
  kind: 'fig' | 'variable';
  name: string;
}

/** Every placeholder of a template, with the field it sits in (blocks[3].body). */
export function templatePlaceholders(template: ReportTemplate): PlaceholderRef[] {
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
  const refs: PlaceholderRef[] = [];
  for (const [field, text] of texts) {
    if (!text) continue;
    for (const match of text.matchAll(PLACEHOLDER)) {
      const [, head, arg] = match;
      if (head === 'fig') refs.push({ field, kind: 'fig', name: arg ?? '' });
      else refs.push({ field, kind: 'variable', name: arg === undefined ? head! : `${head}:${arg}` });
    }
  }
  return refs;
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
  for (const ref of templatePlaceholders(template)) {
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
