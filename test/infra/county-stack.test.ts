import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { MAX_RECEIVE_COUNT } from '../../infra/constructs/ingest';
import { STAGE_SETTINGS } from '../../infra/settings';
import { COMMON_ENV } from '../../shared/adapters/environment';
import { AggregateEventSchema } from '../../shared/core/aggregate-event';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { PREFIX, TABLE_DESIGN, physicalNames } from '../../shared/storage/layout';
import { logicalIdAt, synthCounty, synthWithConfig, type SynthesizedCounty } from './synth';

type Resource = { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }; // eslint-style note: CloudFormation JSON is untyped
type Statement = { Effect: string; Action: string | string[]; Resource?: unknown; Principal?: unknown; Condition?: unknown; Sid?: string };

const lingshou = loadCounty(countyDirInRepo('lingshou')).config;
const names = physicalNames('lingshou', 'dev');

let dev: SynthesizedCounty;
let prod: SynthesizedCounty;
beforeAll(() => {
  dev = synthCounty({ stage: 'dev' });
  prod = synthCounty({ stage: 'prod' });
});

const resourcesOf = (template: Template, type: string) => Object.entries(template.findResources(type)) as [string, Resource][];
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOfStatement = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/** Every identity-policy statement in the template: standalone policies and roles' inline policies. */
function identityStatements(template: Template): { policy: string; statement: Statement }[] {
  const out: { policy: string; statement: Statement }[] = [];
  for (const [id, policy] of resourcesOf(template, 'AWS::IAM::Policy')) {
    for (const statement of policy.Properties!.PolicyDocument.Statement as Statement[]) out.push({ policy: id, statement });
  }
  for (const [id, role] of resourcesOf(template, 'AWS::IAM::Role')) {
    for (const inline of (role.Properties!.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]) {
      for (const statement of inline.PolicyDocument.Statement) out.push({ policy: id, statement });
    }
  }
  return out;
}

/** The statements of the default policy attached to the role at this construct path. */
function statementsOfRole(s: SynthesizedCounty, ...path: string[]): Statement[] {
  const roleId = logicalIdAt(s.stack, s.template, 'AWS::IAM::Role', ...path);
  const policies = resourcesOf(s.template, 'AWS::IAM::Policy').filter(([, p]) =>
    (p.Properties!.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })),
  );
  expect(policies).toHaveLength(1);
  return policies[0]![1].Properties!.PolicyDocument.Statement as Statement[];
}

const objectArn = (bucketLogicalId: string, prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketLogicalId, 'Arn'] }, `/${prefix}*`]] });

