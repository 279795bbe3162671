import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';

/**
 * The county office's commands as people run them: separate processes of
 * the real `yearly-report` binary, sharing emulator state in --local-dir.
 */
const work = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-cli-'));
const bin = path.resolve(__dirname, '../../cli/bin.js');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(...args: string[]) {
  return cliIn('state', ...args);
}

function cliIn(state: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args, ...(['upload', 'status', 'lock', 'unlock', 'replay', 'aggregate'].includes(args[0]!) ? ['--local', '--local-dir', path.join(work, state)] : [])], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function submission(name: string, unit: string, indicators: Record<string, unknown>): string {
  const file = path.join(work, name);
  writeFileSync(file, JSON.stringify({ $schema: 'yearly-report/submission-file@1', county: 'lingshou', year: 2021, unit, indicators }));
  return file;
}

const common = ['--county', 'lingshou', '--year', '2021'];

it('uploads, shows status, locks, lets one unit through, replays and aggregates, keeping state between processes', () => {
  const justice = submission('司法局.json', '县司法局', { legality_review_meeting_items: 125 });
  const approval = submission('审批局.json', '行政审批局', { services_fully_online: 517 });

  const first = cli('upload', justice, approval, ...common, '--unit', '司法局');
  // Both files named with --unit go to the justice bureau; the second is refused for naming another unit.
  expect(first.out).toMatch(/✓ 司法局\.json → 灵寿县司法局: 已接收/);
  expect(first.out).toMatch(/✗ 审批局\.json → 灵寿县司法局/);
  expect(first.code).toBe(1);

  expect(cli('upload', approval, ...common, '--unit', 'approval_bureau').code).toBe(0);

  const status = JSON.parse(cli('status', ...common, '--json').out);
  expect(status.units.filter((u: { status: string }) => u.status === 'accepted').map((u: { unitId: string }) => u.unitId).sort()).toEqual(['approval_bureau', 'justice_bureau']);
  expect(status.missing).toHaveLength(37);

  const human = cli('status', ...common).out;
  // The office reads names and local times; ids and UTC stay in --json.
  expect(human).toMatch(/^灵寿县 2021年度 {2}报送截止 2022年1月10日 {2}未锁定/);
  expect(human).toMatch(/\n灵寿县司法局\t已接收\t司法局\.json\t/);
  expect(human).not.toMatch(/justice_bureau|approval_bureau|\d{4}-\d\d-\d\dT|unversioned/);

  const lock = cli('lock', ...common, '--reason', '已出正式稿');
  expect(lock.code).toBe(0);
  // Who locked it is the caller, not a name typed on the command line; locally the OS user, marked unverified.
  expect(lock.out).toMatch(/^灵寿县 2021年度报送已于\d{4}年\d+月\d+日 \d\d:\d\d由.+（本机用户，未经AWS验证）锁定（已出正式稿）。/);
  const again = cli('lock', ...common);
  expect(again.code).toBe(0);
  expect(again.out).toMatch(/锁定（已出正式稿），无需再次锁定/);
  expect(cli('status', ...common).out).toMatch(/已于\d{4}年\d+月\d+日 \d\d:\d\d由.+锁定（已出正式稿）/);
  const locked = cli('upload', approval, ...common, '--unit', 'approval_bureau');
  expect(locked.code).toBe(1);
  expect(locked.out).toMatch(/已于.*锁定（已出正式稿）/);
  expect(locked.out).toContain('PERIOD_LOCKED');
  // A clerk reads it: whom to ask, no command to run and no value they never typed.
  expect(locked.out).toMatch(/请联系县依法治县办（报告汇总部门）为本单位开通补报/);
  expect(locked.out).not.toMatch(/yearly-report|unlock --unit|approval_bureau|填写内容/);

  expect(cli('unlock', ...common, '--unit', '行政审批局').out).toMatch(/灵寿县行政审批局可在锁定后继续上传/);
  expect(cli('unlock', ...common, '--unit', 'approval_bureau').out).toMatch(/灵寿县行政审批局已有例外/);
  expect(cli('upload', approval, ...common, '--unit', 'approval_bureau').code).toBe(0);

  expect(cli('unlock', ...common, '--all').out).toMatch(/的锁定已于.*解除/);
  expect(cli('unlock', ...common, '--all').out).toMatch(/未锁定，无需解除/);

  const replay = cli('replay', ...common);
  expect(replay.code).toBe(0);
  expect(replay.out).toMatch(/replayed \d+ uploaded versions .*2 accepted/);

  const aggregate = cli('aggregate', ...common, '--out', path.join(work, 'out'));
  expect(aggregate.code).toBe(0);
  const report = JSON.parse(readFileSync(path.join(work, 'out', 'report.json'), 'utf8'));
  // The same count the demo prints: figures with a value, and without.
  const withData = report.figures.filter((f: { value: number | null }) => f.value !== null).length;
  const partial = report.figures.filter((f: { partial?: unknown }) => f.partial).length;
  // The county office reads it: Chinese, no ids, no English.
  expect(aggregate.out).toMatch(/^灵寿县 2021年度报告已生成：应报送单位39个，已报送2个（其中逾期2个），未报送37个\n/);
  expect(aggregate.out).toContain(`数据：报告共${report.figures.length}项数据，${withData}项有数据${partial ? `（其中${partial}项缺少部分单位的数据）` : ''}，${report.figures.length - withData}项暂无数据`);
  expect(aggregate.out).toContain(`文件已保存到 ${path.join(work, 'out')}${path.sep}`);
  expect(aggregate.out).not.toMatch(/report generated|missing|late|figures:/);
  expect(report.figures.find((f: { indicatorId: string }) => f.indicatorId === 'services_fully_online').value).toBe(517);
  expect(report.figures.find((f: { indicatorId: string }) => f.indicatorId === 'legality_review_meeting_items').value).toBe(125);
});

it('uploads without --unit when only the file name names the unit, as template names it or as a clerk would', async () => {
  const made = cli('template', ...common, '--unit', '县教育局', '--fill-sample');
  expect(made.out).toMatch(/^wrote education_bureau-2021\.xlsx: 灵寿县教育局/);
  // The cover's unit cell cleared: only the file name says whom the file is from.
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path.join(work, 'education_bureau-2021.xlsx'));
  wb.getWorksheet('封面')!.getCell('B4').value = null;
  await wb.xlsx.writeFile(path.join(work, 'education_bureau-2021.xlsx'));
  copyFileSync(path.join(work, 'education_bureau-2021.xlsx'), path.join(work, '教育局2021.xlsx'));
  const uploaded = cliIn('state-by-name', 'upload', 'education_bureau-2021.xlsx', '教育局2021.xlsx', ...common);
  // Both go to the education bureau; the later upload is its current submission.
  expect(uploaded.out).toMatch(/^[-✓] education_bureau-2021\.xlsx → 灵寿县教育局: /m);
  expect(uploaded.out).toMatch(/^✓ 教育局2021\.xlsx → 灵寿县教育局: 已接收/m);
  expect(uploaded.code).toBe(0);
});

it('answers a usage error with exit code 2 and no stack trace', () => {
  const result = cli('status', '--county', 'nowhere', '--year', '2021');
  expect(result.code).toBe(2);
  expect(result.err).toMatch(/unknown county "nowhere"/);
  expect(result.err).not.toMatch(/\n\s+at /);
});
