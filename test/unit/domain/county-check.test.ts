import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkCountyFolder, countyDirInRepo, loadCounty } from '../../../shared/core/county/load';
import { runCli } from '../../cli-runner';
import { configErrorOf } from './config-error';

/**
 * Strict config (issue 11, item 5): each corruption a person makes in a county
 * folder is an error naming the file, the JSON path and what was expected,
 * with a suggestion where one is close; `county check` lists them and exits 1.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test edits of free-form JSON

let root: string;
let dir: string;
const file = (name: string) => path.join(dir, name);
const read = (name: string): Json => JSON.parse(readFileSync(file(name), 'utf8')) as Json;
const write = (name: string, value: unknown) => writeFileSync(file(name), JSON.stringify(value, null, 2));
const edit = (name: string, change: (json: Json) => void) => {
  const json = read(name);
  change(json);
  write(name, json);
};

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'county-check-'));
  dir = path.join(root, 'lingshou');
  cpSync(countyDirInRepo('lingshou'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}samples`) });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const errorsOf = () => checkCountyFolder(dir).problems.errors.map((p) => ({ file: path.isAbsolute(p.file) ? path.relative(dir, p.file) : p.file, path: p.path, message: p.message }));

describe('a corrupted county folder', () => {
  it('names a misspelled key and suggests the right one (a typo never silently leaves a setting off)', () => {
    edit('county.json', (c) => {
      c.collection.lockAtDeadLine = true;
    });
    expect(errorsOf()).toEqual([{ file: 'county.json', path: 'collection.lockAtDeadLine', message: 'unknown key "lockAtDeadLine"; did you mean "lockAtDeadline"?' }]);
    const err = configErrorOf(() => loadCounty(dir));
    expect([err.file, err.field]).toEqual([file('county.json'), 'collection.lockAtDeadLine']);
  });

  it('names a misspelt time zone and an invalid Scheduler expression, in Chinese and English (they failed only after deploy)', () => {
    edit('county.json', (c) => {
      c.timeZone = 'Asia/Shanghia';
      c.collection.schedules[1].expression = 'cron(0 18 * 12 * *)';
    });
    expect(errorsOf()).toEqual([
      { file: 'county.json', path: 'timeZone', message: expect.stringMatching(/^“Asia\/Shanghia”不是有效的时区.* \/ "Asia\/Shanghia" is not a valid IANA time zone/) },
      { file: 'county.json', path: 'collection.schedules[1].expression', message: expect.stringMatching(/有且只有一个写“\?” \/ exactly one of day-of-month and day-of-week must be "\?"$/) },
    ]);
  });

  it('names a template block whose "narratives" is misspelled', () => {
    edit('template.json', (t) => {
      t.blocks[1].narrative = t.blocks[1].narratives;
      delete t.blocks[1].narratives;
    });
    expect(errorsOf()).toEqual([{ file: 'template.json', path: 'blocks[1].narrative', message: 'unknown key "narrative"; did you mean "narratives"?' }]);
  });

  it('refuses an id that differs from the folder', () => {
    edit('county.json', (c) => {
      c.id = 'lingshou_county';
    });
    expect(errorsOf()).toEqual([expect.objectContaining({ file: 'county.json', path: 'id', message: expect.stringContaining('the county\'s folder is "lingshou"') })]);
  });

  it('names an indicator the report prints that no unit submits, and says how to assign it', () => {
    edit('county.json', (c) => {
      const bureau = c.units.find((u: Json) => u.id === 'approval_bureau');
      bureau.roles = [];
    });
    const errors = errorsOf();
    expect(errors).toContainEqual({
      file: 'shared/core/catalogue/indicators.json',
      path: '(services_fully_online).submittedBy',
      message: expect.stringMatching(/no unit of 灵寿县 submits “.+”.*role approval_bureau.*catalogue\.assign\.services_fully_online/),
    });
  });

  it('names a unit asked for nothing (usually a misspelled role), and the ways out', () => {
    edit('county.json', (c) => {
      c.units.push({ id: 'audit_bureau', name: '灵寿县审计局', kind: 'department', roles: ['audit_office'] });
    });
    const index = read('county.json').units.length - 1;
    expect(errorsOf()).toEqual([
      { file: 'county.json', path: `units[${index}]`, message: expect.stringMatching(/“灵寿县审计局” \(audit_bureau\) is asked for nothing.*narrativeOnly.*optional/) },
    ]);
  });

  it('accepts that unit once it is marked as sending text only, and counts it as expected', () => {
    edit('county.json', (c) => {
      c.units.push({ id: 'audit_bureau', name: '灵寿县审计局', kind: 'department', narrativeOnly: true });
    });
    expect(errorsOf()).toEqual([]);
    expect(loadCounty(dir).plan(2021).expectedUnitIds).toContain('audit_bureau');
  });

  it('names a placeholder that names no indicator, with the closest id', () => {
    edit('template.json', (t) => {
      t.blocks[2].body = t.blocks[2].body.replace('{{fig:legality_review_meeting_items}}', '{{fig:legality_review_meeting_item}}');
    });
    expect(errorsOf()).toEqual([
      { file: 'template.json', path: 'blocks[2].body', message: 'placeholder {{fig:legality_review_meeting_item}} names no indicator in the catalogue; did you mean {{fig:legality_review_meeting_items}}?' },
    ]);
  });

  it("names a county indicator that redefines a national one without excluding it, and a bad assignment", () => {
    edit('indicators.json', (list) => {
      (list as unknown as Json[]).push({ ...(list as unknown as Json[])[0], id: 'services_fully_online' });
    });
    edit('county.json', (c) => {
      c.catalogue.assign = { mediators_totl: [{ kind: 'unit', unit: 'justice_bureau' }] };
    });
    const errors = errorsOf();
    expect(errors).toContainEqual({ file: 'indicators.json', path: `[${read('indicators.json').length - 1}].id`, message: expect.stringContaining('"services_fully_online" is a national indicator; give yours another id, or list "services_fully_online" in county.json catalogue.exclude') });
    expect(errors).toContainEqual({ file: 'county.json', path: 'catalogue.assign.mediators_totl', message: expect.stringContaining('did you mean "mediators_total"?') });
  });

  it('reports every problem at once, and loading throws the first saying how many more', () => {
    edit('county.json', (c) => {
      c.collection.lockAtDeadLine = true;
      c.outlierFactr = 3;
    });
    expect(errorsOf()).toHaveLength(2);
    expect(configErrorOf(() => loadCounty(dir)).message).toContain('(and 1 more: run `yearly-report county check lingshou` to list them)');
  });
});

describe('yearly-report county check', () => {
  it.each(['lingshou', 'qingshan_demo'])('passes on the shipped county %s and prints what each unit is asked for', async (id) => {
    const { code, stdout } = await runCli(['county', 'check', id]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/配置检查通过/);
    expect(stdout).toMatch(/年度模板向各单位收集的内容/);
  });

  it('lists what the justice bureau will be asked for, by name', async () => {
    const { stdout } = await runCli(['county', 'check', 'lingshou', '--year', '2021']);
    const line = stdout.split('\n').find((l) => l.includes('灵寿县司法局：'))!;
    expect(line).toContain('政府常务会议题会前合法性审查件数');
    expect(line).toContain('行政复议案件台账');
  });

  it('exits 1 on a corrupted folder given by path, naming file and JSON path', async () => {
    edit('county.json', (c) => {
      c.collection.lockAtDeadLine = true;
    });
    const { code, stdout } = await runCli(['county', 'check', dir]);
    expect(code).toBe(1);
    expect(stdout).toContain('collection.lockAtDeadLine: unknown key "lockAtDeadLine"; did you mean "lockAtDeadline"?');
  });

  // Issue 21: prose that asserts completeness with nothing to prove it, and a measure word that is not the indicator's unit.
  it('reminds of an unbound completeness claim and a measure-word mismatch, with file, block and the words', async () => {
    edit('template.json', (t) => {
      t.blocks[2].body = t.blocks[2].body.replace('{{claim:legal_adviser_coverage}}实现县、乡两级政府及行政执法部门法律顾问全覆盖{{/claim}}', '实现县、乡两级政府及行政执法部门法律顾问全覆盖');
      t.blocks[6].body = t.blocks[6].body.replace('{{fig:mediators_total}}人', '{{fig:mediators_total}}名');
    });
    const warnings = checkCountyFolder(dir).problems.list.filter((p) => p.severity === 'warning' && p.file.endsWith('template.json'));
    expect(warnings.map((p) => ({ file: path.relative(dir, p.file), path: p.path, message: p.message }))).toEqual([
      {
        file: 'template.json',
        path: 'blocks[2].body',
        message: '“三是实现县、乡两级政府及行政执法部门法律顾问全覆盖。” asserts completeness (“全覆盖”) that no data prove: bind it with {{claim:<check or indicator>}}…{{/claim}} (shared/counties/README.md, "Claims"), or reword it',
      },
      {
        file: 'template.json',
        path: 'blocks[6].body',
        message: '{{fig:mediators_total}} is followed by “名” but “人民调解员总数” is counted in “人”: write 人, or, where usage really varies, allow it in county.json "measureWords": { "人": ["名"] }',
      },
    ]);
    const { code, stdout } = await runCli(['county', 'check', dir]);
    expect(code).toBe(0);
    expect(stdout).toContain('提醒1. ');
    expect(stdout).toContain('template.json blocks[2].body: “三是实现县、乡两级政府及行政执法部门法律顾问全覆盖。” asserts completeness (“全覆盖”)');
    // Where the county says usage varies, the synonym passes.
    edit('county.json', (c) => {
      c.measureWords = { 人: ['名'] };
    });
    expect(checkCountyFolder(dir).problems.list.filter((p) => p.message.includes('is followed by'))).toEqual([]);
  });

  it('exits 2 when there is no such county', async () => {
    const { code, stderr } = await runCli(['county', 'check', 'atlantis']);
    expect(code).toBe(2);
    expect(stderr).toContain('no county.json');
  });
});

describe('yearly-report county catalogue (issue 21: nobody greps JSON)', () => {
  it('lists the national indicators with measure word, kind and submitting roles', async () => {
    const { code, stdout } = await runCli(['county', 'catalogue']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^全国指标目录：\d+项/);
    expect(stdout).toContain('  mediators_total | 人民调解员总数 | 人 | sum | count | group:townships, role:mediation_office');
    expect(stdout).not.toContain('three_systems_full_coverage');
  });

  it("lists a county's own catalogue, with how many of its units each indicator reaches", async () => {
    const { code, stdout } = await runCli(['county', 'catalogue', '--county', 'lingshou', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Array<{ id: string; unit: string; kind: string; valueType: string; submittedBy: string[]; units: string[] }>;
    expect(rows.find((r) => r.id === 'three_systems_full_coverage')).toMatchObject({ unit: '项', kind: 'all', valueType: 'yesno', submittedBy: ['unit:government_office'], units: ['government_office'] });
    expect(rows.find((r) => r.id === 'townships_with_legal_advisers')).toMatchObject({ kind: 'coverage_count of legal_advisers_engaged' });
  });
});

describe('two counties', () => {
  it('may define an indicator with the same id without clashing', () => {
    const makeCounty = (id: string, name: string, unit: string) => {
      const d = path.join(root, id);
      cpSync(countyDirInRepo('lingshou'), d, { recursive: true, filter: (src) => !src.includes(`${path.sep}samples`) });
      const config = JSON.parse(readFileSync(path.join(d, 'county.json'), 'utf8')) as Json;
      config.id = id;
      writeFileSync(path.join(d, 'county.json'), JSON.stringify(config));
      const own = JSON.parse(readFileSync(path.join(d, 'indicators.json'), 'utf8')) as Json[];
      own.push({ id: 'credit_entries', name, unit, topic: 'credit', submittedBy: [{ kind: 'unit', unit: 'government_office' }], aggregation: { kind: 'sum' } });
      writeFileSync(path.join(d, 'indicators.json'), JSON.stringify(own));
      writeFileSync(path.join(d, 'county.json'), JSON.stringify({ ...config, catalogue: { ...config.catalogue, alsoCollect: [...config.catalogue.alsoCollect, 'credit_entries'] } }));
      return loadCounty(d);
    };
    const east = makeCounty('east_county', '信用信息归集条数', '条');
    const west = makeCounty('west_county', '信用承诺书签订份数', '份');
    expect(east.catalogue.indicatorById.get('credit_entries')).toMatchObject({ name: '信用信息归集条数', unit: '条' });
    expect(west.catalogue.indicatorById.get('credit_entries')).toMatchObject({ name: '信用承诺书签订份数', unit: '份' });
    expect(east.catalogue.fileOf('credit_entries')).toBe(path.join(root, 'east_county', 'indicators.json'));
  });
});