describe('least privilege', () => {
  const DATA_ACTION = /^(s3|dynamodb|sqs|kms|sns|lambda|logs):/;

  test('no identity policy grants a data-access action on "*" or uses an action wildcard', () => {
    // The CDK's own BucketDeployment function (it copies the portal's static files at deploy time) is the CDK's design, acknowledged in infra/constructs/portal-site.ts.
    const statements = identityStatements(dev.template).filter(({ policy, statement }) => statement.Effect === 'Allow' && !policy.startsWith('CustomCDKBucketDeployment'));
    expect(statements.length).toBeGreaterThan(10);
    const onStar = statements.filter(({ statement }) => resourcesOfStatement(statement).includes('*') && actionsOf(statement).some((a) => DATA_ACTION.test(a)));
    expect(onStar).toEqual([]);
    const wildcardActions = statements.flatMap(({ policy, statement }) => actionsOf(statement).filter((a) => a.includes('*')).map((a) => `${policy}: ${a}`));
    expect(wildcardActions).toEqual([]);
  });

  test('ingest reads only submissions/ and writes only error-reports/ of the submissions bucket', () => {
    const submissions = logicalIdAt(dev.stack, dev.template, 'AWS::S3::Bucket', 'Storage/Submissions');
    const statements = statementsOfRole(dev, 'Ingest/Handler/Role');
    const s3Statements = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3Statements).toEqual([
      expect.objectContaining({ Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: objectArn(submissions, PREFIX.submissions) }),
      expect.objectContaining({ Action: 's3:PutObject', Resource: objectArn(submissions, PREFIX.errorReports) }),
    ]);
    // The reports bucket is out of reach.
    const reports = logicalIdAt(dev.stack, dev.template, 'AWS::S3::Bucket', 'Storage/Reports');
    expect(JSON.stringify(statements)).not.toContain(reports);
  });

  test('aggregate cannot read submitted files and only reads the table', () => {
    const submissions = logicalIdAt(dev.stack, dev.template, 'AWS::S3::Bucket', 'Storage/Submissions');
    const statements = statementsOfRole(dev, 'Aggregation/Handler/Role');
    expect(JSON.stringify(statements)).not.toContain(submissions);
    const dynamo = statements.flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:'));
    expect(dynamo.sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);
  });

  test('table grants name the table and each index, never index/*', () => {
    const table = logicalIdAt(dev.stack, dev.template, 'AWS::DynamoDB::Table', 'Table');
    const statement = statementsOfRole(dev, 'Ingest/Handler/Role').find((s) => actionsOf(s).includes('dynamodb:PutItem'))!;
    expect(statement.Resource).toEqual([
      { 'Fn::GetAtt': [table, 'Arn'] },
      ...TABLE_DESIGN.globalSecondaryIndexes.map((i) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [table, 'Arn'] }, `/index/${i.indexName}`]] })),
    ]);
    expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
  });

  test('KMS use by the functions is limited to the service that needs it', () => {
    for (const path of ['Ingest/Handler/Role', 'Aggregation/Handler/Role']) {
      const kmsStatements = statementsOfRole(dev, path).filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')) && !actionsOf(s).every((a) => a === 'kms:Decrypt'));
      expect(kmsStatements.length).toBeGreaterThan(0);
      for (const s of kmsStatements) expect(s.Condition).toEqual({ StringEquals: { 'kms:ViaService': expect.anything() } });
    }
  });

  test('the scheduler role may only invoke the aggregate function, and only Scheduler of this account assumes it', () => {
    const fn = logicalIdAt(dev.stack, dev.template, 'AWS::Lambda::Function', 'Aggregation/Handler/Function');
    expect(statementsOfRole(dev, 'Aggregation/SchedulerRole')).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [fn, 'Arn'] } },
    ]);
    const roleId = logicalIdAt(dev.stack, dev.template, 'AWS::IAM::Role', 'Aggregation/SchedulerRole');
    expect(dev.template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }),
    ]);
  });

  test('functions do not get the account-wide basic execution policy', () => {
    for (const [, role] of resourcesOf(dev.template, 'AWS::IAM::Role').filter(([id]) => id.startsWith('Ingest') || id.startsWith('Aggregation'))) {
      expect(role.Properties!.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('storage', () => {
  test('the S3 notification sends only submissions/ to the ingest queue, so reports and error reports cannot re-trigger ingest', () => {
    const queue = logicalIdAt(dev.stack, dev.template, 'AWS::SQS::Queue', 'Ingest/Queue/');
    const filter = new Capture();
    dev.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: names.submissionsBucket,
      NotificationConfiguration: {
        QueueConfigurations: [{ Event: 's3:ObjectCreated:*', Queue: { 'Fn::GetAtt': [queue, 'Arn'] }, Filter: filter }],
      },
    });
    expect(filter.asObject()).toEqual({ S3Key: { Rules: [{ Name: 'prefix', Value: PREFIX.submissions }] } });
    const prefix = filter.asObject().S3Key.Rules[0].Value as string;
    for (const key of [`${PREFIX.errorReports}2021/justice_bureau/a.json.v1.errors.json`, `${PREFIX.reports}2021/latest/report.json`]) {
      expect(key.startsWith(prefix)).toBe(false);
    }
    // Only one bucket notifies anything; the reports bucket has no notification at all.
    const notifying = resourcesOf(dev.template, 'AWS::S3::Bucket').filter(([, b]) => b.Properties!.NotificationConfiguration);
    expect(notifying).toHaveLength(1);
  });

  test('S3 may send to the ingest queue only from the submissions bucket of this account, and the bucket waits for that permission', () => {
    const queue = logicalIdAt(dev.stack, dev.template, 'AWS::SQS::Queue', 'Ingest/Queue/');
    dev.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: {
              ArnEquals: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${names.submissionsBucket}`]] } },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          }),
        ]),
      },
    });
    const bucket = logicalIdAt(dev.stack, dev.template, 'AWS::S3::Bucket', 'Storage/Submissions');
    const queuePolicy = logicalIdAt(dev.stack, dev.template, 'AWS::SQS::QueuePolicy', 'Ingest/Queue/Policy');
    expect(dev.template.toJSON().Resources[bucket].DependsOn).toContain(queuePolicy);
  });

  test.each(['submissionsBucket', 'reportsBucket'] as const)('%s: KMS, versioned, private, TLS-only, access-logged', (which) => {
    const bucketName = names[which];
    dev.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: bucketName,
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdAt(dev.stack, dev.template, 'AWS::S3::Bucket', 'Storage/AccessLogs') }, LogFilePrefix: Match.stringLikeRegexp('.+/') },
    });
    const bucketId = Object.entries(dev.template.findResources('AWS::S3::Bucket', { Properties: { BucketName: bucketName } }))[0]![0];
    dev.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test.each(['dev', 'prod'] as const)('%s: noncurrent versions move to cheaper storage and are never deleted before the audit period', (stage) => {
    const s = stage === 'dev' ? dev : prod;
    const audit = STAGE_SETTINGS[stage].auditPeriodDays;
    const rules = new Capture();
    s.template.hasResourceProperties('AWS::S3::Bucket', { BucketName: physicalNames('lingshou', stage).submissionsBucket, LifecycleConfiguration: { Rules: rules } });
    const [rule] = rules.asArray() as { NoncurrentVersionExpiration: { NoncurrentDays: number }; NoncurrentVersionTransitions: { StorageClass: string; TransitionInDays: number }[]; ExpirationInDays?: number }[];
    expect(rule!.ExpirationInDays).toBeUndefined();
    expect(rule!.NoncurrentVersionExpiration.NoncurrentDays).toBeGreaterThanOrEqual(audit);
    expect(rule!.NoncurrentVersionTransitions.length).toBeGreaterThan(0);
    expect(rule!.NoncurrentVersionTransitions[0]!.StorageClass).toBe('STANDARD_IA');
    for (const t of rule!.NoncurrentVersionTransitions) expect(t.TransitionInDays).toBeLessThan(audit);
  });

  test('reports can be read only by the county office role (and the aggregate function, for last year; the portal, for downloads)', () => {
    const office = logicalIdAt(dev.stack, dev.template, 'AWS::IAM::Role', 'CountyOfficeRole');
    const aggregate = logicalIdAt(dev.stack, dev.template, 'AWS::IAM::Role', 'Aggregation/Handler/Role');
    const portal = logicalIdAt(dev.stack, dev.template, 'AWS::IAM::Role', 'Portal/Api/Handler/Role');
    const reports = logicalIdAt(dev.stack, dev.template, 'AWS::S3::Bucket', 'Storage/Reports');
    dev.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: reports },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'OnlyNamedRolesReadReports',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: ['s3:GetObject', 's3:GetObjectVersion'],
            Resource: objectArn(reports, ''),
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': [{ 'Fn::GetAtt': [office, 'Arn'] }, { 'Fn::GetAtt': [aggregate, 'Arn'] }, { 'Fn::GetAtt': [portal, 'Arn'] }] } },
          },
        ]),
      },
    });
    expect(statementsOfRole(dev, 'CountyOfficeRole')).toEqual(
      expect.arrayContaining([expect.objectContaining({ Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: objectArn(reports, PREFIX.reports) })]),
    );
  });

  test('the county office role runs `aggregate` end to end: invokes the aggregate function, lists and downloads the reports, decrypts them through S3', () => {
    const aggregateFn = logicalIdAt(dev.stack, dev.template, 'AWS::Lambda::Function', 'Aggregation/Handler/Function');
    const reports = logicalIdAt(dev.stack, dev.template, 'AWS::S3::Bucket', 'Storage/Reports');
    const key = logicalIdAt(dev.stack, dev.template, 'AWS::KMS::Key', 'Key');
    const statements = statementsOfRole(dev, 'CountyOfficeRole');
    // What cli/aws-aggregate.ts and shared/adapters/s3-download.ts call, each allowed by one statement.
    const allows = (action: string, resource: unknown) =>
      statements.some((s) => s.Effect === 'Allow' && actionsOf(s).includes(action) && resourcesOfStatement(s).some((r) => JSON.stringify(r) === JSON.stringify(resource)));
    expect(allows('lambda:InvokeFunction', { 'Fn::GetAtt': [aggregateFn, 'Arn'] })).toBe(true);
    expect(allows('s3:ListBucket', { 'Fn::GetAtt': [reports, 'Arn'] })).toBe(true);
    expect(allows('s3:GetObject', objectArn(reports, PREFIX.reports))).toBe(true);
    expect(allows('kms:Decrypt', { 'Fn::GetAtt': [key, 'Arn'] })).toBe(true);
    // …and the reports bucket's deny-all-but-named-readers names the role, so the download is not denied.
    const bucketPolicy = Object.values(dev.template.findResources('AWS::S3::BucketPolicy')).find((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: reports }))!;
    const deny = (bucketPolicy.Properties.PolicyDocument.Statement as Statement[]).find((s) => s.Sid === 'OnlyNamedRolesReadReports')!;
    expect(JSON.stringify(deny.Condition)).toContain(logicalIdAt(dev.stack, dev.template, 'AWS::IAM::Role', 'CountyOfficeRole'));
    // The role may invoke nothing else.
    const invokes = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')));
    expect(invokes.flatMap(resourcesOfStatement)).toEqual([{ 'Fn::GetAtt': [aggregateFn, 'Arn'] }]);
  });
});

describe('table', () => {
  test('keys, index and TTL are exactly TABLE_DESIGN', () => {
    const design = TABLE_DESIGN;
    const allKeys = [design.partitionKey, design.sortKey, ...design.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: names.table,
      KeySchema: [
        { AttributeName: design.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: design.sortKey.name, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayEquals(allKeys.map((k) => ({ AttributeName: k.name, AttributeType: k.type }))),
      GlobalSecondaryIndexes: design.globalSecondaryIndexes.map((i) => ({
        IndexName: i.indexName,
        KeySchema: [
          { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: { AttributeName: design.timeToLiveAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
    });
  });
});

describe('stage', () => {
  test('prod keeps every stateful resource and protects the table', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::Logs::LogGroup']) {
      const resources = resourcesOf(prod.template, type);
      expect(resources.length).toBeGreaterThan(0);
      for (const [, r] of resources) {
        expect(r.DeletionPolicy).toBe('Retain');
        expect(r.UpdateReplacePolicy).toBe('Retain');
      }
    }
    prod.template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    expect(prod.template.findResources('Custom::S3AutoDeleteObjects')).toEqual({});
    expect(prod.stack.terminationProtection).toBe(true);
  });

  test('dev can be torn down: stateful resources are deleted with the stack, buckets emptied first', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::Logs::LogGroup']) {
      for (const [, r] of resourcesOf(dev.template, type)) expect(r.DeletionPolicy).toBe('Delete');
    }
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
    // Submissions, reports, access logs, and the portal's site bucket.
    expect(Object.keys(dev.template.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(4);
    expect(dev.stack.terminationProtection).toBe(false);
  });

  test('the county and stage are in every physical name', () => {
    const json = prod.template.toJSON();
    const named: string[] = [];
    const nameProps = ['BucketName', 'TableName', 'FunctionName', 'QueueName', 'TopicName', 'AlarmName', 'RoleName', 'LogGroupName', 'Name', 'AliasName'];
    for (const r of Object.values(json.Resources) as Resource[]) {
      for (const p of nameProps) if (typeof r.Properties?.[p] === 'string') named.push(r.Properties[p]);
    }
    expect(named.length).toBeGreaterThanOrEqual(15);
    for (const name of named) expect(name).toContain('lingshou-prod');
  });
});

describe('ingest', () => {
  test('the queue sends a message to the DLQ after a bounded number of receives, both encrypted and TLS-only', () => {
    const dlq = logicalIdAt(dev.stack, dev.template, 'AWS::SQS::Queue', 'Ingest/DeadLetterQueue');
    dev.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'yearly-report-lingshou-dev-ingest',
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: MAX_RECEIVE_COUNT },
      KmsMasterKeyId: Match.anyValue(),
    });
    expect(MAX_RECEIVE_COUNT).toBeGreaterThanOrEqual(2);
    expect(MAX_RECEIVE_COUNT).toBeLessThanOrEqual(10);
    const queues = resourcesOf(dev.template, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(2);
    for (const [id, queue] of queues) {
      expect(queue.Properties!.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [logicalIdAt(dev.stack, dev.template, 'AWS::KMS::Key', 'Key'), 'Arn'] });
      dev.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
  });

  test('the ingest function consumes the queue and reports partial batch failures', () => {
    const queue = logicalIdAt(dev.stack, dev.template, 'AWS::SQS::Queue', 'Ingest/Queue/');
    const fn = logicalIdAt(dev.stack, dev.template, 'AWS::Lambda::Function', 'Ingest/Handler/Function');
    dev.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      FunctionName: { Ref: fn },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('visibility timeout leaves room for the function to finish (6x its timeout)', () => {
    const timeout = new Capture();
    dev.template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'yearly-report-lingshou-dev-ingest', Timeout: timeout });
    dev.template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'yearly-report-lingshou-dev-ingest', VisibilityTimeout: timeout.asNumber() * 6 });
  });
});

describe('functions', () => {
  test.each(['ingest', 'aggregate', 'upload-api'])('%s: nodejs22.x on arm64, its own log group, the environment the handler reads', (role) => {
    const env = new Capture();
    dev.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `yearly-report-lingshou-dev-${role}`,
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      LoggingConfig: { LogGroup: Match.anyValue() },
      Environment: { Variables: env },
    });
    const variables = env.asObject();
    // Every function gets the common variables; only aggregate writes the reports bucket.
    const expected = [...Object.keys(COMMON_ENV), 'POWERTOOLS_METRICS_NAMESPACE', 'LOG_LEVEL'];
    for (const name of expected) expect(variables).toHaveProperty(name);
    // Each function is told only the buckets it uses.
    if (role === 'aggregate') expect(variables).toHaveProperty('REPORTS_BUCKET');
    else expect(variables).not.toHaveProperty('REPORTS_BUCKET');
    if (role === 'aggregate') expect(variables).not.toHaveProperty('SUBMISSIONS_BUCKET');
    else expect(variables).toHaveProperty('SUBMISSIONS_BUCKET');
    expect(variables.COUNTY_ID).toBe('lingshou');
    expect(variables.COUNTY_CONFIG_DIR).toBe('/var/task/county');
    expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
    dev.template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/lambda/yearly-report-lingshou-dev-${role}`, RetentionInDays: 14 });
  });
});

describe('aggregation schedule', () => {
  test("one schedule per config entry, in the county's time zone, invoking the aggregate function", () => {
    const fn = logicalIdAt(dev.stack, dev.template, 'AWS::Lambda::Function', 'Aggregation/Handler/Function');
    const role = logicalIdAt(dev.stack, dev.template, 'AWS::IAM::Role', 'Aggregation/SchedulerRole');
    const schedules = resourcesOf(dev.template, 'AWS::Scheduler::Schedule').map(([, r]) => r.Properties!);
    expect(schedules.map((s) => s.ScheduleExpression)).toEqual(lingshou.collection.schedules.map((s) => s.expression));
    expect(lingshou.timeZone).toBe('Asia/Shanghai');
    for (const schedule of schedules) {
      expect(schedule.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
      expect(schedule.GroupName).toBe('yearly-report-lingshou-dev');
      expect(schedule.Target.Arn).toEqual({ 'Fn::GetAtt': [fn, 'Arn'] });
      expect(schedule.Target.RoleArn).toEqual({ 'Fn::GetAtt': [role, 'Arn'] });
      const input = AggregateEventSchema.parse(JSON.parse(schedule.Target.Input));
      expect(input).toMatchObject({ trigger: 'schedule', county: 'lingshou' });
    }
  });

  test('a county with a different time zone gets it', () => {
    const county = { ...lingshou, timeZone: 'Asia/Urumqi', collection: { ...lingshou.collection, schedules: [{ expression: 'cron(0 20 * 12 ? *)' }] } };
    const other = synthWithConfig(county);
    other.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 20 * 12 ? *)', ScheduleExpressionTimezone: 'Asia/Urumqi' });
    other.resourceCountIs('AWS::Scheduler::Schedule', 1);
  });
});

describe('monitoring', () => {
  test('alarms on DLQ depth, errors and throttles of each function, and a missed aggregation, all to the county topic', () => {
    const topic = logicalIdAt(dev.stack, dev.template, 'AWS::SNS::Topic', 'Monitoring/AlarmTopic');
    dev.template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'yearly-report-lingshou-dev-alarms', KmsMasterKeyId: Match.anyValue() });
    const dlq = logicalIdAt(dev.stack, dev.template, 'AWS::SQS::Queue', 'Ingest/DeadLetterQueue');
    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    // Every function of the stack, the portal's included (the CDK's own deploy-time helpers aside).
    for (const path of ['Ingest', 'Aggregation', 'UploadAccess', 'Portal/Api']) {
      const fn = logicalIdAt(dev.stack, dev.template, 'AWS::Lambda::Function', `${path}/Handler/Function`);
      for (const metric of ['Errors', 'Throttles']) {
        dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }], Threshold: 1 });
      }
    }
    const missed = new Capture();
    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'yearly-report-lingshou-dev-aggregation-missed', Metrics: missed });
    const metrics = missed.asArray() as { Id: string; Expression?: string; MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: unknown }[] }; Period: number } }[];
    expect(metrics.find((m) => m.Expression)!.Expression).toContain('attempts');
    const attempts = metrics.find((m) => m.Id === 'attempts')!.MetricStat!;
    expect(attempts.Metric).toEqual({ Namespace: 'AWS/Scheduler', MetricName: 'InvocationAttemptCount', Dimensions: [{ Name: 'ScheduleGroup', Value: 'yearly-report-lingshou-dev' }] });
    expect(attempts.Period).toBe(86400);
    expect(metrics.find((m) => m.Id === 'invocations')!.MetricStat!.Metric.MetricName).toBe('Invocations');

    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'yearly-report-lingshou-dev-ingest-permanent-failures',
      Namespace: 'YearlyReport',
      MetricName: 'PermanentFailures',
      Dimensions: [{ Name: 'county', Value: 'lingshou' }, { Name: 'service', Value: 'yearly-report-ingest' }],
      Threshold: 1,
    });

    const alarms = resourcesOf(dev.template, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(7);
    for (const [, alarm] of alarms) expect(alarm.Properties!.AlarmActions).toEqual([{ Ref: topic }]);
  });

  test("CloudWatch may publish to the encrypted topic and use its key, for this county's alarms only", () => {
    const topic = logicalIdAt(dev.stack, dev.template, 'AWS::SNS::Topic', 'Monitoring/AlarmTopic');
    const condition = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:yearly-report-lingshou-dev-*']] } },
    };
    dev.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: condition })]) },
    });
    dev.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Condition: condition })]) },
    });
    for (const [, alarm] of resourcesOf(dev.template, 'AWS::CloudWatch::Alarm')) expect(alarm.Properties!.AlarmName).toMatch(/^yearly-report-lingshou-dev-/);
  });

  test("the config's alarm e-mails subscribe to the county topic", () => {
    const template = synthWithConfig({ ...lingshou, alarmEmails: ['fzb@example.gov.cn', 'sfj@example.gov.cn'] });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'sfj@example.gov.cn' });
    dev.template.resourceCountIs('AWS::SNS::Subscription', lingshou.alarmEmails.length);
  });
});

