import { chineseDateTime as countyDateTime, deadlineInstant } from '../county/time';
import type { UnitState } from './views';

/**
 * A unit's state in the portal, as the clerk and the office read it. Pure:
 * the use cases feed it the pointer, the newest upload, the newest review and
 * the year's lock.
 *
 *   missing   未报送  nothing accepted yet (and nothing rejected)
 *   accepted  已接收  an accepted submission is current
 *   rejected  有错误  the newest upload was rejected (after any accepted one)
 *   returned  已退回  the office returned the current submission for correction
 *   locked    已锁定  the year is closed to this unit (no exception)
 */
export type { UnitState };

export const UNIT_STATE_LABEL: Record<UnitState, string> = {
  missing: '未报送',
  accepted: '已接收',
  rejected: '有错误',
  returned: '已退回',
  locked: '已锁定',
};

export interface ReviewDecision {
  decision: 'pass' | 'return';
  /** Which submission was reviewed: a review of an older one says nothing about a newer upload. */
  versionToken?: string;
  at: string;
}

export interface UnitStateInput {
  current?: { versionToken: string; receivedAt: string };
  latest?: { status: 'accepted' | 'rejected' | 'superseded'; receivedAt: string };
  review?: ReviewDecision;
  /** The year is locked and this unit has no exception. */
  lockedForUnit: boolean;
}

/** The submission's own state, without the lock. */
export function submissionState(input: Omit<UnitStateInput, 'lockedForUnit'>): Exclude<UnitState, 'locked'> {
  const { current, latest, review } = input;
  if (latest?.status === 'rejected' && (!current || latest.receivedAt > current.receivedAt)) return 'rejected';
  if (!current) return 'missing';
  if (review?.decision === 'return' && review.versionToken === current.versionToken) return 'returned';
  return 'accepted';
}

/** What the clerk's page shows first: a locked year wins, since nothing can be uploaded. */
export function unitState(input: UnitStateInput): UnitState {
  return input.lockedForUnit ? 'locked' : submissionState(input);
}

/**
 * Whole days from now until the end of the deadline day, in the county's
 * time zone: 0 on the deadline day itself, negative once it has passed.
 */
export function daysLeft(year: number, deadline: string, timeZone: string, now: Date): number {
  const end = deadlineInstant(year, deadline, timeZone);
  return Math.ceil((end - now.getTime()) / 86_400_000) - 1;
}

/** "2022年1月9日 10:00" in the county's time zone: how the portal shows a time. */
export function chineseDateTime(iso: string | Date, timeZone: string): string {
  return countyDateTime(typeof iso === 'string' ? new Date(iso) : iso, timeZone);
}
