import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { loadCatalogue } from '../catalogue/load';
import { ReportTemplate, ReportTemplateSchema } from '../template/schema';
import { validateTemplate } from '../template/validate';
import { CountyConfig, CountyConfigSchema } from './schema';

/**
 * Loads a county's folder: county.json, template.json and, for a year,
 * template.<year>.json whose fields replace the base template's. Everything is
 * checked with zod; an error names the file and the field.
 */
export interface LoadedCounty {
  dir: string;
  config: CountyConfig;
  template(year: number): ReportTemplate;
  /**
   * Whether the county has a template of the year's own (template.<year>.json).
   * Without one the base template's prose, written for some other year, is
   * reused, and the draft says so. Optional so hand-built counties in tests need not say.
   */
  hasOwnTemplate?(year: number): boolean;
}

/** The repository's counties folder; a Lambda bundle carries its own county folder instead. */
export const REPO_COUNTIES_DIR = path.resolve(__dirname, '../../counties');

export function countyDirInRepo(countyId: string): string {
  return path.join(REPO_COUNTIES_DIR, countyId);
}

export function loadCounty(dir: string): LoadedCounty {
  const config = readJson(dir, 'county.json', CountyConfigSchema);
  checkUnitIds(config, path.join(dir, 'county.json'));
  const base = readJsonRaw(dir, 'template.json');
  return {
    dir,
    config,
    template(year: number) {
      const overrideFile = `template.${year}.json`;
      const override = existsSync(path.join(dir, overrideFile)) ? readJsonRaw(dir, overrideFile) : {};
      const template = parseWith(ReportTemplateSchema, { ...(base as object), ...(override as object) }, path.join(dir, existsSync(path.join(dir, overrideFile)) ? overrideFile : 'template.json'));
      // Placeholders are checked against the catalogue here, so a typo fails at load, naming the file that holds the field.
      const fileOf = (topField: string) => path.join(dir, Object.hasOwn(override as object, topField) ? overrideFile : 'template.json');
      validateTemplate(template, loadCatalogue(), fileOf);
      return template;
    },
    hasOwnTemplate(year: number) {
      return existsSync(path.join(dir, `template.${year}.json`));
    },
  };
}

function checkUnitIds(config: CountyConfig, file: string): void {
  const seen = new Set<string>();
  config.units.forEach((unit, i) => {
    if (seen.has(unit.id)) throw new ConfigError(file, `units[${i}].id`, `duplicate unit id "${unit.id}"`);
    seen.add(unit.id);
  });
}

function readJsonRaw(dir: string, name: string): unknown {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(file, '(file)', 'cannot be read');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, '(file)', `is not valid JSON: ${(err as Error).message}`);
  }
}

function readJson<T>(dir: string, name: string, schema: z.ZodType<T>): T {
  return parseWith(schema, readJsonRaw(dir, name), path.join(dir, name));
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(file, issue.path.map(String).join('.') || '(root)', issue.message);
  }
  return parsed.data;
}
