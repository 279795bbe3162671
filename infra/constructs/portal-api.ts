import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { OfficeSignIn } from '../../shared/core/county/schema';
import { PREFIX } from '../../shared/storage/layout';
import { acknowledgePrefixGrant } from '../nag';
import { deploymentChoices, serviceUrlSuffix, viaService } from '../partition';
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

/** Requests per second and burst the API stage lets through (the function's concurrency is capped too, below). */
export const PORTAL_API_RATE_PER_SECOND = 20;
export const PORTAL_API_BURST = 40;
/**
 * Concurrent portal function instances at most: a county has a few dozen units and a handful of office
 * staff; a clerk's outcome long-poll holds one for up to 3 s. Also keeps a flood (direct or through
 * CloudFront) from taking the account's concurrency from ingest and aggregation.
 */
export const PORTAL_RESERVED_CONCURRENCY = 20;
/** The REST stage's name (China); CloudFront's origin path. */
export const PORTAL_REST_STAGE = 'portal';

const SELF_AUTHENTICATING =
  "The function authenticates every request itself before doing anything (401 otherwise): /api/clerk/* with the unit link's bearer token checked against its salted hash, /api/office/* with an ID token (Cognito or the county's OpenID provider) verified by aws-jwt-verify (issuer, audience, signature, expiry, role). /api/sign-in/* is the step before a credential exists: it returns the provider's public sign-in settings and exchanges a one-time code with its PKCE verifier. The routes take different credential kinds, which one API Gateway authorizer cannot express; requests without the distribution's origin secret are refused first.";

