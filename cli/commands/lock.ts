import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { describeActor, type LockEvent, type LockEventKind } from '../../shared/core/lock-history';
import { addTargetOptions, CountyTarget, TargetOptions, withTarget } from '../county-target';
import { parseYearOption, resolveUnitOption } from '../options';
import { UsageError } from '../usage-error';

/**
 * `lock` closes a year to uploads; `unlock` opens it for one unit (an
 * exception) or lifts the lock; `revoke` withdraws an exception. Each is an
 * event appended to the year's lock history, stamped with the caller's
 * identity and the service's time (never typed by the operator), and audited.
 */
export function register(program: Command): void {
  addTargetOptions(
    program
      .command('lock')
      .description('close a year to uploads; later uploads are rejected with a message naming the lock (recorded with your identity)')
      .requiredOption('--year <year>', 'report year')
      .option('--reason <text>', 'why, shown to units whose upload is refused'),
  ).action(async (opts: TargetOptions & { year: string; reason?: string }) => {
    const year = parseYearOption(opts.year);
    await withTarget(opts, async (target) => {
      const event = await record(target, year, 'lock', { reason: opts.reason });
      process.stdout.write(`${target.county.config.name} ${year}: locked at ${event.at} by ${describeActor(event.by)}${opts.reason ? ` (${opts.reason})` : ''}\n`);
    });
  });

  addTargetOptions(
    program
      .command('unlock')
      .description('let one unit upload to a locked year (an exception, until the lock is lifted or renewed), or lift the lock with --all')
      .requiredOption('--year <year>', 'report year')
      .option('--unit <unit>', 'unit id or name that may upload despite the lock')
      .option('--all', 'lift the lock for every unit (ends every exception too)'),
  ).action(async (opts: TargetOptions & { year: string; unit?: string; all?: boolean }) => {
    const year = parseYearOption(opts.year);
    if (!opts.unit === !opts.all) throw new UsageError('give exactly one of --unit <unit> or --all');
    await withTarget(opts, async (target) => {
      if (opts.all) {
        const event = await record(target, year, 'unlock', {});
        process.stdout.write(`${target.county.config.name} ${year}: lock lifted at ${event.at} by ${describeActor(event.by)}\n`);
        return;
      }
      const unit = resolveUnitOption(target.county, opts.unit!);
      if (!(await target.repo.getLock(year))) throw new UsageError(`${year} is not locked; an exception would have nothing to except`);
      const event = await record(target, year, 'exception', { unitId: unit.id });
      process.stdout.write(`${target.county.config.name} ${year}: ${unit.name} (${unit.id}) may upload despite the lock (from ${event.at}, by ${describeActor(event.by)})\n`);
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
      if (!(await target.repo.listLockExceptions(year)).includes(unit.id)) throw new UsageError(`${unit.name} (${unit.id}) has no exception for ${year}`);
      const event = await record(target, year, 'revoke', { unitId: unit.id });
      process.stdout.write(`${target.county.config.name} ${year}: exception of ${unit.name} (${unit.id}) revoked at ${event.at} by ${describeActor(event.by)}\n`);
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
