import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The county office's commands as people run them: separate processes of
 * the real `yearly-report` binary, sharing emulator state in --local-dir.
 */
const work = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-cli-'));
const bin = path.resolve(__dirname, '../../cli/bin.js');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args, ...(['upload', 'status', 'lock', 'unlock', 'replay', 'aggregate'].includes(args[0]!) ? ['--local', '--local-dir', path.join(work, 'state')] : [])], {
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
  expect(first.out).toMatch(/✓ 司法局\.json → 灵寿县司法局 \(justice_bureau\): 已接收/);
  expect(first.out).toMatch(/✗ 审批局\.json → 灵寿县司法局/);
  expect(first.code).toBe(1);

  expect(cli('upload', approval, ...common, '--unit', 'approval_bureau').code).toBe(0);

  const status = JSON.parse(cli('status', ...common, '--json').out);
  expect(status.units.filter((u: { status: string }) => u.status === 'accepted').map((u: { unitId: string }) => u.unitId).sort()).toEqual(['approval_bureau', 'justice_bureau']);
  expect(status.missing).toHaveLength(37);

  const lock = cli('lock', ...common, '--reason', '已出正式稿');
  expect(lock.code).toBe(0);
  // Who locked it is the caller, not a name typed on the command line; locally the OS user, marked unverified.
  expect(lock.out).toMatch(/locked at \d{4}-\d\d-\d\dT.* by .+（本机用户，未经AWS验证）/);
  const locked = cli('upload', approval, ...common, '--unit', 'approval_bureau');
  expect(locked.code).toBe(1);
  expect(locked.out).toMatch(/已于.*锁定（已出正式稿）/);
  expect(locked.out).toContain('PERIOD_LOCKED');

  expect(cli('unlock', ...common, '--unit', '行政审批局').code).toBe(0);
  expect(cli('upload', approval, ...common, '--unit', 'approval_bureau').code).toBe(0);

  const replay = cli('replay', ...common);
  expect(replay.code).toBe(0);
  expect(replay.out).toMatch(/replayed \d+ uploaded versions .*2 accepted/);

  const aggregate = cli('aggregate', ...common, '--out', path.join(work, 'out'));
  expect(aggregate.code).toBe(0);
  const report = JSON.parse(readFileSync(path.join(work, 'out', 'report.json'), 'utf8'));
  expect(report.figures.find((f: { indicatorId: string }) => f.indicatorId === 'services_fully_online').value).toBe(517);
  expect(report.figures.find((f: { indicatorId: string }) => f.indicatorId === 'legality_review_meeting_items').value).toBe(125);
});

it('answers a usage error with exit code 2 and no stack trace', () => {
  const result = cli('status', '--county', 'nowhere', '--year', '2021');
  expect(result.code).toBe(2);
  expect(result.err).toMatch(/unknown county "nowhere"/);
  expect(result.err).not.toMatch(/\n\s+at /);
});
