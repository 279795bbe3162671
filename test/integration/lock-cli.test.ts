import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './helpers';

/**
 * `lock`, `unlock`, `revoke` with --local (issue 14). In a file of its own:
 * each command starts and stops its own emulators and points process.env at
 * them, which must not cross another file's pipeline in the same worker.
 */
describe('lock, unlock, revoke on the command line', () => {
  it('records the caller, not a typed name, and revokes an exception', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-lock-cli-'));
    try {
      const common = ['--county', 'lingshou', '--year', '2020', '--local', '--local-dir', dir];
      const locked = await runCli(['lock', ...common, '--reason', '定稿']);
      expect([locked.code, locked.stderr]).toEqual([0, '']);
      expect((await runCli(['unlock', ...common, '--unit', '市场监管局'])).code).toBe(0);
      const granted = JSON.parse((await runCli(['status', ...common, '--json'])).stdout);
      expect(granted.exceptions).toEqual(['market_regulation']);
      const revoked = await runCli(['revoke', ...common, '--unit', '市场监管局']);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toMatch(/灵寿县市场监督管理局的例外已于\d{4}年\d+月\d+日 \d\d:\d\d由.+（本机用户，未经AWS验证）撤销/);
      expect(JSON.parse((await runCli(['status', ...common, '--json'])).stdout).exceptions).toEqual([]);
      // Revoking again says so, as locking or lifting twice does.
      const again = await runCli(['revoke', ...common, '--unit', '市场监管局']);
      expect([again.code, again.stdout]).toEqual([0, '灵寿县 2020年度报送：灵寿县市场监督管理局没有例外，无需撤销。\n']);
      expect((await runCli(['lock', ...common, '--by', '某人'])).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

