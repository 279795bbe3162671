import os from 'node:os';
import type { Command } from 'commander';
import { localDateTime } from '../../shared/core/county/time';
import { addTargetOptions, TargetOptions, withTarget } from '../county-target';
import { parseYearOption, resolveUnitOption } from '../options';
import { UsageError } from '../usage-error';

/**
 * `lock` closes a year to uploads; `unlock` opens it again for one unit (an
 * exception) or lifts the lock. The office reads what happened in names and
 * local time; doing it a second time says so instead of passing silently.
 */
export function register(program: Command): void {
  addTargetOptions(
    program
      .command('lock')
      .description('close a year to uploads; later uploads are rejected with a message naming the lock (audited)')
      .requiredOption('--year <year>', 'report year')
      .option('--reason <text>', 'why, shown to units whose upload is refused')
      .option('--by <name>', 'who locks it, recorded and shown to units', os.userInfo().username)
      .addHelpText('after', '\nExample:\n  npx yearly-report lock --county lingshou --year 2021 --reason 已出正式稿 --local\n'),
  ).action(async (opts: TargetOptions & { year: string; reason?: string; by: string }) => {
    const year = parseYearOption(opts.year);
    await withTarget(opts, async ({ repo, county }) => {
      const when = (iso: string) => localDateTime(new Date(iso), county.config.timeZone);
      const head = `${county.config.name} ${year}年度报送`;
      const existing = await repo.getLock(year);
      if (existing) {
        process.stdout.write(`${head}已于${when(existing.lockedAt)}由${existing.lockedBy}锁定${existing.reason ? `（${existing.reason}）` : ''}，无需再次锁定；锁定时间和原因不变。\n`);
        return;
      }
      const lockedAt = new Date().toISOString();
      await repo.putLock({ year, lockedAt, lockedBy: opts.by, reason: opts.reason });
      await repo.appendAudit({ at: lockedAt, year, unitId: '-', outcome: 'lock', principal: opts.by, detail: opts.reason });
      process.stdout.write(
        `${head}已于${when(lockedAt)}由${opts.by}锁定${opts.reason ? `（${opts.reason}）` : ''}。此后的上传将被退回；个别单位需补报时，用 unlock --unit 为其开通例外。\n`,
      );
    });
  });

  addTargetOptions(
    program
      .command('unlock')
      .description('let one unit upload to a locked year (an exception), or lift the lock with --all (audited)')
      .requiredOption('--year <year>', 'report year')
      .option('--unit <unit>', 'unit id or name that may upload despite the lock')
      .option('--all', 'lift the lock for every unit')
      .option('--by <name>', 'who unlocks, recorded', os.userInfo().username)
      .addHelpText('after', '\nExamples:\n  npx yearly-report unlock --county lingshou --year 2021 --unit 县司法局 --local\n  npx yearly-report unlock --county lingshou --year 2021 --all --local\n'),
  ).action(async (opts: TargetOptions & { year: string; unit?: string; all?: boolean; by: string }) => {
    const year = parseYearOption(opts.year);
    if (!opts.unit === !opts.all) throw new UsageError('give exactly one of --unit <unit> or --all');
    await withTarget(opts, async ({ repo, county }) => {
      const head = `${county.config.name} ${year}年度报送`;
      const at = new Date().toISOString();
      const lock = await repo.getLock(year);
      if (opts.all) {
        if (!lock) {
          process.stdout.write(`${head}未锁定，无需解除。\n`);
          return;
        }
        await repo.deleteLock(year);
        await repo.appendAudit({ at, year, unitId: '-', outcome: 'unlock', principal: opts.by });
        process.stdout.write(`${head}的锁定已于${localDateTime(new Date(at), county.config.timeZone)}由${opts.by}解除，各单位可以重新上传。\n`);
        return;
      }
      const unit = resolveUnitOption(county, opts.unit!);
      if ((await repo.listLockExceptions(year)).includes(unit.id)) {
        process.stdout.write(`${head}：${unit.name}已有例外，可在锁定后上传，无需再次开通。\n`);
        return;
      }
      await repo.putLockException(year, unit.id, opts.by);
      await repo.appendAudit({ at, year, unitId: unit.id, outcome: 'exception', principal: opts.by });
      process.stdout.write(`${head}：${unit.name}可在锁定后继续上传（例外，由${opts.by}开通）${lock ? '' : '；目前尚未锁定'}。\n`);
    });
  });
}
