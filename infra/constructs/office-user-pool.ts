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
 * self sign-up: an administrator creates each account. The office page signs
 * in through the hosted page with the authorization code flow and PKCE (a
 * public client: no secret, no implicit grant); the portal API exchanges the
 * code and verifies the ID token with aws-jwt-verify
 * (functions/portal-api/office-auth.ts). Only the China regions lack user
 * pools; there the county names its own OpenID provider (county.json
 * officeSignIn) and this construct is not created.
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
      // What the office's staff receive, in Chinese: the invitation with the temporary password, and the verification code.
      userInvitation: {
        emailSubject: '报告汇总系统账号已开通',
        emailBody:
          '您好：<br>县司法局已为您开通报告汇总系统（法治政府建设年度报告）账号。<br>用户名：{username}<br>临时密码：{####}<br>请在3天内登录，按提示设置新密码并绑定身份验证器（动态验证码）。如非本人申请，请忽略本邮件。',
        smsMessage: '报告汇总系统账号已开通。用户名：{username}，临时密码：{####}，请在3天内登录并修改密码。',
      },
      userVerification: {
        emailSubject: '报告汇总系统验证码',
        emailBody: '您的验证码是 {####}，请在页面中输入以完成验证。如非本人操作，请忽略本邮件。',
        emailStyle: cognito.VerificationEmailStyle.CODE,
        smsMessage: '报告汇总系统验证码：{####}',
      },
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
      // Code flow only: the hosted page returns a one-time code (the page holds the PKCE verifier), never a token in an address.
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [props.callbackUrl],
        logoutUrls: [props.callbackUrl],
      },
      // The audit shows the name the administrator gave: a person may not rename themselves (nor change the e-mail that recovers the account).
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ locale: true }),
      idTokenValidity: Duration.hours(8),
      accessTokenValidity: Duration.hours(8),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.names.prefix } });
  }

  /** The hosted sign-in domain (https://<prefix>.auth.<region>.amazoncognito.com): its /oauth2/authorize, /oauth2/token and /logout. */
  get domainUrl(): string {
    return this.domain.baseUrl();
  }
}
