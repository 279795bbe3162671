import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PREFIX } from '../../shared/storage/layout';
import { acknowledgePrefixGrant } from '../nag';
import type { CountyNames } from '../names';
import type { StageSettings } from '../settings';
import { CountyFunction } from './county-function';
import type { SubmissionStorage } from './submission-storage';
import type { SubmissionTable } from './submission-table';

export interface PortalApiProps {
  countyId: string;
  names: CountyNames;
  settings: StageSettings;
  key: kms.IKey;
  storage: SubmissionStorage;
  table: SubmissionTable;
  aggregate: lambda.IFunction;
}

/** The portal's JSON API: the portal-api function (one Hono router) behind an HTTP API, reached through CloudFront at /api/*. */
export const PORTAL_API_ROUTES = ['/api/clerk/{proxy+}', '/api/office/{proxy+}', '/api/sign-in/{proxy+}'] as const;

export class PortalApi extends Construct {
  readonly handler: CountyFunction;
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;

  constructor(scope: Construct, id: string, props: PortalApiProps) {
    super(scope, id);
    const { names, settings, storage, key } = props;
    const region = Stack.of(this).region;
    this.handler = new CountyFunction(this, 'Handler', {
      handlerFolder: 'portal-api',
      description: 'Portal API: the clerk page (unit link token) and the office dashboard (OpenID Connect ID token)',
      countyId: props.countyId,
      names,
      settings,
      timeout: Duration.seconds(29),
      memorySize: 1024,
    });
    const role = this.handler.role;
    this.handler.setEnvironment('SUBMISSIONS_BUCKET', storage.submissionsBucket.bucketName);
    this.handler.setEnvironment('REPORTS_BUCKET', storage.reportsBucket.bucketName);
    this.handler.setEnvironment('AGGREGATE_FUNCTION_NAME', props.aggregate.functionName);
    // Reviews, locks, exceptions, unit links and their audit entries.
    this.handler.useTable(props.table, 'readWrite');
    const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } };
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'SignUploadsUnderSubmissions', actions: ['s3:PutObject'], resources: [storage.submissionsBucket.arnForObjects(`${PREFIX.submissions}*`)] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadErrorReports', actions: ['s3:GetObject'], resources: [storage.submissionsBucket.arnForObjects(`${PREFIX.errorReports}*`)] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'UseKeyThroughS3', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn], conditions: viaS3 }));
    storage.grantReportsRead(role);
    // "Run aggregation now": this one function, unqualified (no versions or aliases are published).
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'RunAggregation', actions: ['lambda:InvokeFunction'], resources: [props.aggregate.functionArn] }));
    acknowledgePrefixGrant(role, storage.submissionsBucket, PREFIX.submissions, "The portal signs a unit's upload for keys under submissions/ only; each signed policy narrows it to one key in that unit's folder.");
    acknowledgePrefixGrant(role, storage.submissionsBucket, PREFIX.errorReports, "The portal shows a unit its own error reports (under error-reports/), after checking the key is in the unit's folder.");
    acknowledgePrefixGrant(role, storage.reportsBucket, PREFIX.reports, 'The office downloads report.docx, report.html and data.xlsx from reports/ in its own reports bucket.');
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { logGroupName: `/aws/apigateway/${names.prefix}-portal-api`, retention: settings.logRetention, removalPolicy: settings.removalPolicy });
    this.api = new apigwv2.HttpApi(this, 'Api', { apiName: `${names.prefix}-portal-api`, description: 'Portal API, reached through the county portal distribution', createDefaultStage: false });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 20, burstLimit: 40 },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format: apigw.AccessLogFormat.jsonWithStandardFields() },
    });
    const integration = new HttpLambdaIntegration('PortalIntegration', this.handler.function);
    for (const path of PORTAL_API_ROUTES) {
      for (const route of this.api.addRoutes({ path, methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.POST, apigwv2.HttpMethod.DELETE], integration })) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            "The function authenticates every request itself before doing anything (401 otherwise): /api/clerk/* with the unit link's bearer token checked against its salted hash, /api/office/* with an ID token (Cognito or the county's OpenID provider) verified by aws-jwt-verify (issuer, audience, signature, expiry, role). /api/sign-in/* is the step before a credential exists: it returns the provider's public sign-in settings and exchanges a one-time code with its PKCE verifier. The routes take different credential kinds, which one HTTP API authorizer cannot express.",
        });
      }
    }
  }

  /**
   * Where the office signs in with Cognito: the user pool, the app client whose
   * ID tokens the function accepts, and the hosted domain it exchanges codes at.
   * (With the county's own OpenID provider the function reads county.json's officeSignIn.)
   */
  useUserPool(userPoolId: string, clientId: string, domainUrl: string): void {
    this.handler.setEnvironment('USER_POOL_ID', userPoolId);
    this.handler.setEnvironment('USER_POOL_CLIENT_ID', clientId);
    this.handler.setEnvironment('USER_POOL_DOMAIN_URL', domainUrl);
  }

  /** The API's host name, for CloudFront's origin. */
  get domainName(): string {
    return `${this.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
  }
}