describe('upload access', () => {
  test('POST /uploads and GET /uploads/outcome on the $default stage run the upload-api function, throttled and access-logged', () => {
    const fn = logicalIdAt(dev.stack, dev.template, 'AWS::Lambda::Function', 'UploadAccess/Handler/Function');
    const api = logicalIdAt(dev.stack, dev.template, 'AWS::ApiGatewayV2::Api', 'UploadAccess/Api');
    const routes = resourcesOf(dev.template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!).filter((r) => JSON.stringify(r.ApiId) === JSON.stringify({ Ref: api }));
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(['GET /uploads/outcome', 'POST /uploads']);
    for (const route of routes) {
      expect(route.ApiId).toEqual({ Ref: api });
      const integrationId = (route.Target['Fn::Join'] as [string, unknown[]])[1][1] as { Ref: string };
      expect(dev.template.toJSON().Resources[integrationId.Ref].Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': [fn, 'Arn'] } });
    }
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: api },
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logicalIdAt(dev.stack, dev.template, 'AWS::Logs::LogGroup', 'UploadAccess/AccessLogs'), 'Arn'] }, Format: Match.anyValue() },
    });
  });

  test('the upload API may sign uploads under submissions/, read error reports, tokens, locks and outcomes, record its grants, nothing more', () => {
    const submissions = logicalIdAt(dev.stack, dev.template, 'AWS::S3::Bucket', 'Storage/Submissions');
    const statements = statementsOfRole(dev, 'UploadAccess/Handler/Role');
    const s3Statements = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3Statements).toEqual([
      expect.objectContaining({ Action: 's3:PutObject', Resource: objectArn(submissions, PREFIX.submissions) }),
      expect.objectContaining({ Action: 's3:GetObject', Resource: objectArn(submissions, PREFIX.errorReports) }),
    ]);
    // PutItem only for the record of each grant it signs (the LeadingKeys test below).
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
  });
});

