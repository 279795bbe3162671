import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { countyDirInRepo, loadCounty, LoadedCounty, makeCountySnapshot } from '../../../shared/core/county/load';
import { COUNTY_SNAPSHOT_FILE, COUNTY_SNAPSHOT_FORMAT } from '../../../shared/core/county/snapshot';
import { ConfigError } from '../../../shared/core/errors';

/**
 * A Lambda's cold start reads the county from the snapshot its bundle was
 * given (issue 16) instead of checking the folder again: the snapshot must
 * give exactly the county a full load gives, and never be used when it does
 * not match the files beside it.
 */
const COUNTIES = readdirSync(path.resolve(__dirname, '../../../shared/counties'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'yearly-report-snapshot-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A copy of a shipped county's JSON files (as a bundle has them) under a folder named like the county, with its snapshot. */
function bundledCopy(countyId: string): string {
  const dir = path.join(work, countyId);
  cpSync(countyDirInRepo(countyId), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}samples`) });
  writeFileSync(path.join(dir, COUNTY_SNAPSHOT_FILE), JSON.stringify(makeCountySnapshot(dir)));
  return dir;
}

/** Everything of a loaded county that code reads, for one year. */
function observable(county: LoadedCounty, year: number) {
  const { catalogue } = county;
  const plan = county.plan(year);
  return {
    config: county.config,
    indicators: catalogue.indicators,
    ledgers: catalogue.ledgers,
    checks: catalogue.checks,
    // The county's own files are named in the folder it was loaded from (the copy, or the repository's).
    files: [...catalogue.indicators, ...catalogue.ledgers, ...catalogue.checks].map((d) => [d.id, catalogue.fileOf(d.id).replace(county.dir, '<county>')]),
    indicatorById: [...catalogue.indicatorById.keys()],
    ledgerById: [...catalogue.ledgerById.keys()],
    template: county.template(year),
    overrideYears: county.overrideYears,
    hasOwnTemplate: county.hasOwnTemplate?.(year),
    collected: [...plan.collected].sort(),
    askedByUnit: county.config.units.map((u) => [u.id, plan.indicatorsFor(u).map((d) => d.id), plan.ledgersFor(u).map((d) => d.id)]),
  };
}

test.each(COUNTIES)('%s: the snapshot gives the county a full load gives, for every template year and a year without one', (countyId) => {
  const dir = bundledCopy(countyId);
  const fromSnapshot = loadCounty(dir);
  const fromFolder = loadCounty(countyDirInRepo(countyId));
  expect(fromSnapshot.loadedFrom).toBe('snapshot');
  expect(fromFolder.loadedFrom).toBe('folder');
  const years = [...new Set([...fromFolder.overrideYears, fromFolder.template(1999).writtenFor ?? 2020, 2031])];
  for (const year of years) expect(observable(fromSnapshot, year)).toEqual(observable(fromFolder, year));
});

test('a snapshot that does not match the files beside it is not used: the folder is loaded, with the edit', () => {
  const dir = bundledCopy('lingshou');
  const file = path.join(dir, 'county.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as { units: { name: string }[] };
  config.units[0]!.name = '灵寿县某某局（改名）';
  writeFileSync(file, JSON.stringify(config, null, 2));
  const county = loadCounty(dir);
  expect(county.loadedFrom).toBe('folder');
  expect(county.config.units[0]!.name).toBe('灵寿县某某局（改名）');
});

test('a county broken after its snapshot was made fails to load, as without one', () => {
  const dir = bundledCopy('lingshou');
  const file = path.join(dir, 'county.json');
  writeFileSync(file, readFileSync(file, 'utf8').replace('"docNumberPrefix"', '"docNumberPrefx"'));
  expect(() => loadCounty(dir)).toThrow(ConfigError);
  expect(() => loadCounty(dir)).toThrow(/docNumberPrefix: Invalid input/);
});

test('a snapshot of another county, format or garbage is ignored', () => {
  const dir = bundledCopy('lingshou');
  const snapshotFile = path.join(dir, COUNTY_SNAPSHOT_FILE);
  const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8')) as { format: string };
  // The bundle's folder is always county/: the id to expect comes from the stack, and a snapshot of another id is not it.
  expect(() => loadCounty(dir, { expectedId: 'qingshan_demo' })).toThrow(/the county's folder is "qingshan_demo"/);

  writeFileSync(snapshotFile, JSON.stringify({ ...snapshot, format: `${COUNTY_SNAPSHOT_FORMAT}-next` }));
  expect(loadCounty(dir).loadedFrom).toBe('folder');
  writeFileSync(snapshotFile, '{"format": ');
  expect(loadCounty(dir).loadedFrom).toBe('folder');
});

test('making a snapshot checks the folder in full and throws what loading would', () => {
  const dir = bundledCopy('qingshan_demo');
  rmSync(path.join(dir, COUNTY_SNAPSHOT_FILE));
  writeFileSync(path.join(dir, 'template.json'), '{"title": ""}');
  expect(() => makeCountySnapshot(dir)).toThrow(ConfigError);
});
