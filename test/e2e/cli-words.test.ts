import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { countyDirInRepo } from '../../shared/core/county/load';

/**
 * What the command line says, as a newcomer and the county office read it
 * (issue 22, items 14–16): Chinese and local times where the office or a clerk
 * reads, no command a clerk cannot run, suggestions that point the right way,
 * and a state folder or port in use said in one line. Separate processes of
 * the real binary, as people run it.
 */
const work = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-words-'));
const bin = path.resolve(__dirname, '../../cli/bin.js');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const env = { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' };
function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function jsonFile(name: string, body: Record<string, unknown>): string {
  const file = path.join(work, name);
  writeFileSync(file, JSON.stringify({ $schema: 'yearly-report/submission-file@1', county: 'lingshou', year: 2021, unit: '县司法局', ...body }));
  return file;
}

/** No stack trace and no leveldb message: one line a person can act on. */
const oneLine = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('(dist/cli.js'));

describe('validate', () => {
  it('says 通过/未通过 and names the year asked for, not an upload that never happened', () => {
    const file = jsonFile('司法局.json', { indicators: { legality_review_meeting_items: 125 } });
    const passed = cli('validate', file, '--county', 'lingshou', '--year', '2021');
    expect(passed.code).toBe(0);
    expect(passed.out).toMatch(/^通过：司法局\.json（灵寿县司法局，2021年度）/);

    const otherYear = cli('validate', file, '--county', 'lingshou', '--year', '2022');
    expect(otherYear.code).toBe(1);
    expect(otherYear.out).toMatch(/^未通过：司法局\.json（灵寿县司法局，2022年度）/);
    expect(otherYear.out).toContain('文件填写2021年度，所报年度为2022年度');
    expect(otherYear.out).not.toMatch(/上传位置|accepted|invalid/);
  });

  it('suggests the closest unit and county for a misspelt --unit or --county', () => {
    const file = jsonFile('司法.json', {});
    const unit = cli('validate', file, '--county', 'lingshou', '--year', '2021', '--unit', '县司法厅');
    expect(unit.code).toBe(2);
    expect(unit.err).toMatch(/unknown unit "县司法厅" in 灵寿县; did you mean “灵寿县司法局”\?/);
    const county = cli('validate', file, '--county', 'lingshuo', '--year', '2021');
    expect(county.code).toBe(2);
    expect(county.err).toMatch(/unknown county "lingshuo".*did you mean "lingshou" \(灵寿县\)\?/);
    expect(cli('validate', file, '--county', '灵寿县', '--year', '2021').err).toMatch(/did you mean "lingshou" \(灵寿县\)\?/);
  });
});

