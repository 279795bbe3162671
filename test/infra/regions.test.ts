import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configuredCounties } from '../../infra/deploy-target';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import cdkJson from '../../cdk.json';
import { CHECKED_REGIONS, synthAndReadControlTowerFindings, synthInRegion } from './synth';

/**
 * A county synthesizes in both China regions, Hong Kong and us-east-1 as
 * `npx cdk synth -c county=… -c region=…` does: CDK's CloudFormation
 * validation (resource types the region lacks), cdk-nag and the Control
 * Tower controls at zero unacknowledged findings, then `cfn-lint --regions`
 * at zero errors on every template written (the county's and its us-east-1
 * companion's). `npm test` checks one county per region; .ci/run sets
 * YEARLY_REPORT_EVERY_COUNTY_REGION=1 for every shipped county in every region.
 */
const counties = configuredCounties();
const everyCounty = process.env.YEARLY_REPORT_EVERY_COUNTY_REGION === '1';
const cases = everyCounty
  ? CHECKED_REGIONS.flatMap((region) => counties.map((county) => [county, region] as const))
  : CHECKED_REGIONS.map((region, i) => [counties[i % counties.length]!, region] as const);

let outRoot: string;
beforeAll(() => {
  outRoot = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-regions-'));
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

test.each(cases)('%s in %s: CloudFormation validation, cdk-nag, Control Tower and cfn-lint find nothing', (countyId, region) => {
  const outdir = path.join(outRoot, `${countyId}-${region}`);
  // The fictional county never deploys to prod; the others are checked as prod deploys them.
  const stage = loadCounty(countyDirInRepo(countyId)).config.fictional ? 'dev' : 'prod';
  const { app } = synthInRegion(countyId, region, { stage, validation: true, outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator({ controlTowerRulesEnabled: true }));
  expect(synthAndReadControlTowerFindings(app)).toEqual([]);

  const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
  expect(templates.length).toBe(region === 'ap-east-1' ? 2 : 1);
  for (const template of templates) {
    const lintRegion = template.endsWith('-edge.template.json') ? 'us-east-1' : region;
    const lint = spawnSync('cfn-lint', ['--regions', lintRegion, '--format', 'parseable', '--', path.join(outdir, template)], { encoding: 'utf8' });
    if (lint.error) throw new Error(`cfn-lint could not run (${lint.error.message}): install it with pip install cfn-lint`);
    const errors = lint.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line));
    expect({ template, errors }).toEqual({ template, errors: [] });
    // cfn-lint's exit code is a bit mask: 2 means an error was found.
    expect(lint.status! & 2).toBe(0);
  }
});

test('the CloudFormation validation does catch a resource type the region lacks (so the zero above means something)', () => {
  const { App, Stack } = jest.requireActual<typeof import('aws-cdk-lib')>('aws-cdk-lib');
  const cognito = jest.requireActual<typeof import('aws-cdk-lib/aws-cognito')>('aws-cdk-lib/aws-cognito');
  const app = new App({ context: cdkJson.context, builtinCloudFormationValidation: true, outdir: path.join(outRoot, 'careless') });
  new cognito.CfnUserPool(new Stack(app, 'Careless', { env: { account: '123456789012', region: 'cn-north-1' } }), 'Pool');
  expect(() => app.synth()).toThrow(/AWS::Cognito::UserPool/);
});
