import { Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { configuredCounties } from '../../infra/deploy-target';
import { StageSchema } from '../../infra/settings';
import { buildCountyApp, synthAndReadControlTowerFindings, testApp } from './synth';

/**
 * The AWS Control Tower proactive controls (issue 14), the second validation
 * plugin beside cdk-nag, as `npx cdk synth` runs them (infra/app.ts): the
 * cfn-guard binary shipped in the package, no network. Zero unacknowledged
 * findings; each acknowledgement is reasoned in infra/guard.ts (and checked
 * for a reason by cdk-nag.test.ts).
 */
const cases = configuredCounties().flatMap((county) => StageSchema.options.map((stage) => [county, stage] as const));

test.each(cases)('Control Tower: %s (%s) has no unacknowledged finding', (countyId, stage) => {
  const { app } = buildCountyApp({ countyId, stage });
  Validations.of(app).addPlugins(new CfnGuardValidator({ controlTowerRulesEnabled: true }));
  expect(synthAndReadControlTowerFindings(app)).toEqual([]);
});

test('the controls do catch a finding in this setup (so the zero above means something)', () => {
  const app = testApp();
  const stack = new Stack(app, 'Careless');
  new s3.Bucket(stack, 'Plain');
  Validations.of(app).addPlugins(new CfnGuardValidator({ controlTowerRulesEnabled: true }));
  expect(() => app.synth()).toThrow(/CT\.S3\.PR\.1/);
});
