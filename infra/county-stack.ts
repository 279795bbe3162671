import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { CountyConfig } from '../shared/core/county/schema';
import { PREFIX } from '../shared/storage/layout';
import { Aggregation } from './constructs/aggregation';
import { Ingest } from './constructs/ingest';
import { Monitoring } from './constructs/monitoring';
import { applyControlTowerControls } from './guard';
import { Portal } from './constructs/portal';
import { SubmissionStorage } from './constructs/submission-storage';
import { SubmissionTable } from './constructs/submission-table';
import { UploadAccess } from './constructs/upload-access';
import { acknowledgePrefixGrant } from './nag';
import { countyDeployment, type DeploymentOverrides } from './deploy-target';
import { countyNames } from './names';
import { deploymentChoices } from './partition';
import { STAGE_SETTINGS, type Stage } from './settings';

export interface CountyStackProps extends StackProps {
  county: CountyConfig;
  stage: Stage;
  /** -c domain / certificate / oidcIssuer / oidcClientId, over county.json. */
  overrides?: DeploymentOverrides;
  /** The portal's CLOUDFRONT web ACL from the us-east-1 companion (infra/portal-edge-stack.ts), where the partition puts it there. */
  companionWebAclArn?: string;
}

/**
 * Everything one county needs, in one stack built from its county.json:
 * storage, table, ingest, aggregation on the county's schedules, the county
 * office's read access to reports, and alarms. Stateful resources are kept
 * in prod and destroyable in dev (infra/settings.ts).
 */
export class CountyStack extends Stack {
  readonly storage: SubmissionStorage;
  readonly table: SubmissionTable;
  readonly ingest: Ingest;
  readonly aggregation: Aggregation;
  readonly monitoring: Monitoring;
  readonly uploadAccess: UploadAccess;
  readonly countyOfficeRole: iam.Role;
  readonly portal: Portal;

  constructor(scope: Construct, id: string, props: CountyStackProps) {
    super(scope, id, { ...props, terminationProtection: STAGE_SETTINGS[props.stage].terminationProtection });
    const { county, stage } = props;
    const settings = STAGE_SETTINGS[stage];
    const names = countyNames(county.id, stage);
    // Before any resource: what this partition cannot deploy fails the synth with the fix (deploy-target.ts).
    const deployment = countyDeployment(county, deploymentChoices(this), props.overrides);
    this.tags.setTag('county', county.id);
    this.tags.setTag('stage', stage);
    this.tags.setTag('app', 'yearly-report');

    // One key per county: buckets, table, queues and alarm topic.
    const key = new kms.Key(this, 'Key', {
      alias: `alias/${names.prefix}`,
      description: `yearly-report ${county.id} (${stage}): submissions, reports, table, queues, alarms`,
      enableKeyRotation: true,
      pendingWindow: settings.keyPendingWindow,
      removalPolicy: settings.removalPolicy,
    });

    this.storage = new SubmissionStorage(this, 'Storage', { names, settings, key });
    this.table = new SubmissionTable(this, 'Table', { names, settings, key });
    this.ingest = new Ingest(this, 'Ingest', { countyId: county.id, names, settings, key, storage: this.storage, table: this.table });
    this.aggregation = new Aggregation(this, 'Aggregation', { county, names, settings, key, storage: this.storage, table: this.table });
    this.uploadAccess = new UploadAccess(this, 'UploadAccess', { countyId: county.id, names, settings, key, storage: this.storage, table: this.table });
    this.portal = new Portal(this, 'Portal', { countyId: county.id, names, settings, key, storage: this.storage, table: this.table, aggregate: this.aggregation.handler.function, deployment, companionWebAclArn: props.companionWebAclArn });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      names,
      key,
      alarmEmails: county.alarmEmails,
      deadLetterQueue: this.ingest.deadLetterQueue,
      functions: { ingest: this.ingest.handler, aggregate: this.aggregation.handler, 'upload-api': this.uploadAccess.handler, 'portal-api': this.portal.api.handler },
      aggregate: this.aggregation.handler,
      scheduleGroupName: names.scheduleGroup,
      countyId: county.id,
    });

    // The county office (司法局 / 依法治县办 staff) runs `aggregate` end to end:
    // invokes the function and downloads the reports. Besides the aggregate
    // function (last year's report) and the portal, nobody else can read them.
    this.countyOfficeRole = new iam.Role(this, 'CountyOfficeRole', {
      roleName: names.countyOfficeRole,
      assumedBy: new iam.AccountRootPrincipal(),
      // IAM descriptions are Latin-1 only, so the county id, not its Chinese name.
      description: `County office of ${county.id}: reads the generated reports of ${names.prefix}`,
    });
    this.storage.grantReportsRead(this.countyOfficeRole);
    this.countyOfficeRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'RunAggregation', actions: ['lambda:InvokeFunction'], resources: [this.aggregation.handler.function.functionArn] }),
    );
    this.storage.denyReportReadsExcept([this.countyOfficeRole, this.aggregation.handler.role, this.portal.api.handler.role]);
    this.storage.denyReportWritesExcept([this.aggregation.handler.role]);
    applyControlTowerControls(this, key, { disposable: settings.autoDeleteObjects, logRetentionDays: settings.logRetention });
    acknowledgePrefixGrant(this.countyOfficeRole, this.storage.reportsBucket, PREFIX.reports, 'The county office reads every report under reports/ in its own reports bucket, and nothing else.');

    new CfnOutput(this, 'SubmissionsBucketName', {
      description: `Bucket units upload to, under ${PREFIX.submissions}{year}/{unit}/`,
      value: this.storage.submissionsBucket.bucketName,
    });
    new CfnOutput(this, 'ReportsLocation', {
      description: 'Where report.json / report.md (and the documents) are written, per year',
      value: `s3://${names.reportsBucket}/${PREFIX.reports}`,
    });
    new CfnOutput(this, 'UploadApiUrl', {
      description: 'Units POST /uploads here with their token (yearly-report upload --token)',
      value: this.uploadAccess.url,
    });
    new CfnOutput(this, 'CountyOfficeRoleArn', {
      description: 'Role the county office assumes to read the reports',
      value: this.countyOfficeRole.roleArn,
    });
    new CfnOutput(this, 'AlarmTopicArn', { description: 'Alarm notifications (subscribe more addresses here or in county.json)', value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'TableName', { description: 'Submissions table', value: this.table.table.tableName });

  }
}