export class PortalApi extends Construct {
  readonly handler: CountyFunction;
  /** The HTTP API (global partition) … */
  readonly api?: apigwv2.HttpApi;
  readonly stage?: apigwv2.HttpStage;
  /** … or the REST API (China), whose stage takes the regional web ACL. */
  readonly restApi?: apigw.RestApi;
  readonly accessLogGroup: logs.LogGroup;
  /** The API's host name and the path CloudFront prefixes, for the distribution's origin. */
  readonly domainName: string;
  readonly originPath: string | undefined;
  /** The API's own URL (direct calls are refused without the origin secret). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PortalApiProps) {
    super(scope, id);
    const { names, settings, storage, key } = props;
    this.handler = new CountyFunction(this, 'Handler', {
      handlerFolder: 'portal-api',
      description: 'Portal API: the clerk page (unit link token) and the office dashboard (OpenID Connect ID token)',
      countyId: props.countyId,
      names,
      settings,
      timeout: Duration.seconds(29),
      memorySize: 1024,
      reservedConcurrentExecutions: PORTAL_RESERVED_CONCURRENCY,
    });
    const role = this.handler.role;
    this.handler.setEnvironment('SUBMISSIONS_BUCKET', storage.submissionsBucket.bucketName);
    this.handler.setEnvironment('REPORTS_BUCKET', storage.reportsBucket.bucketName);
    this.handler.setEnvironment('AGGREGATE_FUNCTION_NAME', props.aggregate.functionName);
    // Reviews, locks, exceptions, unit links and their audit entries.
    this.handler.useTable(props.table, 'readWrite');
    const viaS3 = { StringEquals: { 'kms:ViaService': viaService(this, 's3') } };
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'SignUploadsUnderSubmissions', actions: ['s3:PutObject'], resources: [storage.submissionsBucket.arnForObjects(`${PREFIX.submissions}*`)] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadErrorReports', actions: ['s3:GetObject'], resources: [storage.submissionsBucket.arnForObjects(`${PREFIX.errorReports}*`)] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'UseKeyThroughS3', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn], conditions: viaS3 }));
    storage.grantReportsRead(role);
    // "Run aggregation now": this one function, unqualified (no versions or aliases are published).
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'RunAggregation', actions: ['lambda:InvokeFunction'], resources: [props.aggregate.functionArn] }));
    acknowledgePrefixGrant(role, storage.submissionsBucket, PREFIX.submissions, "The portal signs a unit's upload for keys under submissions/ only; each signed policy narrows it to one key in that unit's folder.");
    acknowledgePrefixGrant(role, storage.submissionsBucket, PREFIX.errorReports, "The portal shows a unit its own error reports (under error-reports/), after checking the key is in the unit's folder.");
    acknowledgePrefixGrant(role, storage.reportsBucket, PREFIX.reports, 'The office downloads report.docx, report.html and data.xlsx from reports/ in its own reports bucket.');
    const accessLogs = (this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { logGroupName: `/aws/apigateway/${names.prefix}-portal-api`, retention: settings.logRetention, removalPolicy: settings.removalPolicy }));
    if (deploymentChoices(this).portalApi === 'http') {
      this.api = new apigwv2.HttpApi(this, 'Api', { apiName: `${names.prefix}-portal-api`, description: 'Portal API, reached through the county portal distribution', createDefaultStage: false });
      this.stage = new apigwv2.HttpStage(this, 'Stage', {
        httpApi: this.api,
        stageName: '$default',
        autoDeploy: true,
        throttle: { rateLimit: PORTAL_API_RATE_PER_SECOND, burstLimit: PORTAL_API_BURST },
        accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format: apigw.AccessLogFormat.jsonWithStandardFields() },
      });
      const integration = new HttpLambdaIntegration('PortalIntegration', this.handler.function);
      for (const path of PORTAL_API_ROUTES) {
        for (const route of this.api.addRoutes({ path, methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.POST, apigwv2.HttpMethod.DELETE], integration })) {
          Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: SELF_AUTHENTICATING });
        }
      }
      this.domainName = `${this.api.apiId}.execute-api.${Stack.of(this).region}.${serviceUrlSuffix(this)}`;
      this.originPath = undefined;
      this.url = this.stage.url;
    } else {
      // A REST API, so that the partition's regional web ACL can be associated with its stage (WAF cannot attach to an HTTP API).
      this.restApi = new apigw.RestApi(this, 'RestApi', {
        restApiName: `${names.prefix}-portal-api`,
        description: 'Portal API, reached through the county portal distribution',
        endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
        cloudWatchRole: false,
        deployOptions: {
          stageName: PORTAL_REST_STAGE,
          throttlingRateLimit: PORTAL_API_RATE_PER_SECOND,
          throttlingBurstLimit: PORTAL_API_BURST,
          accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
          accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
          tracingEnabled: true,
        },
      });
      const integration = new apigw.LambdaIntegration(this.handler.function, { proxy: true, scopePermissionToMethod: false });
      const apiRoot = this.restApi.root.addResource('api');
      for (const part of PORTAL_API_ROUTES.map((route) => route.split('/')[2]!)) {
        const proxy = apiRoot.addResource(part).addResource('{proxy+}');
        for (const method of ['GET', 'POST', 'DELETE']) {
          const m = proxy.addMethod(method, integration);
          Validations.of(m).acknowledge({ id: 'AwsSolutions-APIG4', reason: SELF_AUTHENTICATING });
          Validations.of(m).acknowledge({ id: 'AwsSolutions-COG4', reason: `${SELF_AUTHENTICATING} In this partition the office signs in through the county's own OpenID provider, not a Cognito user pool.` });
        }
      }
      const stage = this.restApi.deploymentStage.node.defaultChild!;
      Validations.of(this.restApi).acknowledge({
        id: 'AwsSolutions-APIG2',
        reason: 'The function validates every request body and parameter with zod before acting (one Hono router shared with the local server); an API Gateway model would be a second, drifting copy of those schemas.',
      });
      Validations.of(stage).acknowledge({
        id: 'cdk-validator-cfnguard::api_gw_v1_execution_logging_enabled_check',
        reason: "Execution logging needs an account-wide API Gateway CloudWatch role, which a county stack must not change for the whole account; the stage's access log and the function's structured logs record every request.",
      });
      Validations.of(stage).acknowledge({
        id: 'AwsSolutions-APIG6',
        reason: "Execution logging needs an account-wide API Gateway CloudWatch role, which a county stack must not change for the whole account; the stage's access log and the function's structured logs record every request.",
      });
      this.domainName = `${this.restApi.restApiId}.execute-api.${Stack.of(this).region}.${serviceUrlSuffix(this)}`;
      this.originPath = `/${PORTAL_REST_STAGE}`;
      this.url = this.restApi.url;
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

  /**
   * Where the office signs in at the county's own OpenID provider. county.json holds it, but a deploy may
   * name the provider with -c oidcIssuer/oidcClientId (infra/deploy-target.ts): the function gets what was
   * settled here, not the bundle's county.json alone.
   */
  useOwnProvider(signIn: Extract<OfficeSignIn, { provider: 'oidc' }>): void {
    this.handler.setEnvironment('OFFICE_SIGN_IN', JSON.stringify(signIn));
  }

  /** Only requests carrying the distribution's origin secret are served (functions/portal-api/origin-check.ts). */
  requireOriginSecret(secretValue: string): void {
    this.handler.setEnvironment('PORTAL_ORIGIN_SECRET', secretValue);
  }
}