describe('outputs a county office needs', () => {
  test('bucket, upload API URL, reports location, office role', () => {
    dev.template.hasOutput('UploadApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    dev.template.hasOutput('SubmissionsBucketName', { Value: { Ref: logicalIdAt(dev.stack, dev.template, 'AWS::S3::Bucket', 'Storage/Submissions') } });
    dev.template.hasOutput('ReportsLocation', { Value: `s3://${names.reportsBucket}/${PREFIX.reports}` });
    dev.template.hasOutput('CountyOfficeRoleArn', { Value: { 'Fn::GetAtt': [logicalIdAt(dev.stack, dev.template, 'AWS::IAM::Role', 'CountyOfficeRole'), 'Arn'] } });
  });
});

describe('issue 14: narrower permissions', () => {
  test('every key-policy statement for an AWS service is conditioned on aws:SourceAccount and aws:SourceArn', () => {
    for (const s of [dev, prod]) {
      const statements = resourcesOf(s.template, 'AWS::KMS::Key').flatMap(([, key]) => key.Properties!.KeyPolicy.Statement as Statement[]);
      const forServices = statements.filter((st) => JSON.stringify(st.Principal ?? '').includes('"Service"'));
      expect(forServices.length).toBeGreaterThanOrEqual(2);
      for (const st of forServices) {
        const condition = JSON.stringify(st.Condition ?? {});
        expect({ sid: st.Sid, account: condition.includes('aws:SourceAccount'), arn: condition.includes('aws:SourceArn') }).toEqual({ sid: st.Sid, account: true, arn: true });
      }
    }
  });

  test("the upload function reads only token, lock/latest and outcome partitions (dynamodb:LeadingKeys), never a submission's rows, and writes only upload grants", () => {
    const dynamo = statementsOfRole(dev, 'UploadAccess', 'Handler').filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toHaveLength(2);
    const [reads, writes] = [dynamo.find((st) => !actionsOf(st).includes('dynamodb:PutItem'))!, dynamo.find((st) => actionsOf(st).includes('dynamodb:PutItem'))!];
    expect(actionsOf(reads).every((a) => ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'].includes(a))).toBe(true);
    expect(reads.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['UPLOADTOKEN#*', 'YEAR#*', 'OBJ#submissions/*'] } });
    expect(actionsOf(writes)).toEqual(['dynamodb:PutItem']);
    expect(writes.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['UPLOADGRANT#*'] } });
    // Ingest (which writes rows) keeps the whole table.
    expect(statementsOfRole(dev, 'Ingest', 'Handler').find((st) => actionsOf(st).includes('dynamodb:PutItem'))!.Condition).toBeUndefined();
  });

  test('the reports bucket denies putting and deleting objects to every principal but the aggregate role', () => {
    const aggregateRole = logicalIdAt(prod.stack, prod.template, 'AWS::IAM::Role', 'Aggregation', 'Handler');
    const bucket = logicalIdAt(prod.stack, prod.template, 'AWS::S3::Bucket', 'Storage', 'Reports');
    const policy = resourcesOf(prod.template, 'AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties!.Bucket) === JSON.stringify({ Ref: bucket }))![1];
    const deny = (policy.Properties!.PolicyDocument.Statement as Statement[]).find((st) => st.Sid === 'OnlyTheAggregateRoleWritesReports')!;
    expect(deny.Effect).toBe('Deny');
    expect(deny.Principal).toEqual({ AWS: '*' });
    expect(actionsOf(deny)).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion']));
    expect(deny.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': [{ 'Fn::GetAtt': [aggregateRole, 'Arn'] }] } });
  });
});
