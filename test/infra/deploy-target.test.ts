import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkCountyForTarget, configuredCounties, readDeployTarget } from '../../infra/deploy-target';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
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
  expect(readDeployTarget(context({}), dir)).toEqual({ counties: ['alpha', 'beta'], stage: 'dev', env: undefined, noAlarmEmails: false });
});

test('-c county=… -c stage=prod selects one county in prod; account/region pin the environment', () => {
  expect(readDeployTarget(context({ county: 'beta', stage: 'prod', account: '123456789012', region: 'cn-north-1', domain: 'report.example.gov.cn', certificate: 'ASCA1' }), dir)).toEqual({
    counties: ['beta'],
    stage: 'prod',
    env: { account: '123456789012', region: 'cn-north-1' },
    portalDomain: { domain: 'report.example.gov.cn', certificate: 'ASCA1' },
    noAlarmEmails: false,
  });
});

test('an unknown county or stage is a ConfigError that names the choices', () => {
  expect(() => readDeployTarget(context({ county: 'gamma' }), dir)).toThrow(ConfigError);
  expect(() => readDeployTarget(context({ county: 'draft' }), dir)).toThrow(/configured: alpha, beta/);
  expect(() => readDeployTarget(context({ stage: 'staging' }), dir)).toThrow(/stage/);
});

test('a wrong county suggests the closest one, in one line', () => {
  expect(() => readDeployTarget(context({ county: 'alpah' }), dir)).toThrow(/did you mean -c county=alpha\?/);
  expect(() => readDeployTarget(context({ county: 'alpah' }), dir)).not.toThrow(/\n/);
});

test('-c keys that look like ours are refused (County, regoin, Domain), CDK\'s own and other libraries\' keys are not', () => {
  expect(() => readDeployTarget(context({ County: 'alpha' }), dir, ['County'])).toThrow(/County: unknown -c key \(did you mean -c county=…\?\)/);
  expect(() => readDeployTarget(context({}), dir, ['regoin'])).toThrow(/did you mean -c region/);
  expect(() => readDeployTarget(context({}), dir, ['Domain'])).toThrow(/did you mean -c domain/);
  expect(() => readDeployTarget(context({}), dir, ['oidcClientID'])).toThrow(/did you mean -c oidcClientId/);
  const cdkOwn = ['cli-telemetry', 'acknowledged-issue-numbers', '@aws-cdk/core:target-partitions', 'aws:cdk:enable-path-metadata', 'availability-zones:account=1:region=cn-north-1', 'county', 'someLibrarySetting'];
  expect(() => readDeployTarget(context({}), dir, cdkOwn)).not.toThrow();
});

test('a prod synth or deploy names its county and its region; it never picks every county', () => {
  expect(() => readDeployTarget(context({ stage: 'prod' }), dir)).toThrow(/names its county/);
  expect(() => readDeployTarget(context({ stage: 'prod', county: 'alpha' }), dir)).toThrow(/names its region/);
});

test('domain and certificate, oidcIssuer and oidcClientId go in pairs', () => {
  expect(() => readDeployTarget(context({ domain: 'a.example.cn' }), dir)).toThrow(/certificate/);
  expect(() => readDeployTarget(context({ oidcIssuer: 'https://idp.example.cn' }), dir)).toThrow(/oidcClientId/);
  expect(() => readDeployTarget(context({ oidcIssuer: 'http://idp.example.cn', oidcClientId: 'x' }), dir)).toThrow(/oidcIssuer/);
});

describe('what a prod deploy refuses for a county', () => {
  const prod = (extra: Record<string, string> = {}) => readDeployTarget(context({ county: 'lingshou', stage: 'prod', region: 'cn-north-1', ...extra }));
  test('the fictional demo county (marked in its county.json) never goes to prod', () => {
    const demo = loadCounty(countyDirInRepo('qingshan_demo')).config;
    expect(demo.fictional).toBe(true);
    expect(() => checkCountyForTarget(demo, prod({ noAlarmEmails: 'true' }))).toThrow(/fictional/);
    expect(() => checkCountyForTarget(demo, readDeployTarget(context({ county: 'qingshan_demo' })))).not.toThrow();
  });
  test('empty alarmEmails is an error in prod unless acknowledged with -c noAlarmEmails=true', () => {
    const lingshou = loadCounty(countyDirInRepo('lingshou')).config;
    expect(lingshou.fictional).toBe(false);
    expect(() => checkCountyForTarget(lingshou, prod())).toThrow(/alarmEmails.*noAlarmEmails=true/);
    expect(() => checkCountyForTarget(lingshou, prod({ noAlarmEmails: 'true' }))).not.toThrow();
    expect(() => checkCountyForTarget({ ...lingshou, alarmEmails: ['office@example.gov.cn'] }, prod())).not.toThrow();
    expect(() => checkCountyForTarget(lingshou, readDeployTarget(context({ county: 'lingshou' })))).not.toThrow();
  });
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
