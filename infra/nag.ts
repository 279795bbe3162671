import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag acknowledgements, each on the one construct its finding is about
 * (never on the stack), with the reason in words. cdk-nag 3 reads them from
 * CDK's own `Validations.of(…).acknowledge`.
 */

/**
 * IAM5 flags a `*` in a resource. An object ARN limited to a key prefix
 * (`<bucket>/submissions/*`) is the narrowest grant S3 has for "files under
 * this folder", so it is acknowledged on the role's policy for that exact
 * bucket and prefix, nothing broader.
 */
export function acknowledgePrefixGrant(role: iam.Role, bucket: s3.IBucket, prefix: string, reason: string): void {
  const bucketLogicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement);
  Validations.of(defaultPolicyOf(role)).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${prefix}*]`,
    reason,
  });
}

/** L1 asks for the newest Node.js runtime; the project pins nodejs22.x on purpose. */
export function acknowledgePinnedRuntime(cfnFunction: IConstruct): void {
  Validations.of(cfnFunction).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'nodejs22.x is pinned by the project (issue 2): it is the runtime the handlers and their dependencies (middy 6/7, Powertools 2) are tested for. Moving to a newer runtime is a deliberate, tested change, not a drift.',
  });
}

function defaultPolicyOf(role: iam.Role): IConstruct {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!policy) throw new Error(`${role.node.path} has no policy yet: acknowledge after granting`);
  return policy;
}
