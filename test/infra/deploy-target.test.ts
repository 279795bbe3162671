import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configuredCounties, readDeployTarget } from '../../infra/deploy-target';
import { countyNames } from '../../infra/names';
import { ConfigError } from '../../shared/core/errors';
import { physicalNames } from '../../shared/storage/layout';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'counties-'));
  for (const county of ['beta', 'alpha']) {
    mkdirSync(path.join(dir, county));
    writeFileSync(path.join(dir, county, 'county.json'), '{}');
  }
  mkdirSync(path.join(dir, 'draft')); // no county.json yet
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const context = (values: Record<string, string>) => (key: string) => values[key];

test('no -c county: every folder with a county.json, in order; dev by default, environment-agnostic', () => {
  expect(configuredCounties(dir)).toEqual(['alpha', 'beta']);
  expect(readDeployTarget(context({}), dir)).toEqual({ counties: ['alpha', 'beta'], stage: 'dev', env: undefined });
});

test('-c county=… -c stage=prod selects one county in prod; account/region pin the environment', () => {
  expect(readDeployTarget(context({ county: 'beta', stage: 'prod', account: '123456789012', region: 'cn-north-1' }), dir)).toEqual({
    counties: ['beta'],
    stage: 'prod',
    env: { account: '123456789012', region: 'cn-north-1' },
  });
});

test('an unknown county or stage is a ConfigError that names the choices', () => {
  expect(() => readDeployTarget(context({ county: 'gamma' }), dir)).toThrow(ConfigError);
  expect(() => readDeployTarget(context({ county: 'draft' }), dir)).toThrow(/configured: alpha, beta/);
  expect(() => readDeployTarget(context({ stage: 'staging' }), dir)).toThrow(/stage/);
});

test('every name shares the county-and-stage prefix, including the storage names from layout.ts', () => {
  const names = countyNames('lingshou', 'prod');
  for (const name of Object.values(physicalNames('lingshou', 'prod'))) expect(name.startsWith(names.prefix)).toBe(true);
  expect(names.function('ingest')).toBe('yearly-report-lingshou-prod-ingest');
  // The CLI invokes the aggregate function by the name layout.ts gives it.
  expect(names.function('aggregate')).toBe(physicalNames('lingshou', 'prod').aggregateFunction);
  expect(countyNames('lingshou', 'dev').prefix).not.toBe(names.prefix);
});

test('a snake_case county id becomes dashes in AWS names (buckets and stacks allow no underscore)', () => {
  const names = countyNames('qingshan_demo', 'dev');
  expect(names.stack).toBe('YearlyReport-qingshan-demo-dev');
  expect(names.function('aggregate')).toBe(physicalNames('qingshan_demo', 'dev').aggregateFunction);
  for (const bucket of [names.submissionsBucket, names.reportsBucket, names.accessLogsBucket]) expect(bucket).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
});
