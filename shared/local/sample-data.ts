import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SUBMISSION_EXTENSIONS } from '../storage/layout';

/**
 * Sample submissions ship with a county's config, one file per unit, named
 * after the unit id (shared/counties/<id>/samples/<year>/<unit>.json|csv|xlsx).
 */
export interface SampleFile {
  unitId: string;
  fileName: string;
  bytes: Uint8Array;
}

export function samplesDir(countyDir: string, year: number): string {
  return path.join(countyDir, 'samples', String(year));
}

/** The years a county ships sample submissions for, oldest first. */
export function sampleYears(countyDir: string): number[] {
  const dir = path.join(countyDir, 'samples');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^\d{4}$/.test(name) && readSampleFiles(countyDir, Number(name)).length > 0)
    .map(Number)
    .sort((a, b) => a - b);
}

export function readSampleFiles(countyDir: string, year: number): SampleFile[] {
  const dir = samplesDir(countyDir, year);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => (SUBMISSION_EXTENSIONS as readonly string[]).includes(path.extname(f).toLowerCase()))
    .sort()
    .map((fileName) => ({ unitId: path.basename(fileName, path.extname(fileName)).split('.')[0]!, fileName, bytes: readFileSync(path.join(dir, fileName)) }));
}
