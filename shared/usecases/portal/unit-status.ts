import type { LoadedCounty } from '../../core/county/load';
import type { Unit } from '../../core/county/schema';
import { deadlineInstant } from '../../core/county/time';
import { chineseDateTime, submissionState, UNIT_STATE_LABEL, unitState, type UnitState } from '../../core/portal/status';
import type { CurrentPointer, SubmissionRepository, VersionRecord } from '../ports';
import type { PortalStore, ReviewRecord } from './ports';

/**
 * Every unit's state for a year, from the same records `yearly-report status`
 * reads (current pointers, newest uploads, the lock and its exceptions) plus
 * the office's reviews:
 *  1. read the four record kinds of the year at once;
 *  2. per unit, pick its pointer, newest upload and newest review;
 *  3. derive the state (core/portal/status.ts) and lateness against the deadline.
 */
export interface UnitStatusRow {
  unitId: string;
  unitName: string;
  kind: Unit['kind'];
  optional: boolean;
  /** The submission's own state (never 'locked'). */
  state: Exclude<UnitState, 'locked'>;
  stateLabel: string;
  /** The year is locked and this unit has no exception. */
  lockedForUnit: boolean;
  exception: boolean;
  late: boolean;
  lastUpload?: string;
  rows?: number;
  problems?: number;
  current?: CurrentPointer;
  latest?: VersionRecord;
  review?: ReviewRecord;
}

export interface YearStatus {
  year: number;
  deadline: string;
  lock?: { at: string; by: string; reason?: string };
  units: UnitStatusRow[];
}

export async function yearStatus(year: number, deps: { county: LoadedCounty; repo: SubmissionRepository; portal: PortalStore }): Promise<YearStatus> {
  const { config } = deps.county;
  const [current, latest, lock, exceptions, reviews] = await Promise.all([
    deps.repo.listCurrent(year),
    deps.repo.listLatest(year),
    deps.repo.getLock(year),
    deps.repo.listLockExceptions(year),
    deps.portal.listReviews(year),
  ]);
  const deadline = deadlineInstant(year, config.collection.deadline, config.timeZone);
  const units = config.units.map((unit): UnitStatusRow => {
    const cur = current.find((c) => c.unitId === unit.id);
    const last = latest.find((l) => l.unitId === unit.id);
    const review = reviews.filter((r) => r.unitId === unit.id).at(-1);
    const exception = exceptions.includes(unit.id);
    const state = submissionState({ current: cur, latest: last, review });
    return {
      unitId: unit.id,
      unitName: unit.name,
      kind: unit.kind,
      optional: unit.optional,
      state,
      stateLabel: UNIT_STATE_LABEL[state],
      lockedForUnit: lock !== undefined && !exception,
      exception,
      late: last ? Date.parse(last.receivedAt) > deadline : false,
      lastUpload: last?.receivedAt,
      rows: cur?.rowCount,
      problems: last?.status === 'rejected' ? last.problemCount : undefined,
      current: cur,
      latest: last,
      review,
    };
  });
  return {
    year,
    deadline: chineseDateTime(new Date(deadline - 60_000), config.timeZone).replace(/ .*/, ''),
    lock: lock ? { at: lock.lockedAt, by: lock.lockedBy, reason: lock.reason } : undefined,
    units,
  };
}

/** The state the clerk sees first: 已锁定 when nothing can be uploaded. */
export function clerkState(row: UnitStatusRow): UnitState {
  return unitState({ current: row.current, latest: row.latest, review: row.review, lockedForUnit: row.lockedForUnit });
}
