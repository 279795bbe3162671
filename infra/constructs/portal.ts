import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { OfficeSignIn } from '../../shared/core/county/schema';
import type { CountyNames } from '../names';
import type { StageSettings } from '../settings';
import { OfficeUserPool } from './office-user-pool';
import { PortalApi } from './portal-api';
import { PortalDistribution, regionalBucketOrigin } from './portal-distribution';
import { PortalSite } from './portal-site';
import { PortalWaf } from './portal-waf';
import type { SubmissionStorage } from './submission-storage';
import type { SubmissionTable } from './submission-table';

export interface PortalProps {
  countyId: string;
  names: CountyNames;
  settings: StageSettings;
  key: kms.IKey;
  storage: SubmissionStorage;
  table: SubmissionTable;
  aggregate: lambda.IFunction;
  /** county.json's officeSignIn: a Cognito user pool made here, or the county's own OpenID provider. */
  officeSignIn: OfficeSignIn;
}

/**
 * The county's browser portal (issue 13), one per stack: the WAF, the static
 * site, the API, the distribution serving both, and the office's user pool,
 * each its own construct; this one wires them and names the URLs.
 */
export class Portal extends Construct {
  readonly waf: PortalWaf;
  readonly site: PortalSite;
  readonly api: PortalApi;
  readonly cdn: PortalDistribution;
  /** Only where the county signs in with Cognito. */
  readonly users?: OfficeUserPool;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    const { names, settings, storage } = props;
    this.waf = new PortalWaf(this, 'Waf', { names });
    this.site = new PortalSite(this, 'Site', { names, settings, accessLogsBucket: storage.accessLogsBucket });
    this.api = new PortalApi(this, 'Api', props);
    this.cdn = new PortalDistribution(this, 'Cdn', {
      names,
      siteBucket: this.site.bucket,
      apiDomainName: this.api.domainName,
      uploadOrigin: regionalBucketOrigin(names.submissionsBucket, this),
      webAclArn: this.waf.webAcl.attrArn,
    });
    const officePage = `${this.cdn.url}/office.html`;
    // The office page asks the API where to sign in (GET /api/sign-in/settings); the API has it from here or from county.json.
    const signIn = props.officeSignIn;
    if (signIn.provider === 'cognito') {
      this.users = new OfficeUserPool(this, 'Users', { names, removalPolicy: settings.removalPolicy, callbackUrl: officePage });
      this.api.useUserPool(this.users.userPool.userPoolId, this.users.client.userPoolClientId, this.users.domainUrl);
    }
    this.site.deploy({ officeSignIn: signIn.provider });

    // The clerk's page POSTs the file straight to the submissions bucket and reads the ETag to ask for the outcome.
    storage.submissionsBucket.addCorsRule({
      allowedOrigins: [this.cdn.url],
      allowedMethods: [s3.HttpMethods.POST],
      allowedHeaders: ['*'],
      exposedHeaders: ['ETag', 'x-amz-version-id'],
      maxAge: Duration.minutes(10).toSeconds(),
    });

    const stack = Stack.of(this);
    new CfnOutput(stack, 'PortalUrl', { description: 'The portal (clerk pages open from unit links created on the office page)', value: `${this.cdn.url}/` });
    new CfnOutput(stack, 'OfficeUrl', { description: "The county office's dashboard (sign in with a user pool account)", value: officePage });
    if (this.users) {
      new CfnOutput(stack, 'OfficeUserPoolId', { description: 'Create office accounts here and add them to the office or viewer group', value: this.users.userPool.userPoolId });
      new CfnOutput(stack, 'OfficeSignInDomain', { description: 'Hosted sign-in domain (code flow with PKCE from the office page)', value: this.users.domainUrl });
    } else {
      new CfnOutput(stack, 'OfficeSignInIssuer', { description: "The county's OpenID provider; register OfficeUrl as the client's redirect and post-logout address", value: signIn.provider === 'oidc' ? signIn.issuer : '' });
    }
    new CfnOutput(stack, 'PortalApiUrl', { description: 'The portal API, also served under /api/ of PortalUrl', value: this.api.stage.url });
  }
}
