import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { OFFICE_GROUPS } from '../../functions/portal-api/office-auth';
import type { CountyNames } from '../names';

export interface OfficeUserPoolProps {
  names: CountyNames;
  removalPolicy: RemovalPolicy;
}

/**
 * The county office's named accounts: a Cognito user pool with two groups,
 * office (acts: review, lock, links, aggregation) and viewer (reads). No
 * self sign-up: an administrator creates each account. The portal signs in
 * through the hosted page and receives an ID token, which the portal API
 * verifies with aws-jwt-verify (functions/portal-api/office-auth.ts).
 */
export class OfficeUserPool extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: OfficeUserPoolProps & { callbackUrl: string }) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Pool', {
      userPoolName: `${props.names.prefix}-office`,
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      standardAttributes: { fullname: { required: true, mutable: true }, email: { required: true, mutable: true } },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: props.removalPolicy === 'retain',
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.userPool.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan (threat protection) costs per active user; a county office has a handful of administrator-created accounts (no self sign-up) with a 12-character password policy and required TOTP MFA, and the portal API is behind the WAF rate limit.',
    });
    Validations.of(this.userPool.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-COG3',
      reason:
        'Threat protection (advanced security) is a paid Plus feature; a county office has a handful of named accounts, all created by an administrator (no self sign-up), with a 12-character password policy and required TOTP MFA.',
    });
    for (const [name, description] of [
      [OFFICE_GROUPS.office, 'County office staff: review, lock, exceptions, unit links, aggregation'],
      [OFFICE_GROUPS.viewer, 'Read-only: status, submissions, reports'],
    ] as const) {
      new cognito.CfnUserPoolGroup(this, `Group-${name}`, { userPoolId: this.userPool.userPoolId, groupName: name, description });
    }
    this.client = this.userPool.addClient('PortalClient', {
      userPoolClientName: `${props.names.prefix}-portal`,
      generateSecret: false,
      authFlows: { userSrp: true },
      // The hosted page returns the ID token in the URL fragment, which the page moves to sessionStorage.
      oAuth: { flows: { implicitCodeGrant: true }, scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE], callbackUrls: [props.callbackUrl] },
      idTokenValidity: Duration.hours(8),
      accessTokenValidity: Duration.hours(8),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.names.prefix } });
  }

  /** The hosted sign-in page, returning to the office page with the ID token in the fragment. */
  signInUrl(callbackUrl: string): string {
    return this.domain.signInUrl(this.client, { redirectUri: callbackUrl, signInPath: '/oauth2/authorize' }).replace('response_type=code', 'response_type=token');
  }
}
