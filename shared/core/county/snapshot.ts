import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadedCatalogue } from '../catalogue/load';
import type { LoadedCounty } from './load';
import type { CrossCheck, IndicatorDef, LedgerDef } from '../catalogue/schema';
import type { ReportTemplate } from '../template/schema';
import type { CountyConfig } from './schema';

/**
 * A county folder as loadCounty left it — parsed, defaults filled in, every
 * cross-reference checked — written once, when a Lambda is bundled
 * (infra/constructs/county-function.ts), next to the folder's files in the
 * bundle. A Lambda's cold start then reads this instead of checking the same
 * unchanging files again with zod: the deploy already refused a broken county.
 *
 * It names the bytes it was made from (`sourceHash`: the folder's JSON files
 * and the national catalogue). A snapshot that does not match them, or was
 * written by another format, is ignored and the folder is loaded and checked
 * in full, so a stale snapshot can cost time but never change a figure.
 */
export const COUNTY_SNAPSHOT_FILE = 'county.snapshot';
export const COUNTY_SNAPSHOT_FORMAT = 'yearly-report/county-snapshot@1';

export interface CountySnapshot {
  format: typeof COUNTY_SNAPSHOT_FORMAT;
  sourceHash: string;
  config: CountyConfig;
  catalogue: {
    indicators: IndicatorDef[];
    ledgers: LedgerDef[];
    checks: CrossCheck[];
    /** id → the file that defines it, for messages (LoadedCatalogue.fileOf). */
    files: Record<string, string>;
  };
  /** The base template.json; `years` holds each template.<year>.json merged over it. */
  templates: { base: ReportTemplate; years: Record<string, ReportTemplate> };
}

/**
 * The hash a snapshot must carry to be used: every *.json file directly in
 * the folder (name and bytes, in name order) and the national catalogue the
 * code was built with. The snapshot file itself has no .json extension, so
 * it never hashes itself.
 */
export function countySourceHash(dir: string, national: unknown): string {
  const hash = createHash('sha256').update(COUNTY_SNAPSHOT_FORMAT);
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    hash.update(`\0${name}\0`).update(readFileSync(path.join(dir, name)));
  }
  return hash.update('\0national\0').update(JSON.stringify(national)).digest('hex');
}

/** The snapshot of a loaded (and so checked) county. */
export function snapshotOf(county: LoadedCounty & { baseTemplate: ReportTemplate }, sourceHash: string): CountySnapshot {
  const { catalogue } = county;
  const files: Record<string, string> = {};
  for (const item of [...catalogue.indicators, ...catalogue.ledgers, ...catalogue.checks]) files[item.id] ??= inFolder(county.dir, catalogue.fileOf(item.id));
  const years: Record<string, ReportTemplate> = {};
  for (const year of county.overrideYears) years[year] = county.template(year);
  return {
    format: COUNTY_SNAPSHOT_FORMAT,
    sourceHash,
    config: county.config,
    catalogue: { indicators: catalogue.indicators, ledgers: catalogue.ledgers, checks: catalogue.checks, files },
    templates: { base: county.baseTemplate, years },
  };
}

/** The snapshot in `dir` when there is one of this format; whether it matches the folder is the caller's check. */
export function readCountySnapshot(dir: string): CountySnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(dir, COUNTY_SNAPSHOT_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<CountySnapshot>;
    return parsed.format === COUNTY_SNAPSHOT_FORMAT && typeof parsed.sourceHash === 'string' ? (parsed as CountySnapshot) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A file of the county's folder is stored as "./<name>" and read back as a path
 * in the folder the snapshot is loaded from: the synth machine's paths mean
 * nothing in a bundle. National files keep their repository path.
 */
const FOLDER_PREFIX = './';
function inFolder(dir: string, file: string): string {
  return path.dirname(file) === path.resolve(dir) || path.dirname(file) === dir ? FOLDER_PREFIX + path.basename(file) : file;
}

/** The catalogue a snapshot holds, with the lookups LoadedCatalogue offers; its files named in `dir`. */
export function catalogueFromSnapshot(snapshot: CountySnapshot, dir: string): LoadedCatalogue {
  const { indicators, ledgers, checks } = snapshot.catalogue;
  const files = new Map(Object.entries(snapshot.catalogue.files).map(([id, file]) => [id, file.startsWith(FOLDER_PREFIX) ? path.join(dir, file.slice(FOLDER_PREFIX.length)) : file]));
  return {
    version: 1,
    indicators,
    ledgers,
    checks,
    indicatorById: new Map(indicators.map((d) => [d.id, d])),
    ledgerById: new Map(ledgers.map((d) => [d.id, d])),
    fileOf: (id) => files.get(id) ?? 'catalogue',
  };
}
