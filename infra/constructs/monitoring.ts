import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CountyNames } from '../names';
import { METRICS_NAMESPACE } from '../settings';
import type { CountyFunction } from './county-function';

export interface MonitoringProps {
  names: CountyNames;
  key: kms.IKey;
  alarmEmails: readonly string[];
  deadLetterQueue: sqs.IQueue;
  functions: Record<string, CountyFunction>;
  aggregate: CountyFunction;
  scheduleGroupName: string;
  countyId: string;
}

/**
 * The county's alarm topic (e-mail subscribers from county.json) and the
 * alarms that matter to a county office: a file stuck in the DLQ, a function
 * failing or throttled, and a scheduled aggregation that did not run.
 */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { names, key } = props;

    this.topic = new sns.Topic(this, 'AlarmTopic', {
      topicName: names.alarmTopic,
      displayName: `yearly-report ${names.prefix} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // CloudWatch publishes this county's alarms to the encrypted topic: it needs
    // sns:Publish (the topic has its own policy, for TLS, so no default access
    // applies) and the key, and only for alarms named for this county and stage.
    const stack = Stack.of(this);
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `${names.prefix}-*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    };
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CountyAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOurAlarms,
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CountyAlarmsUseTheTopicKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: fromOurAlarms,
      }),
    );
    for (const email of props.alarmEmails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    const notify = new SnsAction(this.topic);

    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, alarmProps);
      created.addAlarmAction(notify);
      this.alarms.push(created);
      return created;
    };

    alarm('DeadLetterQueueNotEmpty', {
      alarmName: names.alarm('ingest-dlq-not-empty'),
      alarmDescription: 'A submission event failed ingest repeatedly and waits in the dead-letter queue. Inspect it, fix, then redrive.',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // Ingest's own count of records that failed for good (storage refused a file
    // validate accepted, or a permanent error): acknowledged rather than retried,
    // so neither the DLQ nor the Lambda error alarm would see them.
    alarm('IngestPermanentFailures', {
      alarmName: names.alarm('ingest-permanent-failures'),
      alarmDescription: 'Ingest failed permanently on an upload (e.g. DynamoDB refused a file that passed validation). The clerk was told; find the record in the ingest logs ("failed permanently" / "storage refused") and fix the limit.',
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'PermanentFailures',
        // Powertools' dimensions: the service name county-function.ts gives ingest, and the county.
        dimensionsMap: { service: 'yearly-report-ingest', county: props.countyId },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    for (const [role, fn] of Object.entries(props.functions)) {
      alarm(`${pascal(role)}Errors`, {
        alarmName: names.alarm(`${role}-errors`),
        alarmDescription: `The ${role} function failed (an invocation error, not a rejected submission).`,
        metric: fn.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm(`${pascal(role)}Throttles`, {
        alarmName: names.alarm(`${role}-throttles`),
        alarmDescription: `The ${role} function was throttled: the account's concurrency is exhausted.`,
        metric: fn.function.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    // "Did not run when scheduled": on a day Scheduler attempted an invocation
    // (so a run was due), at least one aggregate invocation must have
    // succeeded. Outside the collection season nothing is due and the alarm
    // stays quiet, which a bare "Invocations < 1" could not do.
    const day = Duration.days(1);
    const attempts = new cloudwatch.Metric({
      namespace: 'AWS/Scheduler',
      metricName: 'InvocationAttemptCount',
      dimensionsMap: { ScheduleGroup: props.scheduleGroupName },
      statistic: 'Sum',
      period: day,
    });
    alarm('AggregationMissed', {
      alarmName: names.alarm('aggregation-missed'),
      alarmDescription: 'A scheduled aggregation was due today but no aggregate run succeeded: the draft report is stale.',
      metric: new cloudwatch.MathExpression({
        expression: 'IF(FILL(attempts, 0) > 0 AND FILL(invocations, 0) - FILL(errors, 0) < 1, 1, 0)',
        usingMetrics: {
          attempts,
          invocations: props.aggregate.function.metricInvocations({ period: day, statistic: 'Sum' }),
          errors: props.aggregate.function.metricErrors({ period: day, statistic: 'Sum' }),
        },
        period: day,
        label: 'scheduled aggregation missed',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const schedulerMetric = (metricName: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/Scheduler', metricName, dimensionsMap: { ScheduleGroup: props.scheduleGroupName }, statistic: 'Sum', period: Duration.minutes(15) });
    alarm('SchedulerCannotInvoke', {
      alarmName: names.alarm('scheduler-cannot-invoke'),
      alarmDescription: 'EventBridge Scheduler failed to invoke or dropped an aggregation (permissions, throttling or a deleted function).',
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(targetErrors, 0) + FILL(dropped, 0)',
        usingMetrics: { targetErrors: schedulerMetric('TargetErrorCount'), dropped: schedulerMetric('InvocationDroppedCount') },
        period: Duration.minutes(15),
        label: 'scheduler target errors and dropped invocations',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

const pascal = (s: string) => s.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase());
