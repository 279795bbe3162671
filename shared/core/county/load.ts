import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as z from 'zod/mini';
import { ConfigProblems, parseConfig, suggest } from '../config/problems';
import { assembleCatalogue, COUNTY_DEFINITION_SCHEMAS, LoadedCatalogue, nationalDefinitions, nationalSources, parseDefinitions, Sourced } from '../catalogue/load';
import type { CrossCheck, IndicatorDef, LedgerDef, Submitter } from '../catalogue/schema';
import { ReportTemplate, ReportTemplateSchema } from '../template/schema';
import { validateTemplate } from '../template/validate';
import { lintTemplateProse } from '../template/lint';
import { CollectionPlan, collectedIds, isComputedIndicator, makeCollectionPlan, unitMatches } from './plan';
import { CountyConfig, CountyConfigSchema } from './schema';
import { catalogueFromSnapshot, CountySnapshot, countySourceHash, readCountySnapshot, snapshotOf } from './snapshot';

/**
 * Loads a county's folder:
 *   county.json                      units, issuer, collection, catalogue use
 *   template.json, template.<year>.json   the report's prose (an override's fields replace the base's)
 *   indicators.json, ledgers.json, checks.json   (optional) the county's own definitions
 * Everything is checked with zod (strict) and cross-referenced; every problem
 * names the file and the JSON path. Loading throws the first error;
 * `checkCountyFolder` returns them all (what `yearly-report county check` prints).
 */
export interface LoadedCounty {
  dir: string;
  config: CountyConfig;
  /** The county's catalogue: national less `catalogue.exclude`, plus its own, with its assignments. */
  catalogue: LoadedCatalogue;
  template(year: number): ReportTemplate;
  /** What the year's report collects, and from whom. */
  plan(year: number): CollectionPlan;
  /** Years with a template.<year>.json of their own. */
  overrideYears: readonly number[];
  /**
   * Whether the county has a template of the year's own (template.<year>.json).
   * Without one the base template's prose, written for some other year, is
   * reused, and the draft says so. Optional so hand-built counties in tests need not say.
   */
  hasOwnTemplate?(year: number): boolean;
  /** Whether it came from the folder's files, checked now, or from a bundle's snapshot of them (snapshot.ts). */
  loadedFrom?: 'folder' | 'snapshot';
}

/** The repository's counties folder; a Lambda bundle carries its own county folder instead. */
export const REPO_COUNTIES_DIR = path.resolve(__dirname, '../../counties');

export function countyDirInRepo(countyId: string): string {
  return path.join(REPO_COUNTIES_DIR, countyId);
}

export interface LoadOptions {
  /**
   * The id county.json must declare. Defaults to the folder's name; a Lambda
   * bundle, whose folder is always "county", passes its COUNTY_ID.
   */
  expectedId?: string;
}

export function loadCounty(dir: string, options: LoadOptions = {}): LoadedCounty {
  const snapshotted = loadFromSnapshot(dir, options);
  if (snapshotted) return snapshotted;
  const problems = new ConfigProblems();
  const county = readCountyFolder(dir, options, problems);
  problems.throwIfAny(county?.config.id ?? path.basename(path.resolve(dir)));
  return county!;
}

/**
 * The county from the snapshot in its folder (snapshot.ts), when there is one
 * made from exactly these files and this national catalogue, for the id
 * expected; otherwise undefined, and the folder is loaded and checked in full.
 */
function loadFromSnapshot(dir: string, options: LoadOptions): LoadedCounty | undefined {
  const snapshot = readCountySnapshot(dir);
  if (!snapshot) return undefined;
  const expectedId = options.expectedId ?? path.basename(path.resolve(dir));
  if (snapshot.config.id !== expectedId || snapshot.sourceHash !== countySourceHash(dir, nationalSources())) return undefined;
  const years = new Map(Object.entries(snapshot.templates.years).map(([year, template]) => [Number(year), template]));
  return countyOf(dir, snapshot.config, catalogueFromSnapshot(snapshot, dir), snapshot.templates.base, years, 'snapshot');
}

/**
 * Loads and checks a county folder in full (never from a snapshot) and
 * returns what a bundle stores as its snapshot; throws like loadCounty.
 */
