import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import type { CountyStack } from './county-stack';

/**
 * AWS Control Tower proactive controls (@cdklabs/cdk-validator-cfnguard), the
 * second validation plugin beside cdk-nag. What can be met is met below (a
 * key that only AWS services get grants on); every remaining finding is acknowledged on the one construct it
 * is about, with the reason.
 */
const acknowledge = (construct: IConstruct, rule: string, reason: string) => Validations.of(construct).acknowledge({ id: `cdk-validator-cfnguard::${rule}`, reason });

export function applyControlTowerControls(stack: CountyStack, key: kms.Key, stage: { disposable: boolean; logRetentionDays: number }): void {
  // CT.KMS.PR.3: grants on the key only for AWS resources made by AWS services (DynamoDB, SQS, S3 create them).
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'GrantsOnlyForAwsServices',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );

  // CT.LAMBDA.PR.2 wants SourceArn or SourceAccount as a literal string; the permission has SourceArn, built with Fn::Join.
  for (const node of stack.uploadAccess.node.findAll()) {
    if (node instanceof lambda.CfnPermission) {
      acknowledge(node, 'lambda_function_public_access_prohibited_check', "The permission lets apigateway.amazonaws.com invoke the function only with SourceArn = this API's execute-api ARN and route (CDK builds it with Fn::Join, as the stack is environment-agnostic); the control only reads literal strings.");
    }
  }

  const { storage, ingest, aggregation, uploadAccess } = stack;
  acknowledge(storage.accessLogsBucket, 's3_bucket_default_encryption_kms_check', 'S3 server access logs cannot be delivered to a bucket encrypted with SSE-KMS; this bucket holds request metadata (keys, requesters), never file contents, with SSE-S3.');
  acknowledge(storage.accessLogsBucket, 's3_bucket_logging_enabled_check', 'This is the access-log bucket itself: logging it into itself would log its own log deliveries without end.');
  acknowledge(storage.accessLogsBucket, 's3_event_notifications_enabled_check', 'Nothing reacts to access-log objects; a notification would have no consumer.');
  acknowledge(storage.reportsBucket, 's3_event_notifications_enabled_check', 'Deliberately none: generated reports must never trigger processing (STYLE rule 5, issue 1); the ingest notification lives on the submissions bucket only.');
  for (const bucket of [storage.accessLogsBucket, storage.submissionsBucket, storage.reportsBucket]) {
    acknowledge(
      bucket,
      's3_bucket_object_lock_enabled_check',
      'Versioning plus lifecycle rules keep every overwritten or deleted object for the audit period, and the reports bucket denies writes to all but the aggregate role. Object Lock can only be set when a bucket is created and would stop a dev stage being torn down; it is a per-county decision, not a default.',
    );
  }
  for (const fn of [ingest.handler, aggregation.handler, uploadAccess.handler]) {
    acknowledge(fn.function, 'lambda_inside_vpc_check', 'The functions reach only AWS service endpoints (S3, DynamoDB, SQS, KMS, CloudWatch) with IAM, and hold no network-reachable resources; a VPC would add NAT or interface endpoints per county without narrowing any access.');
    acknowledge(fn.logGroup, 'cloudwatch_log_group_encrypted_check', 'Log events carry object keys, ids and error messages, never file contents; CloudWatch Logs encrypts them at rest. A customer key would need a logs service statement in the county key policy, tested against a deployment first.');
  }
  acknowledge(uploadAccess.accessLogGroup, 'cloudwatch_log_group_encrypted_check', 'API access logs carry request metadata (route, status, source IP), never file contents; CloudWatch Logs encrypts them at rest.');
  for (const route of uploadAccess.routes) {
    acknowledge(route, 'api_gw_v2_authorization_type_configured_check', "The route is called with a unit's upload token, which the function checks against its salted hash in the table before signing anything; an API Gateway authorizer would be a second, separate copy of that check.");
  }
  if (stage.logRetentionDays < 365) {
    for (const group of [ingest.handler.logGroup, aggregation.handler.logGroup, uploadAccess.handler.logGroup, uploadAccess.accessLogGroup]) {
      acknowledge(group, 'cloudwatch_log_group_retention_period_check', `A disposable stage keeps logs ${stage.logRetentionDays} days (infra/settings.ts); the prod stage keeps them a year, which this control asks for.`);
    }
  }
  if (stage.disposable) {
    // CDK's singleton that empties the buckets when a disposable stage is destroyed (autoDeleteObjects).
    const provider = stack.node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider');
    const handler = provider?.node.tryFindChild('Handler');
    if (handler) acknowledge(handler, 'lambda_inside_vpc_check', "CDK's auto-delete function of a disposable stage empties this stack's buckets on teardown through the S3 API; it has no network-reachable resources to put in a VPC.");
  }
  acknowledge(ingest.deadLetterQueue, 'sqs_dlq_check', 'This is the dead-letter queue of the ingest queue; a message that lands here is alarmed on and redriven by a person, not sent on to a further queue.');
}
