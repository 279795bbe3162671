import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { viaService } from '../partition';
import { PREFIX } from '../../shared/storage/layout';
import { acknowledgePrefixGrant } from '../nag';
import type { CountyNames } from '../names';
import type { StageSettings } from '../settings';
import { CountyFunction } from './county-function';
import type { SubmissionStorage } from './submission-storage';
import type { SubmissionTable } from './submission-table';

/** Partition keys the upload API may read (dynamodb:LeadingKeys). */
export const UPLOAD_API_LEADING_KEYS = ['UPLOADTOKEN#*', 'YEAR#*', `OBJ#${PREFIX.submissions}*`] as const;
/** The only partitions the upload API writes: upload grants. */
export const UPLOAD_API_GRANT_KEYS = 'UPLOADGRANT#*';

export interface UploadAccessProps {
  countyId: string;
  names: CountyNames;
  settings: StageSettings;
  key: kms.IKey;
  storage: SubmissionStorage;
  table: SubmissionTable;
}

/**
 * Per-unit upload access: an HTTP API running the upload-api function.
 * POST /uploads authenticates the unit's token (hashed in the table) and
 * signs a POST policy for one key in that unit's folder, one content type and
 * the size limit; S3 enforces the policy. GET /uploads/outcome tells the unit
 * what ingest made of its upload.
 */
export class UploadAccess extends Construct {
  readonly handler: CountyFunction;
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogGroup: logs.LogGroup;
  readonly routes: apigwv2.HttpRoute[];

  constructor(scope: Construct, id: string, props: UploadAccessProps) {
    super(scope, id);
    const { names, settings, storage, key } = props;

    this.handler = new CountyFunction(this, 'Handler', {
      handlerFolder: 'upload-api',
      description: "Signs a unit's upload (presigned POST) after checking its token",
      countyId: props.countyId,
      names,
      settings,
      timeout: Duration.seconds(10),
      memorySize: 512,
    });
    const role = this.handler.role;
    this.handler.setEnvironment('SUBMISSIONS_BUCKET', storage.submissionsBucket.bucketName);
    // A presigned POST acts with the signer's permissions: the unit's upload is
    // allowed by this statement and narrowed by the signed policy.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SignUploadsUnderSubmissions',
        actions: ['s3:PutObject'],
        resources: [storage.submissionsBucket.arnForObjects(`${PREFIX.submissions}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptUploadsThroughS3',
        actions: ['kms:GenerateDataKey'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': viaService(this, 's3') } },
      }),
    );
    // A unit asking what became of its upload gets the readable error report.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadErrorReports',
        actions: ['s3:GetObject'],
        resources: [storage.submissionsBucket.arnForObjects(`${PREFIX.errorReports}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptErrorReportsThroughS3',
        actions: ['kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': viaService(this, 's3') } },
      }),
    );
    // Tokens, year locks and ingest outcomes: reads only.
    // The internet-facing function reads only the items it needs: upload tokens,
    // the year's lock history and latest-upload records, and the outcome of an
    // object version. Never DATA# partitions, where ledgers hold people's names.
    // (Key formats: dynamo-upload-token-store.ts and dynamo-submission-repository.ts.)
    this.handler.useTable(props.table, 'read', UPLOAD_API_LEADING_KEYS);
    // Its one write: the record of each upload grant it signs, which ingest checks (core/upload-access/grant.ts;
    // key format in dynamo-upload-token-store.ts). PutItem only, and only on grant items.
    const [grantItems, tableKey] = props.table.accessStatements('readWrite', [UPLOAD_API_GRANT_KEYS]);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [props.table.table.tableArn], conditions: grantItems!.conditions }));
    role.addToPrincipalPolicy(tableKey!);
    acknowledgePrefixGrant(role, storage.submissionsBucket, PREFIX.submissions, 'The upload API signs uploads for keys under submissions/ only; each signed policy narrows it to one key in one unit folder.');
    acknowledgePrefixGrant(role, storage.submissionsBucket, PREFIX.errorReports, "The upload API reads error reports (under error-reports/) to show a unit why its file was rejected, after checking the key is in the unit's folder.");

    const accessLogs = (this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${names.prefix}-upload-api`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    }));
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: `${names.prefix}-upload-api`,
      description: 'Per-unit upload access: POST /uploads returns a presigned POST',
      createDefaultStage: false,
    });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      // A county has a few dozen units; this leaves room for a deadline-day rush and none for abuse.
      throttle: { rateLimit: 10, burstLimit: 20 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigw.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const integration = new HttpLambdaIntegration('UploadsIntegration', this.handler.function);
    const routes = (this.routes = [
      ...this.api.addRoutes({ path: '/uploads', methods: [apigwv2.HttpMethod.POST], integration }),
      ...this.api.addRoutes({ path: '/uploads/outcome', methods: [apigwv2.HttpMethod.GET], integration }),
    ]);
    for (const route of routes) acknowledgeTokenAuthorization(route);
  }

  get url(): string {
    return this.stage.url;
  }
}

function acknowledgeTokenAuthorization(route: apigwv2.HttpRoute): void {
  const reason =
    'The route authenticates callers itself: the function checks the unit bearer token against its salted hash in the table before signing anything (401 otherwise). Units are county offices without IAM or Cognito identities; a Lambda authorizer would add a second function and a cache that delays revocation.';
  Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason });
}
