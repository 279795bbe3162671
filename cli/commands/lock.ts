import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { chineseDateTime } from '../../shared/core/county/time';
import { describeActor, type LockEvent, type LockEventKind } from '../../shared/core/lock-history';
import { addTargetOptions, CountyTarget, TargetOptions, withTarget } from '../county-target';
import { parseYearOption, resolveUnitOption } from '../options';
import { UsageError } from '../usage-error';

/**
 * `lock` closes a year to uploads; `unlock` opens it for one unit (an
 * exception) or lifts the lock; `revoke` withdraws an exception. Each is an
 * event appended to the year's lock history, stamped with the caller's
 * identity and the service's time (never typed by the operator), and audited.
 * The office reads what happened in names and local time; doing it a second
 * time says so instead of passing silently.
 */
export function register(program: Command): void {
  addTargetOptions(
    program
      .command('lock')
      .description('close a year to uploads; later uploads are rejected with a message naming the lock (recorded with your identity)')
      .requiredOption('--year <year>', 'report year')
      .option('--reason <text>', 'why, shown to units whose upload is refused')
      .addHelpText('after', '\nExample:\n  npx yearly-report lock --county lingshou --year 2021 --reason 已出正式稿 --local\n'),
  ).action(async (opts: TargetOptions & { year: string; reason?: string }) => {
    const year = parseYearOption(opts.year);
    await withTarget(opts, async (target) => {
      const { county, repo } = target;
      const when = (iso: string) => chineseDateTime(new Date(iso), county.config.timeZone);
      const head = `${county.config.name} ${year}年度报送`;
      const existing = await repo.getLock(year);
      if (existing) {
        process.stdout.write(`${head}已于${when(existing.lockedAt)}由${existing.lockedBy}锁定${existing.reason ? `（${existing.reason}）` : ''}，无需再次锁定；锁定时间和原因不变。\n`);
        return;
      }
      const event = await record(target, year, 'lock', { reason: opts.reason });
      process.stdout.write(
        `${head}已于${when(event.at)}由${describeActor(event.by)}锁定${opts.reason ? `（${opts.reason}）` : ''}。此后的上传将被退回；个别单位需补报时，用 unlock --unit 为其开通例外。\n`,
      );
    });
  });

  addTargetOptions(
    program
      .command('unlock')
      .description('let one unit upload to a locked year (an exception, until the lock is lifted or renewed), or lift the lock with --all')
      .requiredOption('--year <year>', 'report year')
      .option('--unit <unit>', 'unit id or name that may upload despite the lock')
      .option('--all', 'lift the lock for every unit (ends every exception too)')
      .addHelpText('after', '\nExamples:\n  npx yearly-report unlock --county lingshou --year 2021 --unit 县司法局 --local\n  npx yearly-report unlock --county lingshou --year 2021 --all --local\n'),
  ).action(async (opts: TargetOptions & { year: string; unit?: string; all?: boolean }) => {
    const year = parseYearOption(opts.year);
    if (!opts.unit === !opts.all) throw new UsageError('give exactly one of --unit <unit> or --all');
    await withTarget(opts, async (target) => {
      const { county, repo } = target;
      const head = `${county.config.name} ${year}年度报送`;
      const when = (iso: string) => chineseDateTime(new Date(iso), county.config.timeZone);
      const lock = await repo.getLock(year);
      if (opts.all) {
        if (!lock) {
          process.stdout.write(`${head}未锁定，无需解除。\n`);
          return;
        }
        const event = await record(target, year, 'unlock', {});
        process.stdout.write(`${head}的锁定已于${when(event.at)}由${describeActor(event.by)}解除，各单位可以重新上传；此前开通的例外随之结束。\n`);
        return;
      }
      const unit = resolveUnitOption(county, opts.unit!);
      if (!lock) throw new UsageError(`${county.config.name} ${year} is not locked; an exception would have nothing to except`);
      if ((await repo.listLockExceptions(year)).includes(unit.id)) {
        process.stdout.write(`${head}：${unit.name}已有例外，可在锁定后上传，无需再次开通。\n`);
        return;
      }
      const event = await record(target, year, 'exception', { unitId: unit.id });
      process.stdout.write(`${head}：${unit.name}可在锁定后继续上传（例外，${when(event.at)}由${describeActor(event.by)}开通，至解除或重新锁定为止）。\n`);
    });
  });

  addTargetOptions(
    program
      .command('revoke')
      .description("withdraw a unit's exception to the lock: its uploads from now on are refused again")
      .requiredOption('--year <year>', 'report year')
      .requiredOption('--unit <unit>', 'unit id or name'),
  ).action(async (opts: TargetOptions & { year: string; unit: string }) => {
    const year = parseYearOption(opts.year);
    await withTarget(opts, async (target) => {
      const unit = resolveUnitOption(target.county, opts.unit);
      const head = `${target.county.config.name} ${year}年度报送`;
      if (!(await target.repo.listLockExceptions(year)).includes(unit.id)) {
        process.stdout.write(`${head}：${unit.name}没有例外，无需撤销。\n`);
        return;
      }
      const event = await record(target, year, 'revoke', { unitId: unit.id });
      process.stdout.write(`${head}：${unit.name}的例外已于${chineseDateTime(new Date(event.at), target.county.config.timeZone)}由${describeActor(event.by)}撤销，此后的上传将被退回。\n`);
    });
  });
}

/** Appends the event to the lock history and its audit entry. */
async function record(target: CountyTarget, year: number, kind: LockEventKind, extra: { unitId?: string; reason?: string }): Promise<LockEvent> {
  const { by, at } = await target.caller();
  const event: LockEvent = { year, kind, at, id: randomUUID(), by, ...(extra.unitId ? { unitId: extra.unitId } : {}), ...(extra.reason ? { reason: extra.reason } : {}) };
  await target.repo.appendLockEvent(event);
  await target.repo.appendAudit({ at, year, unitId: extra.unitId ?? '-', outcome: kind, principal: by.principal, detail: [kind, extra.reason, `identity ${by.source}`].filter(Boolean).join('; ') });
  return event;
}
