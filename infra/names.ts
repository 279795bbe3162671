import path from 'node:path';
import { physicalNames } from '../shared/storage/layout';
import type { Stage } from './settings';

/** The repository root: NodejsFunction bundles from here and reads package-lock.json. */
export const REPO_ROOT = path.resolve(__dirname, '..');

/**
 * Names of everything a county stack creates. Buckets and the table come from
 * shared/storage/layout.ts (the local emulators use the same names); the rest
 * share the same `yearly-report-<county>-<stage>` prefix, so several counties
 * and stages can live in one account and a name says whose resource it is.
 */
export function countyNames(countyId: string, stage: Stage) {
  const slug = dnsSafe(countyId);
  const prefix = `yearly-report-${slug}-${stage}`;
  return {
    ...physicalNames(slug, stage),
    prefix,
    stack: `YearlyReport-${slug}-${stage}`,
    function: (role: string) => `${prefix}-${role}`,
    queue: (role: string) => `${prefix}-${role}`,
    alarm: (what: string) => `${prefix}-${what}`,
    alarmTopic: `${prefix}-alarms`,
    scheduleGroup: prefix,
    countyOfficeRole: `${prefix}-county-office`,
  };
}
export type CountyNames = ReturnType<typeof countyNames>;

/**
 * County ids are snake_case (qingshan_demo), but bucket and stack names allow
 * no underscore: AWS names use the id with dashes. The id itself (COUNTY_ID,
 * events, S3 keys) is unchanged.
 */
export function dnsSafe(countyId: string): string {
  return countyId.replace(/_/g, '-');
}
