import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
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
      acknowledge(node, 'lambda_function_public_access_prohibited_check', "The permission lets API Gateway invoke the function only with SourceArn = this API's execute-api ARN and route (CDK builds it with Fn::Join, as the stack is environment-agnostic); the control only reads literal strings.");
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
  acknowledgePortal(stack, stage);
}

/** The browser portal (issue 13): its distribution, site bucket, API and their logs. */
function acknowledgePortal(stack: CountyStack, stage: { disposable: boolean; logRetentionDays: number }): void {
  for (const node of stack.portal.node.findAll()) {
    if (node instanceof apigwv2.CfnRoute) {
      acknowledge(node, 'api_gw_v2_authorization_type_configured_check', 'Every portal route checks a bearer credential in the router itself (a unit-link token against its salted hash, or an office ID token verified with aws-jwt-verify) and answers 401 without one (test/integration/portal-api.test.ts); an API Gateway authorizer would be a second copy of that check for one of the two credentials only.');
    }
    if (node instanceof lambda.CfnPermission) {
      acknowledge(node, 'lambda_function_public_access_prohibited_check', "The permission lets API Gateway invoke the portal function only with SourceArn = this API's execute-api ARN (built with Fn::Join, as the stack is environment-agnostic); the control only reads literal strings.");
    }
    if (node instanceof lambda.CfnFunction) {
      acknowledge(node, 'lambda_inside_vpc_check', 'The portal function reaches only AWS service endpoints (S3, DynamoDB, Lambda, KMS) with IAM and holds no network-reachable resources; a VPC would add NAT or interface endpoints per county without narrowing any access.');
    }
    if (node instanceof logs.CfnLogGroup) {
      acknowledge(node, 'cloudwatch_log_group_encrypted_check', 'Portal logs carry routes, statuses, ids and error messages, never file contents or tokens; CloudWatch Logs encrypts them at rest.');
      if (stage.logRetentionDays < 365) {
        acknowledge(node, 'cloudwatch_log_group_retention_period_check', `A disposable stage keeps logs ${stage.logRetentionDays} days (infra/settings.ts); the prod stage keeps them a year.`);
      }
    }
    if (node instanceof cloudfront.CfnDistribution) {
      acknowledge(node, 'cloudfront_origin_failover_enabled_check', 'One county, one region: the site bucket and the API have no second region to fail over to; the static site is rebuilt from the repository by a deploy.');
      acknowledge(node, 'cloudfront_access_logs_enabled_check', 'Every API call is logged by the API access log and audited in the table with the caller; the static pages hold no data. Standard logs need an ACL-enabled bucket, which the stack avoids.');
      acknowledge(node, 'cloudfront_custom_ssl_certificate_check', "Until a county gives the portal its own domain, it is served on CloudFront's domain with CloudFront's certificate (HTTPS only); a custom domain is a per-county deployment setting.");
      acknowledge(node, 'cloudfront_sni_enabled_check', "Served on CloudFront's default domain and certificate, where SNI is not configurable; with a county's own certificate it is SNI-only.");
      acknowledge(node, 'cloudfront_security_policy_check', "The default CloudFront certificate fixes the viewer security policy; the minimum protocol can be set to TLSv1.2_2021 only with a county's own certificate.");
    }
    if (node instanceof s3.CfnBucket) {
      acknowledge(node, 's3_bucket_default_encryption_kms_check', 'The site bucket holds only the public static pages (HTML, JS, CSS) built from the repository, read by CloudFront through origin access control; SSE-S3 suffices and avoids giving CloudFront the county key.');
      acknowledge(node, 's3_bucket_versioning_enabled_check', 'The site bucket is a copy of the repository build that every deploy replaces whole; the repository is its history.');
      acknowledge(node, 's3_event_notifications_enabled_check', 'Nothing reacts to the static pages; a notification would have no consumer.');
      acknowledge(node, 's3_lifecycle_policy_check', 'The deploy replaces and prunes the site files itself; there is nothing to expire.');
      acknowledge(node, 's3_bucket_object_lock_enabled_check', 'Every deploy must replace the pages; Object Lock would prevent it.');
    }
  }
  // CDK's singleton that copies the site build into the bucket at deploy time (BucketDeployment).
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
      acknowledge(child, 'lambda_inside_vpc_check', "CDK's deployment function copies the portal build into the site bucket through the S3 API at deploy time; it has no network-reachable resources to put in a VPC.");
    }
  }
}

/** The WAF's log group, in the county stack or the us-east-1 companion: request metadata with the Authorization header redacted. */
export function acknowledgeWafLogs(logGroup: IConstruct, logRetentionDays: number): void {
  acknowledge(logGroup, 'cloudwatch_log_group_encrypted_check', 'WAF logs carry request metadata (URI, source IP, matched rules), with the Authorization header redacted and never a file body; CloudWatch Logs encrypts them at rest.');
  if (logRetentionDays < 365) {
    acknowledge(logGroup, 'cloudwatch_log_group_retention_period_check', `A disposable stage keeps logs ${logRetentionDays} days (infra/settings.ts); the prod stage keeps them a year.`);
  }
}
