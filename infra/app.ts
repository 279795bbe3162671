import { App, Validations } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../shared/core/errors';
import { addCountyStacks } from './county-app';
import { readDeployTarget } from './deploy-target';

/**
 * The CDK app: one stack per county (plus, in a global region other than
 * us-east-1, its us-east-1 companion holding the portal's CloudFront web ACL).
 *   npx cdk synth                                  every county, dev, environment-agnostic (a check)
 *   npx cdk synth -c county=lingshou               one county (dev stage)
 *   npx cdk deploy -c county=lingshou -c stage=prod -c region=cn-north-1 -c account=… -c domain=… -c certificate=…
 * The region decides the partition and with it the portal's design
 * (infra/partition.ts); infra/README.md has every key.
 */
const app = new App();
try {
  addCountyStacks(app, readDeployTarget((key) => app.node.tryGetContext(key), undefined, Object.keys(app.node.getAllContext())));
} catch (error) {
  // A wrong -c key, county or setting is one line with the fix, not a stack trace.
  if (error instanceof ConfigError) {
    console.error(`yearly-report: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

// cdk-nag and the AWS Control Tower proactive controls (cfn-guard, run from the
// binary the package ships: no network) check every synth; a finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator({ controlTowerRulesEnabled: true }));
