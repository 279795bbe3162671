import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { viaService } from '../partition';
import { PREFIX } from '../../shared/storage/layout';
import type { CountyNames } from '../names';
import type { StageSettings } from '../settings';

export interface SubmissionStorageProps {
  names: CountyNames;
  settings: StageSettings;
  key: kms.IKey;
}

/**
 * Where files live: the submissions bucket units upload to, the reports
 * bucket the aggregation writes to, and the access-log bucket both log to.
 * Submissions and reports are KMS-encrypted, versioned, never public and
 * TLS-only; an overwritten or deleted file stays recoverable for the audit
 * period (cheaper storage classes, never early expiry).
 */
export class SubmissionStorage extends Construct {
  readonly submissionsBucket: s3.Bucket;
  readonly reportsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  private readonly key: kms.IKey;
  private readonly submissionsBucketName: string;

  constructor(scope: Construct, id: string, props: SubmissionStorageProps) {
    super(scope, id);
    const { names, settings } = props;
    this.key = props.key;
    this.submissionsBucketName = names.submissionsBucket;

    // Server access logs cannot be delivered to an SSE-KMS bucket, so this
    // one uses S3-managed keys; it holds request metadata, not file contents.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      bucketName: names.accessLogsBucket,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: settings.removalPolicy,
      autoDeleteObjects: settings.autoDeleteObjects,
      lifecycleRules: [
        {
          id: 'keep-access-logs-for-the-audit-period',
          transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
          expiration: Duration.days(settings.auditPeriodDays),
          noncurrentVersionExpiration: Duration.days(settings.auditPeriodDays),
        },
      ],
    });

    this.submissionsBucket = this.auditedBucket('Submissions', names.submissionsBucket, settings, 'submissions-bucket/');
    this.reportsBucket = this.auditedBucket('Reports', names.reportsBucket, settings, 'reports-bucket/');
  }

  private auditedBucket(id: string, bucketName: string, settings: StageSettings, logPrefix: string): s3.Bucket {
    return new s3.Bucket(this, id, {
      bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      // One data key per bucket instead of a KMS call per object.
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: logPrefix,
      removalPolicy: settings.removalPolicy,
      autoDeleteObjects: settings.autoDeleteObjects,
      lifecycleRules: [
        {
          id: 'keep-noncurrent-versions-for-the-audit-period',
          noncurrentVersionTransitions: noncurrentTransitions(settings.auditPeriodDays),
          noncurrentVersionExpiration: Duration.days(settings.auditPeriodDays),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
  }

  /**
   * Lets a role list and read the reports (the county office; the aggregate
   * function, which reads last year's report for year-over-year checks).
   */
  grantReportsRead(role: iam.IRole): void {
    const reports = this.reportsBucket;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadReports',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [reports.arnForObjects(`${PREFIX.reports}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListReports',
        actions: ['s3:ListBucket'],
        resources: [reports.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${PREFIX.reports}*`] } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptReportsThroughS3',
        actions: ['kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': viaService(this, 's3') } },
      }),
    );
  }

  /**
   * Only the writer (the aggregate function) may put or delete report
   * objects: a leaked credential with broad S3 rights cannot replace the
   * county's report. The auto-delete custom resource of a disposable stage
   * (autoDeleteObjects) keeps its right to empty the bucket on teardown.
   */
  denyReportWritesExcept(writers: iam.IRole[]): void {
    const allowed = writers.map((role) => role.roleArn);
    const provider = Stack.of(this).node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider') as { roleArn?: string } | undefined;
    if (provider?.roleArn) allowed.push(provider.roleArn);
    this.reportsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheAggregateRoleWritesReports',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectAcl', 's3:PutObjectVersionAcl', 's3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:RestoreObject'],
        resources: [this.reportsBucket.arnForObjects('*')],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': allowed } },
      }),
    );
  }

  /**
   * The bucket policy denies reading reports to every principal but these
   * roles, admins included (they can still change the policy, which
   * CloudTrail records), so an over-broad IAM policy elsewhere in the
   * account cannot expose them.
   */
  denyReportReadsExcept(readers: iam.IRole[]): void {
    this.reportsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyNamedRolesReadReports',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.reportsBucket.arnForObjects('*')],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': readers.map((role) => role.roleArn) } },
      }),
    );
  }

  /**
   * Sends ObjectCreated events for keys under PREFIX.submissions, and only
   * those, to the queue. Written as the bucket's own NotificationConfiguration
   * rather than `addEventNotification`, which would add a custom-resource
   * Lambda allowed to change any bucket's notifications. The queue policy
   * names the bucket by its ARN built from the literal name (bucket.bucketName
   * would be a Ref), so no dependency cycle arises.
   */
  sendSubmissionEventsTo(queue: sqs.Queue): void {
    const bucketArn = Stack.of(this).formatArn({ service: 's3', region: '', account: '', resource: this.submissionsBucketName });
    const policyResult = queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SubmissionsBucketSendsObjectCreated',
        principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': bucketArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        },
      }),
    );
    // S3 encrypts the message with the queue's key, so it needs the key too —
    // for this bucket in this account only (issue 14: unconditioned, any
    // bucket anywhere could have S3 use the county's key). S3 sends the
    // bucket and account with its KMS calls for event notifications, as it
    // does to SQS; an integration check after deploy (README, "Deploy") is an
    // upload whose outcome arrives.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3EncryptsNotificationsForTheIngestQueue',
        principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ArnEquals: { 'aws:SourceArn': bucketArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        },
      }),
    );
    const cfnBucket = this.submissionsBucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.notificationConfiguration = {
      queueConfigurations: [
        {
          event: 's3:ObjectCreated:*',
          queue: queue.queueArn,
          filter: { s3Key: { rules: [{ name: 'prefix', value: PREFIX.submissions }] } },
        },
      ],
    };
    // S3 checks it may write to the queue when the configuration is set.
    if (policyResult.policyDependable) cfnBucket.node.addDependency(policyResult.policyDependable);
  }
}

/**
 * Noncurrent versions go to Infrequent Access after 30 days and Glacier
 * Instant Retrieval (an auditor can still open them at once) after 90,
 * as far as those steps fall inside the audit period.
 */
export function noncurrentTransitions(auditPeriodDays: number): s3.NoncurrentVersionTransition[] {
  const steps = [
    { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
    { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) },
  ];
  return steps.filter((step) => step.transitionAfter.toDays() < auditPeriodDays);
}
