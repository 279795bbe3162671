import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configuredCounties } from '../../infra/deploy-target';
import { StageSchema } from '../../infra/settings';
import { buildCountyApp, testApp } from './synth';

/**
 * cdk-nag 3 is a CDK validation plugin: registered with Validations.of(app),
 * it runs during synth and a finding fails the synth, exactly as in
 * `npx cdk synth`. validateScope lists the findings for a readable failure.
 */
const cases = configuredCounties().flatMap((county) => StageSchema.options.map((stage) => [county, stage] as const));

test('there is at least one county to check', () => {
  expect(cases.length).toBeGreaterThanOrEqual(2);
});

test.each(cases)('AwsSolutions: %s (%s) has no unacknowledged finding', (countyId, stage) => {
  const { app, stack } = buildCountyApp({ countyId, stage });
  const pack = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(pack);
  expect(() => app.synth()).not.toThrow();
  expect(pack.validateScope(stack).violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
});

test('the pack does catch a finding in this setup (so the zero above means something)', () => {
  const app = testApp();
  const stack = new Stack(app, 'Careless');
  new s3.Bucket(stack, 'Plain');
  const pack = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(pack);
  expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  expect(pack.validateScope(stack).violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
});

test('every acknowledgement gives a reason and sits on a resource or policy, never on the stack', () => {
  const { stack } = buildCountyApp({ stage: 'prod' });
  Template.fromStack(stack);
  const acknowledgements: { path: string; id: string; reason: string }[] = [];
  for (const construct of stack.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) acknowledgements.push({ path: construct.node.path, id, reason });
    }
  }
  expect(acknowledgements.length).toBeGreaterThan(0);
  for (const a of acknowledgements) {
    expect(a.path).not.toBe(stack.node.path);
    expect(a.reason.length).toBeGreaterThan(40);
    // Wildcard findings are acknowledged one by one, by the exact resource; the CDK's own BucketDeployment
    // function (deploy-time copy of the portal's static files) has the CDK's action groups, each acknowledged by name.
    // (and the Control Tower VPC control, which it cannot meet: it only calls the S3 API at deploy time).
    if (a.path.includes('Custom::CDKBucketDeployment')) expect(a.id.replace(/^annotation::/i, '')).toMatch(/^(AwsSolutions-(IAM4|IAM5|L1)(\[|$)|cdk-validator-cfnguard::lambda_inside_vpc_check$)/);
    else if (a.id.includes('IAM5')) expect(a.id.replace(/^annotation::/i, '')).toMatch(/^AwsSolutions-IAM5\[Resource::<\w+\.Arn>\/[a-z-]+\/\*\]$/);
  }
});
