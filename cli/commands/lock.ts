import os from 'node:os';
import type { Command } from 'commander';
import { chineseDateTime } from '../../shared/core/county/time';
import { addTargetOptions, TargetOptions, withTarget } from '../county-target';
import { parseYearOption, resolveUnitOption } from '../options';
import { UsageError } from '../usage-error';

/** `lock` closes a year to uploads; `unlock` opens it again for one unit (an exception) or lifts the lock. */
export function register(program: Command): void {
  addTargetOptions(
    program
      .command('lock')
      .description('close a year to uploads; later uploads are rejected with a message naming the lock (audited)')
      .requiredOption('--year <year>', 'report year')
      .option('--reason <text>', 'why, shown to units whose upload is refused')
      .option('--by <name>', 'who locks it (default: this user)', os.userInfo().username),
  ).action(async (opts: TargetOptions & { year: string; reason?: string; by: string }) => {
    const year = parseYearOption(opts.year);
    await withTarget(opts, async ({ repo, county }) => {
      const lockedAt = new Date().toISOString();
      await repo.putLock({ year, lockedAt, lockedBy: opts.by, reason: opts.reason });
      await repo.appendAudit({ at: lockedAt, year, unitId: '-', outcome: 'lock', principal: opts.by, detail: opts.reason });
      process.stdout.write(`${county.config.name} ${year}: locked at ${chineseDateTime(new Date(lockedAt), county.config.timeZone)} by ${opts.by}${opts.reason ? ` (${opts.reason})` : ''}\n`);
    });
  });

  addTargetOptions(
    program
      .command('unlock')
      .description('let one unit upload to a locked year (an exception), or lift the lock with --all (audited)')
      .requiredOption('--year <year>', 'report year')
      .option('--unit <unit>', 'unit id or name that may upload despite the lock')
      .option('--all', 'lift the lock for every unit')
      .option('--by <name>', 'who unlocks (default: this user)', os.userInfo().username),
  ).action(async (opts: TargetOptions & { year: string; unit?: string; all?: boolean; by: string }) => {
    const year = parseYearOption(opts.year);
    if (!opts.unit === !opts.all) throw new UsageError('give exactly one of --unit <unit> or --all');
    await withTarget(opts, async ({ repo, county }) => {
      const at = new Date().toISOString();
      if (opts.all) {
        await repo.deleteLock(year);
        await repo.appendAudit({ at, year, unitId: '-', outcome: 'unlock', principal: opts.by });
        process.stdout.write(`${county.config.name} ${year}: lock lifted by ${opts.by}\n`);
        return;
      }
      const unit = resolveUnitOption(county, opts.unit!);
      await repo.putLockException(year, unit.id, opts.by);
      await repo.appendAudit({ at, year, unitId: unit.id, outcome: 'exception', principal: opts.by });
      process.stdout.write(`${county.config.name} ${year}: ${unit.name} (${unit.id}) may upload despite the lock\n`);
    });
  });
}
