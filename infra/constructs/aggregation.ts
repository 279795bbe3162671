import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { viaService } from '../partition';
import type { AggregateEvent } from '../../shared/core/aggregate-event';
import type { CountyConfig } from '../../shared/core/county/schema';
import { PREFIX } from '../../shared/storage/layout';
import type { CountyNames } from '../names';
import type { StageSettings } from '../settings';
import { acknowledgePrefixGrant } from '../nag';
import { CountyFunction } from './county-function';
import type { SubmissionStorage } from './submission-storage';
import type { SubmissionTable } from './submission-table';

export interface AggregationProps {
  county: CountyConfig;
  names: CountyNames;
  settings: StageSettings;
  key: kms.IKey;
  storage: SubmissionStorage;
  table: SubmissionTable;
}

/**
 * What a schedule sends the aggregate function: the `schedule` variant of
 * shared/core/aggregate-event.ts (no year: the handler derives it from the
 * run time in the county's time zone). Scheduler fills in the
 * <aws.scheduler.schedule-arn> placeholder at run time.
 */
export function scheduledAggregationInput(countyId: string): AggregateEvent {
  return { trigger: 'schedule', county: countyId, schedule: '<aws.scheduler.schedule-arn>' };
}

/**
 * The aggregate Lambda and the county's schedules (collection.schedules from
 * the config, in its time zone) that invoke it. Writes reports to the
 * reports bucket only; reads the year's submissions from the table.
 */
export class Aggregation extends Construct {
  readonly handler: CountyFunction;
  readonly scheduleGroup: scheduler.CfnScheduleGroup;
  readonly schedules: scheduler.CfnSchedule[];
  readonly schedulerRole: iam.Role;

  constructor(scope: Construct, id: string, props: AggregationProps) {
    super(scope, id);
    const { county, names, settings, storage, key } = props;

    this.handler = new CountyFunction(this, 'Handler', {
      handlerFolder: 'aggregate',
      description: "Builds the county's yearly report from the stored submissions",
      countyId: county.id,
      names,
      settings,
      timeout: Duration.minutes(5),
      memorySize: 1024,
    });
    const role = this.handler.role;
    this.handler.setEnvironment('REPORTS_BUCKET', storage.reportsBucket.bucketName);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteReports',
        actions: ['s3:PutObject'],
        resources: [storage.reportsBucket.arnForObjects(`${PREFIX.reports}*`)],
      }),
    );
    // Last year's report.json feeds the year-over-year checks.
    storage.grantReportsRead(role);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptReportsThroughS3',
        actions: ['kms:GenerateDataKey'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': viaService(this, 's3') } },
      }),
    );
    // Read only: the year's current pointers, latest outcomes and submission rows.
    this.handler.useTable(props.table, 'read');
    acknowledgePrefixGrant(role, storage.reportsBucket, PREFIX.reports, "Aggregation writes each run's artifacts and reads last year's report.json, all under reports/ in the reports bucket.");

    this.scheduleGroup = new scheduler.CfnScheduleGroup(this, 'ScheduleGroup', { name: names.scheduleGroup });

    // A role only Scheduler (from this account) can assume, allowed to invoke this one function.
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `${names.prefix}: EventBridge Scheduler invokes the aggregate function`,
    });
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.handler.function.functionArn] }),
    );

    this.schedules = county.collection.schedules.map(
      (schedule, i) =>
        new scheduler.CfnSchedule(this, `Schedule${i}`, {
          groupName: this.scheduleGroup.name,
          description: schedule.description,
          scheduleExpression: schedule.expression,
          scheduleExpressionTimezone: county.timeZone,
          flexibleTimeWindow: { mode: 'OFF' },
          state: 'ENABLED',
          target: {
            arn: this.handler.function.functionArn,
            roleArn: this.schedulerRole.roleArn,
            input: JSON.stringify(scheduledAggregationInput(county.id)),
            retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
          },
        }),
    );
    for (const schedule of this.schedules) schedule.node.addDependency(this.scheduleGroup);
  }
}
