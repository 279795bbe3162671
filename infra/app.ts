import { App, Validations } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks } from 'cdk-nag';
import { countyDirInRepo, loadCounty } from '../shared/core/county/load';
import { CountyStack } from './county-stack';
import { countyNames } from './names';
import { readDeployTarget } from './deploy-target';

/**
 * The CDK app: one stack per county.
 *   npx cdk synth                                  every county under shared/counties/
 *   npx cdk synth -c county=lingshou               one county (dev stage)
 *   npx cdk deploy -c county=lingshou -c stage=prod
 * Optional -c account=… -c region=… pin the environment; without them the
 * stacks are environment-agnostic and synthesize with no credentials.
 */
const app = new App();
const target = readDeployTarget((key) => app.node.tryGetContext(key));

for (const countyId of target.counties) {
  const county = loadCounty(countyDirInRepo(countyId)).config;
  const names = countyNames(county.id, target.stage);
  new CountyStack(app, names.stack, {
    stackName: names.stack,
    description: `yearly-report: ${county.name} (${county.id}), ${target.stage}`,
    county,
    stage: target.stage,
    env: target.env,
  });
}

// cdk-nag and the AWS Control Tower proactive controls (cfn-guard, run from the
// binary the package ships: no network) check every synth; a finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator({ controlTowerRulesEnabled: true }));
