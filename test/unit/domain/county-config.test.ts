import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCatalogue } from '../../../shared/core/catalogue/load';
import { countyDirInRepo, loadCounty } from '../../../shared/core/county/load';
import { configErrorOf } from './config-error';

const lingshouDir = countyDirInRepo('lingshou');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(lingshouDir, file), 'utf8')) as Record<string, unknown>;

describe('Lingshou config', () => {
  const county = loadCounty(lingshouDir);
  const units = county.config.units;

  it('has its 15 townships, 20 enforcement departments and 4 offices', () => {
    expect(units.filter((u) => u.groups.includes('townships'))).toHaveLength(15);
    expect(units.filter((u) => u.groups.includes('enforcement_departments'))).toHaveLength(20);
    expect(units.filter((u) => u.kind === 'office')).toHaveLength(4);
  });

  it('has exactly one unit for every role its 2021 report asks', () => {
    const plan = county.plan(2021);
    const roles = new Set(
      [...county.catalogue.indicators, ...county.catalogue.ledgers]
        .filter((d) => plan.collected.has(d.id))
        .flatMap((d) => d.submittedBy.flatMap((s) => (s.kind === 'role' ? [s.role] : []))),
    );
    expect(roles.size).toBeGreaterThan(5);
    for (const role of roles) expect([role, units.filter((u) => u.roles.includes(role)).length]).toEqual([role, 1]);
  });

  it('merges the 2021 override over the base template', () => {
    const template = county.template(2021);
    expect([template.docSequence, template.date, template.note]).toEqual([6, '2022年1月14日', '（此件公开发布）']);
    expect(template.blocks.filter((b) => b.kind === 'heading1').map((b) => b.text)).toEqual(['一、工作开展情况', '二、法治政府建设中存在的问题', '三、下一步工作计划']);
    expect(county.template(2022).docSequence).toBeUndefined();
  });
});

describe('config validation at load', () => {
  let dir: string;
  beforeEach(() => {
    // A county's folder is named by its id.
    dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'county-')), 'lingshou');
    cpSync(lingshouDir, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}samples`) });
    rmSync(path.join(dir, 'template.2021.json'));
  });
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));


  it('refuses a misspelt time zone and an invalid Scheduler expression, naming the field (county check and synth both load this way)', () => {
    const county = readJson('county.json') as { timeZone: string; collection: { schedules: { expression: string }[] } };
    writeFileSync(path.join(dir, 'county.json'), JSON.stringify({ ...county, timeZone: 'Asia/Shanghia' }));
    const zone = configErrorOf(() => loadCounty(dir));
    expect(zone.field).toBe('timeZone');
    expect(zone.message).toContain('“Asia/Shanghia”不是有效的时区');
    county.collection.schedules[0]!.expression = 'cron(0 18 * 12 * *)';
    writeFileSync(path.join(dir, 'county.json'), JSON.stringify(county));
    const schedule = configErrorOf(() => loadCounty(dir));
    expect(schedule.field).toBe('collection.schedules[0].expression');
    expect(schedule.message).toMatch(/有且只有一个写“\?”/);
  });

  it('names the template field whose placeholder has no indicator', () => {
    const template = readJson('template.json') as { blocks: Array<{ body?: string }> };
    template.blocks[2]!.body = '审查{{fig:legality_reviews_typo}}件。';
    writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template));
    const err = configErrorOf(() => loadCounty(dir).template(2021));
    expect([err.file, err.field]).toEqual([path.join(dir, 'template.json'), 'blocks[2].body']);
    expect(err.message).toContain('{{fig:legality_reviews_typo}} names no indicator');
  });

  it('names the year override when the bad field comes from it', () => {
    writeFileSync(path.join(dir, 'template.2023.json'), JSON.stringify({ preamble: '{{year}}年共办理{{fig:nope}}件。' }));
    // Every year's override is checked at load: a broken year fails the deploy, not its January run.
    const err = configErrorOf(() => loadCounty(dir));
    expect([err.file, err.field]).toEqual([path.join(dir, 'template.2023.json'), 'preamble']);
    rmSync(path.join(dir, 'template.2023.json'));
    expect(() => loadCounty(dir).template(2022)).not.toThrow();
  });

  it('rejects an unknown report variable', () => {
    writeFileSync(path.join(dir, 'template.2023.json'), JSON.stringify({ title: '{{goverment}}报告' }));
    const err = configErrorOf(() => loadCounty(dir).template(2023));
    expect(err.field).toBe('title');
    expect(err.message).toContain('unknown placeholder {{goverment}}');
  });

  it('rejects a duplicate unit id, naming the unit', () => {
    const config = readJson('county.json') as { units: Array<{ id: string }> };
    config.units[5]!.id = config.units[0]!.id;
    writeFileSync(path.join(dir, 'county.json'), JSON.stringify(config));
    const err = configErrorOf(() => loadCounty(dir));
    expect([err.file, err.field]).toEqual([path.join(dir, 'county.json'), 'units[5].id']);
  });
});

describe('a base template written for one year', () => {
  const jinping = loadCounty(countyDirInRepo('jinping'));
  it('is that year own template, with no notice; another year reuses it and says so', async () => {
    const { buildReport } = await import('../../../shared/core/report/build-report');
    const notice = (year: number) =>
      buildReport({ county: jinping, year, submissions: [], rejected: [], generatedAt: new Date(`${year + 1}-01-05T02:00:00Z`) }).document.find(
        (b) => b.kind === 'notice' && 'text' in b && b.text.includes('自己的报告模板'),
      );
    expect(jinping.template(2025).writtenFor).toBe(2025);
    expect(jinping.hasOwnTemplate!(2025)).toBe(true);
    expect(notice(2025)).toBeUndefined();
    expect(notice(2026)).toMatchObject({ text: expect.stringContaining('沿用了2025年度模板的文字') });
  });
});
