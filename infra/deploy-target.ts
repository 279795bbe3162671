import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { ConfigError } from '../shared/core/errors';
import { REPO_COUNTIES_DIR } from '../shared/core/county/load';
import { StageSchema, type Stage } from './settings';

export interface DeployTarget {
  counties: string[];
  stage: Stage;
  env?: { account?: string; region?: string };
}

const ContextSchema = z.object({
  county: z.string().min(1).optional(),
  stage: StageSchema.default('dev'),
  account: z.string().regex(/^\d{12}$/).optional(),
  region: z.string().min(1).optional(),
});

/** Counties that have a county.json; a folder without one (work in progress) is skipped. */
export function configuredCounties(countiesDir: string = REPO_COUNTIES_DIR): string[] {
  return readdirSync(countiesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(countiesDir, entry.name, 'county.json')))
    .map((entry) => entry.name)
    .sort();
}

/** Reads -c county / stage / account / region, checked with zod. */
export function readDeployTarget(context: (key: string) => unknown, countiesDir: string = REPO_COUNTIES_DIR): DeployTarget {
  const raw = Object.fromEntries(['county', 'stage', 'account', 'region'].map((key) => [key, context(key) ?? undefined]));
  const parsed = ContextSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError('cdk context (-c)', issue.path.join('.'), issue.message);
  }
  const { county, stage, account, region } = parsed.data;
  const available = configuredCounties(countiesDir);
  if (county !== undefined && !available.includes(county)) {
    throw new ConfigError('cdk context (-c)', 'county', `no county "${county}" under shared/counties/ (configured: ${available.join(', ') || 'none'})`);
  }
  return {
    counties: county === undefined ? available : [county],
    stage,
    env: account || region ? { account, region } : undefined,
  };
}