describe('county check', () => {
  it('reports a misspelt role in county.json, where the typo is, and never proposes the typo', () => {
    const dir = path.join(work, 'typo', 'lingshou');
    cpSync(countyDirInRepo('lingshou'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}samples`) });
    const county = JSON.parse(readFileSync(path.join(dir, 'county.json'), 'utf8')) as { units: { name: string; roles: string[] }[] };
    const justice = county.units.findIndex((u) => u.roles.includes('justice_bureau'));
    county.units[justice]!.roles = county.units[justice]!.roles.map((r) => (r === 'justice_bureau' ? 'justice_burea' : r));
    writeFileSync(path.join(dir, 'county.json'), JSON.stringify(county, null, 2));

    const checked = cli('county', 'check', dir);
    expect(checked.code).toBe(1);
    expect(checked.out).toContain(`county.json units[${justice}].roles[0]: no indicator or ledger asks for the role "justice_burea" of “灵寿县司法局”; did you mean "justice_bureau"?`);
    expect(checked.out).not.toContain('did you mean "justice_burea"');
    expect(checked.out).toMatch(/indicators\.json .*no unit in county\.json has the role "justice_bureau"; county\.json units\[\d+\]\.roles\[0\] gives “灵寿县司法局” "justice_burea", a misspelling of it/);
  });

  it("gives its reminders in Chinese and proposes no unrelated role (信访局 is no education bureau)", () => {
    const checked = cli('county', 'check', 'lingshou');
    expect(checked.code).toBe(0);
    expect(checked.out).toContain('“灵寿县信访局”的角色"petition_bureau"没有对应任何指标或台账');
    expect(checked.out).not.toMatch(/education_bureau|is asked for nothing|did you mean/);
  });
});

it('demo --county jinping without samples for the year says which years have them', () => {
  const result = cli('demo', '--county', 'jinping', '--year', '2021', '--out', path.join(work, 'out'));
  expect(result.code).toBe(2);
  expect(result.err).toMatch(/金平县 has samples for 2025: --year 2025/);
});

describe('serve --local and the other --local commands', () => {
  const state = path.join(work, 'state');
  let serveOut = '';
  let served: ReturnType<typeof spawn> | undefined;
  let url = '';

  beforeAll(async () => {
    // main.ts straight through tsx's loader, as bin.js does, so the signal below reaches the server itself.
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    served = spawn(process.execPath, ['--import', tsx, path.resolve(__dirname, '../../cli/main.ts'), 'serve', '--county', 'lingshou', '--local', '--local-dir', state], { cwd: work, env });
    served.stdout!.on('data', (chunk) => (serveOut += String(chunk)));
    served.stderr!.on('data', (chunk) => (serveOut += String(chunk)));
    for (let waited = 0; !/portal on (http:\/\/127\.0\.0\.1:\d+)/.test(serveOut); waited += 200) {
      if (waited > 120_000 || served.exitCode !== null) throw new Error(`serve did not start:\n${serveOut}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    url = /portal on (http:\/\/127\.0\.0\.1:\d+)/.exec(serveOut)![1]!;
  }, 150_000);
  afterAll(() => {
    if (served && served.exitCode === null) served.kill('SIGKILL');
  });

  it('refuses another --local command on the folder serve holds, in one line naming --local-dir', () => {
    const status = cli('status', '--county', 'lingshou', '--year', '2021', '--local', '--local-dir', state);
    expect(status.code).toBe(1);
    expect(oneLine(status.err)).toEqual([expect.stringMatching(/^error: 本地数据文件夹 .* 正被另一个 yearly-report 进程使用（进程号 \d+：yearly-report serve --county lingshou .*--local-dir/)]);
    expect(status.err).not.toMatch(/Database is closed|\n\s+at /);
  });

  it('says a port in use in one line, not a stack trace', () => {
    const port = new URL(url).port;
    const other = cli('serve', '--county', 'lingshou', '--local', '--local-dir', path.join(work, 'other-state'), '--port', port);
    expect(other.code).toBe(1);
    expect(oneLine(other.err)).toEqual([`error: 端口${port}已被占用，请换一个 --port，或不写 --port 自动选用空闲端口 (port ${port} is in use: choose another --port, or leave it out for a free one)`]);
  });

  it('once serve stops, token create prints the whole clerk link on its port and the expiry in local time', async () => {
    served!.kill('SIGINT');
    await new Promise((resolve) => (served!.exitCode !== null ? resolve(undefined) : served!.once('exit', resolve)));
    const created = cli('token', 'create', '--county', 'lingshou', '--unit', '司法局', '--days', '30', '--local', '--local-dir', state);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^灵寿县司法局的报送链接，有效期至\d{4}年\d+月\d+日 \d\d:\d\d（只显示这一次，请发给该单位的填报人）：\n {2}http:\/\/127\.0\.0\.1:\d+\/clerk\.html#t=yrt_\w+_[\w-]+\n$/);
    expect(created.out).toContain(`${url}/clerk.html#t=yrt_`);
    expect(created.out).not.toMatch(/\d{4}-\d\d-\d\dT|valid until|justice_bureau/);

    const listed = cli('token', 'list', '--county', 'lingshou', '--unit', '司法局', '--local', '--local-dir', state);
    expect(listed.out).toMatch(/ {2}有效 {2}\d{4}年\d+月\d+日 \d\d:\d\d由.+创建，有效期至\d{4}年/);
    expect(listed.out).not.toMatch(/\d{4}-\d\d-\d\dT|active|valid until/);
    const revoked = cli('token', 'revoke', '--county', 'lingshou', '--unit', '司法局', '--local', '--local-dir', state);
    expect(revoked.out).toMatch(/^灵寿县司法局：已撤销2个报送链接/);
  });
});