export function makeCountySnapshot(dir: string, options: LoadOptions = {}): CountySnapshot {
  const problems = new ConfigProblems();
  const county = readCountyFolder(dir, options, problems);
  problems.throwIfAny(county?.config.id ?? path.basename(path.resolve(dir)));
  return snapshotOf(county!, countySourceHash(dir, nationalSources()));
}

/** Every problem in a county folder, errors and warnings, without throwing. */
export function checkCountyFolder(dir: string, options: LoadOptions = {}): { county?: LoadedCounty; problems: ConfigProblems } {
  const problems = new ConfigProblems();
  const county = readCountyFolder(dir, options, problems, { lint: true });
  return problems.errors.length === 0 && county ? { county, problems } : { problems };
}

const CATALOGUE_FILES = ['indicators', 'ledgers', 'checks'] as const;

function readCountyFolder(dir: string, options: LoadOptions, problems: ConfigProblems, { lint = false } = {}): (LoadedCounty & { baseTemplate: ReportTemplate }) | undefined {
  const countyFile = path.join(dir, 'county.json');
  const raw = readJsonRaw(countyFile, problems);
  if (raw === undefined) return undefined;
  const config = parseConfig(CountyConfigSchema, raw, countyFile, problems);
  if (!config) return undefined;

  const expectedId = options.expectedId ?? path.basename(path.resolve(dir));
  if (config.id !== expectedId) {
    problems.error(countyFile, 'id', `is "${config.id}" but the county's folder is "${expectedId}"; the id must be the folder's name`);
  }
  checkUnits(config, countyFile, problems);

  const catalogue = countyCatalogue(dir, config, countyFile, problems);
  const baseFile = path.join(dir, 'template.json');
  const baseRaw = readJsonRaw(baseFile, problems);
  const overrideYears = readdirSync(dir)
    .map((f) => /^template\.(\d{4})\.json$/.exec(f)?.[1])
    .filter((y): y is string => y !== undefined)
    .map(Number)
    .sort();
  if (baseRaw === undefined) return undefined;

  const templateFor = (year: number | undefined, sink: ConfigProblems): ReportTemplate | undefined => {
    const overrideFile = year === undefined ? undefined : path.join(dir, `template.${year}.json`);
    const override = overrideFile && existsSync(overrideFile) ? readJsonRaw(overrideFile, sink) : {};
    if (override === undefined) return undefined;
    const fileOf = (topField: string) => (overrideFile && Object.hasOwn(override as object, topField) ? overrideFile : baseFile);
    const merged = { ...(baseRaw as object), ...(override as object) };
    const parseProblems = new ConfigProblems();
    const parsed = parseConfig(ReportTemplateSchema, merged, baseFile, parseProblems);
    // Name the file that holds the bad field: the override replaces whole top-level fields.
    for (const p of parseProblems.list) sink.error(fileOf(p.path.split(/[.[]/)[0]!), p.path, p.message);
    if (!parsed) return undefined;
    validateTemplate(parsed, catalogue, fileOf, sink);
    return parsed;
  };

  // The base template and every year's override are checked now, so a broken year fails the deploy, not its January run.
  const baseTemplate = templateFor(undefined, problems);
  const yearTemplates = overrideYears.map((year) => ({ year, template: templateFor(year, problems) }));
  if (baseTemplate && problems.errors.length === 0) {
    checkPlan(config, catalogue, baseTemplate, countyFile, 'template.json', problems, lint);
    const baseCollected = [...collectedIds(catalogue, baseTemplate, config.catalogue.alsoCollect)].sort().join();
    for (const { year, template } of yearTemplates) {
      // A year that prints other figures may ask other units: check it too (its problems name its file).
      if (template && [...collectedIds(catalogue, template, config.catalogue.alsoCollect)].sort().join() !== baseCollected) {
        checkPlan(config, catalogue, template, countyFile, `template.${year}.json`, problems, false);
      }
    }
  }
  if (lint && problems.errors.length === 0) {
    // Each year's prose is linted too, each problem naming the file that holds the field (problems are deduplicated).
    for (const { year, template } of yearTemplates) {
      const overrideFile = path.join(dir, `template.${year}.json`);
      const override = readJsonRaw(overrideFile, new ConfigProblems()) as object | undefined;
      if (template) lintTemplateProse(template, catalogue, (top) => (override && Object.hasOwn(override, top) ? overrideFile : baseFile), problems, config.measureWords);
    }
  }
  if (problems.errors.length > 0 || !baseTemplate) return undefined;
  const years = new Map(yearTemplates.map(({ year, template }) => [year, template!]));
  return countyOf(dir, config, catalogue, baseTemplate, years, 'folder');
}

/** A loaded county from its checked parts; a year without a template.<year>.json uses the base template. */
function countyOf(
  dir: string,
  config: CountyConfig,
  catalogue: LoadedCatalogue,
  base: ReportTemplate,
  years: ReadonlyMap<number, ReportTemplate>,
  loadedFrom: 'folder' | 'snapshot',
): LoadedCounty & { baseTemplate: ReportTemplate } {
  const plans = new Map<number, CollectionPlan>();
  const template = (year: number) => years.get(year) ?? base;
  return {
    dir,
    config,
    catalogue,
    template,
    baseTemplate: base,
    overrideYears: [...years.keys()].sort(),
    plan(year: number) {
      let p = plans.get(year);
      if (!p) {
        p = makeCollectionPlan(catalogue, config, template(year));
        plans.set(year, p);
      }
      return p;
    },
    hasOwnTemplate: (year: number) => years.has(year) || base.writtenFor === year,
    loadedFrom,
  };
}

function checkUnits(config: CountyConfig, file: string, problems: ConfigProblems): void {
  const seen = new Map<string, number>();
  config.units.forEach((unit, i) => {
    if (seen.has(unit.id)) problems.error(file, `units[${i}].id`, `duplicate unit id "${unit.id}" (also units[${seen.get(unit.id)}])`);
    else seen.set(unit.id, i);
  });
}

/**
 * National definitions less those the county excludes, plus the county's own,
 * with `catalogue.assign` replacing who submits an item. A national check
 * that reads an excluded indicator goes with it.
 */
function countyCatalogue(dir: string, config: CountyConfig, countyFile: string, problems: ConfigProblems): LoadedCatalogue {
  const national = nationalDefinitions();
  const nationalIds = new Set([...national.indicators, ...national.ledgers, ...national.checks].map((d) => d.def.id));
  const excluded = new Set(config.catalogue.exclude);
  config.catalogue.exclude.forEach((id, i) => {
    if (!nationalIds.has(id)) {
      const hint = suggest(id, nationalIds);
      problems.error(countyFile, `catalogue.exclude[${i}]`, `"${id}" is not a national indicator, ledger or check${hint ? `; did you mean "${hint}"?` : ''}`);
    }
  });

  const own = { indicators: [] as Sourced<IndicatorDef>[], ledgers: [] as Sourced<LedgerDef>[], checks: [] as Sourced<CrossCheck>[] };
  for (const kind of CATALOGUE_FILES) {
    const file = path.join(dir, `${kind}.json`);
    if (!existsSync(file)) continue;
    const raw = readJsonRaw(file, problems);
    if (raw === undefined) continue;
    const defs = parseDefinitions(COUNTY_DEFINITION_SCHEMAS[kind] as z.ZodMiniType<IndicatorDef | LedgerDef | CrossCheck>, raw, file, problems);
    for (const d of defs) {
      if (nationalIds.has(d.def.id) && !excluded.has(d.def.id)) {
        problems.error(file, `[${d.index}].id`, `"${d.def.id}" is a national ${kind.slice(0, -1)}; give yours another id, or list "${d.def.id}" in county.json catalogue.exclude to replace it`);
      }
    }
    (own[kind] as Sourced<IndicatorDef | LedgerDef | CrossCheck>[]).push(...defs);
  }

  const ownIds = new Set(own.indicators.map((d) => d.def.id));
  const keep = <T extends { id: string }>(items: Sourced<T>[]) => items.filter((d) => !excluded.has(d.def.id));
  const readsExcluded = (check: CrossCheck) => {
    const refs = check.kind === 'sum_equals' ? [...check.parts, check.total] : check.kind === 'lte' ? [check.lesser, check.greater] : [check.indicator];
    return refs.some((r) => excluded.has(r) && !ownIds.has(r));
  };
  const assign = config.catalogue.assign;
  const assigned = <T extends IndicatorDef | LedgerDef>(d: Sourced<T>): Sourced<T> => (assign[d.def.id] ? { ...d, def: { ...d.def, submittedBy: assign[d.def.id]! } } : d);

  const catalogue = assembleCatalogue(
    [...keep(national.indicators), ...own.indicators].map(assigned),
    [...keep(national.ledgers), ...own.ledgers].map(assigned),
    [...keep(national.checks).filter((c) => !readsExcluded(c.def)), ...own.checks],
    problems,
  );

  const unitIds = new Set(config.units.map((u) => u.id));
  const roles = new Set(config.units.flatMap((u) => u.roles));
  const groups = new Set(config.units.flatMap((u) => u.groups));
  const roleTypos = misspeltUnitRoles(config, [...catalogue.indicators, ...catalogue.ledgers], countyFile, problems);
  const checkSubmitters = (submitters: readonly Submitter[], file: string, at: string) =>
    submitters.forEach((s, i) => {
      const where = `${at}[${i}]`;
      if (s.kind === 'unit' && !unitIds.has(s.unit)) problems.error(file, `${where}.unit`, `no unit "${s.unit}" in county.json${hintOf(s.unit, unitIds)}`);
      if (s.kind === 'role' && !roles.has(s.role)) {
        // The definition is right and county.json has the typo: say so there, never propose the typo here.
        const typo = roleTypos.get(s.role);
        problems.error(file, `${where}.role`, `no unit in county.json has the role "${s.role}"${typo ? `; county.json ${typo.path} gives “${typo.unit}” "${typo.role}", a misspelling of it: correct county.json` : hintOf(s.role, [...roles].filter((r) => !roleTypos.has(r)))}`);
      }
      if (s.kind === 'group' && !groups.has(s.group)) problems.error(file, `${where}.group`, `no unit in county.json is in the group "${s.group}"${hintOf(s.group, groups)}`);
    });
  for (const [id, submitters] of Object.entries(assign)) {
    if (!catalogue.indicatorById.has(id) && !catalogue.ledgerById.has(id)) {
      problems.error(countyFile, `catalogue.assign.${id}`, `"${id}" is neither an indicator nor a ledger of this county${hintOf(id, [...catalogue.indicatorById.keys(), ...catalogue.ledgerById.keys()])}`);
      continue;
    }
    checkSubmitters(submitters, countyFile, `catalogue.assign.${id}`);
  }
  for (const d of [...own.indicators, ...own.ledgers]) if (!assign[d.def.id]) checkSubmitters(d.def.submittedBy, d.file, `[${d.index}](${d.def.id}).submittedBy`);
  config.catalogue.alsoCollect.forEach((id, i) => {
    if (!catalogue.indicatorById.has(id) && !catalogue.ledgerById.has(id)) {
      problems.error(countyFile, `catalogue.alsoCollect[${i}]`, `"${id}" is neither an indicator nor a ledger of this county${hintOf(id, [...catalogue.indicatorById.keys(), ...catalogue.ledgerById.keys()])}`);
    }
  });
  return catalogue;
}

/**
 * A unit role that no indicator or ledger asks for but is one typo away from a
 * role they ask for and no unit has: reported at county.json, where the typo
 * is. Returns the typos by the role they misspell.
 */
function misspeltUnitRoles(config: CountyConfig, items: readonly (IndicatorDef | LedgerDef)[], countyFile: string, problems: ConfigProblems): Map<string, { role: string; unit: string; path: string }> {
  const asked = new Set(items.flatMap((d) => d.submittedBy.flatMap((s) => (s.kind === 'role' ? [s.role] : []))));
  const held = new Set(config.units.flatMap((u) => u.roles));
  const unheld = [...asked].filter((r) => !held.has(r));
  const typos = new Map<string, { role: string; unit: string; path: string }>();
  config.units.forEach((unit, i) =>
    unit.roles.forEach((role, j) => {
      if (asked.has(role)) return;
      const meant = suggest(role, unheld);
      if (!meant) return;
      const at = `units[${i}].roles[${j}]`;
      problems.error(countyFile, at, `no indicator or ledger asks for the role "${role}" of “${unit.name}”; did you mean "${meant}"?`);
      typos.set(meant, { role, unit: unit.name, path: at });
    }),
  );
  return typos;
}

const hintOf = (word: string, candidates: Iterable<string>) => {
  const hint = suggest(word, candidates);
  return hint ? `; did you mean "${hint}"?` : '';
};

/**
 * Checks that need the template: every indicator the report prints has
 * someone to submit it, and every expected unit is asked for something.
 * With `lint`, also what is merely suspicious (warnings).
 */
function checkPlan(config: CountyConfig, catalogue: LoadedCatalogue, template: ReportTemplate, countyFile: string, templateName: string, problems: ConfigProblems, lint: boolean): void {
  const plan = makeCollectionPlan(catalogue, config, template);
  const whereAssigned = (id: string) => (config.catalogue.assign[id] ? { file: countyFile, path: `catalogue.assign.${id}` } : { file: catalogue.fileOf(id), path: `(${id}).submittedBy` });
  for (const id of plan.collected) {
    const item = catalogue.indicatorById.get(id) ?? catalogue.ledgerById.get(id)!;
    if (config.units.some((u) => unitMatches(u, item.submittedBy))) continue;
    const at = whereAssigned(id);
    const who = item.submittedBy.map((s) => (s.kind === 'role' ? `role ${s.role}` : s.kind === 'group' ? `group ${s.group}` : `unit ${s.unit}`)).join(', ');
    const isComputed = 'aggregation' in item && isComputedIndicator(item);
    problems.error(
      at.file,
      at.path,
      `no unit of ${config.name} submits “${item.name}” (${id}), which ${templateName} ${isComputed || !plan.collected.has(id) ? 'needs' : 'uses'}; it asks ${who}. ` +
        `Give a unit that role or group in county.json, or set county.json catalogue.assign.${id}`,
    );
  }
  config.units.forEach((unit, i) => {
    const asked = plan.indicatorsFor(unit).length + plan.ledgersFor(unit).length;
    if (asked === 0 && !unit.narrativeOnly && !unit.optional) {
      problems.error(
        countyFile,
        `units[${i}]`,
        `“${unit.name}” (${unit.id}) is asked for nothing by ${templateName}: give it roles or groups whose indicators the template uses, ` +
          `assign it indicators in catalogue.assign, or mark it "narrativeOnly": true (it submits text only) or "optional": true`,
      );
    }
    if (asked > 0 && unit.narrativeOnly) {
      problems.error(countyFile, `units[${i}].narrativeOnly`, `“${unit.name}” is marked narrativeOnly but ${templateName} asks it for ${asked} indicators or ledgers`);
    }
  });
  if (!lint) return;
  lintTemplateProse(template, catalogue, path.join(path.dirname(countyFile), templateName), problems, config.measureWords);
  const roles = new Set(config.units.flatMap((u) => u.roles));
  const unmatchedRoles = new Map<string, string[]>();
  for (const item of [...catalogue.indicators, ...catalogue.ledgers]) {
    for (const s of item.submittedBy) if (s.kind === 'role' && !roles.has(s.role)) unmatchedRoles.set(s.role, [...(unmatchedRoles.get(s.role) ?? []), item.id]);
  }
  // Reminders are read by the county office as well as engineers: Chinese, with indicator names.
  const nameOf = (id: string) => catalogue.indicatorById.get(id)?.name ?? catalogue.ledgerById.get(id)?.name ?? id;
  for (const [role, items] of unmatchedRoles) {
    problems.warning(countyFile, 'units', `没有单位承担角色"${role}"，指标目录中有${items.length}项由它报送（${items.slice(0, 4).map(nameOf).join('、')}${items.length > 4 ? '等' : ''}）；${templateName}用不到这些项，暂不影响报告`);
  }
  const usedRoles = new Set([...catalogue.indicators, ...catalogue.ledgers].flatMap((d) => d.submittedBy.flatMap((s) => (s.kind === 'role' ? [s.role] : []))));
  config.units.forEach((unit, i) =>
    unit.roles.forEach((role, j) => {
      if (!usedRoles.has(role)) {
        const hint = suggest(role, usedRoles);
        problems.warning(countyFile, `units[${i}].roles[${j}]`, `“${unit.name}”的角色"${role}"没有对应任何指标或台账${hint ? `；是否应为"${hint}"？` : ''}`);
      }
    }),
  );
  for (const def of catalogue.indicators) {
    const file = catalogue.fileOf(def.id);
    if (!plan.collected.has(def.id) && !file.startsWith('shared/core/')) {
      problems.warning(file, `(${def.id})`, `本县自定义指标“${def.name}”${templateName}未使用，也未列入catalogue.alsoCollect，不会向任何单位收集`);
    }
  }
}

function readJsonRaw(file: string, problems: ConfigProblems): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    problems.error(file, '(file)', 'cannot be read');
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    problems.error(file, '(file)', `is not valid JSON: ${(err as Error).message}`);
    return undefined;
  }
}

