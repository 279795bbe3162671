import { Match, Template } from 'aws-cdk-lib/assertions';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { synthCounty, synthWithConfig } from './synth';

/**
 * The portal in the county stack (issue 13): one construct per concern,
 * each asserted on what matters.
 */
let template: Template;
beforeAll(() => {
  template = synthCounty({ countyId: 'lingshou', stage: 'prod' }).template;
});

test('the site bucket is private, SSL-only and read by CloudFront through origin access control', () => {
  template.hasResourceProperties('AWS::S3::Bucket', {
    BucketName: 'yearly-report-lingshou-prod-portal',
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  });
  template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
  template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' } });
  template.hasResourceProperties('AWS::S3::BucketPolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' }),
      ]),
    },
  });
  template.resourceCountIs('Custom::CDKBucketDeployment', 1);
});

test('the distribution serves pages and /api/* over HTTPS only, behind the WAF, with security headers', () => {
  template.resourceCountIs('AWS::CloudFront::Distribution', 1);
  template.hasResourceProperties('AWS::CloudFront::Distribution', {
    DistributionConfig: Match.objectLike({
      DefaultRootObject: 'index.html',
      WebACLId: { 'Fn::GetAtt': [Match.stringLikeRegexp('PortalWafAcl'), 'Arn'] },
      DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'https-only' }),
      CacheBehaviors: [
        Match.objectLike({
          PathPattern: '/api/*',
          ViewerProtocolPolicy: 'https-only',
          AllowedMethods: Match.arrayWith(['GET', 'POST', 'DELETE']),
          CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
        }),
      ],
      Origins: Match.arrayWith([
        Match.objectLike({ CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] }) }),
      ]),
    }),
  });
  const policy = template.findResources('AWS::CloudFront::ResponseHeadersPolicy');
  const config = Object.values(policy)[0]!.Properties.ResponseHeadersPolicyConfig;
  const csp = JSON.stringify(config.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain('yearly-report-lingshou-prod-submissions.s3.');
  expect(csp).not.toContain('unsafe');
  expect(config.SecurityHeadersConfig).toMatchObject({
    StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Override: true },
    FrameOptions: { FrameOption: 'DENY' },
    ReferrerPolicy: { ReferrerPolicy: 'no-referrer' },
    ContentTypeOptions: { Override: true },
  });
});

test('the WAF limits requests per IP, for CloudFront (environment-agnostic: in the stack)', () => {
  template.hasResourceProperties('AWS::WAFv2::WebACL', {
    Scope: 'CLOUDFRONT',
    DefaultAction: { Allow: {} },
    Rules: Match.arrayWith([
      Match.objectLike({ Name: 'per-ip-rate-limit', Action: { Block: Match.anyValue() }, Statement: { RateBasedStatement: { Limit: 600, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } } }),
    ]),
  });
});

test('the office user pool: no self sign-up, MFA, strong passwords, groups office and viewer, a code + PKCE client back to the office page', () => {
  template.hasResourceProperties('AWS::Cognito::UserPool', {
    UserPoolName: 'yearly-report-lingshou-prod-office',
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    MfaConfiguration: 'ON',
    Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
  });
  for (const group of ['office', 'viewer']) template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group });
  const officePage = [{ 'Fn::Join': ['', Match.arrayWith([Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('PortalCdnDistribution'), 'DomainName'] }), '/office.html'])] }];
  // A public client (no secret: the browser cannot keep one, PKCE stands in for it) with the code flow only.
  template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
    GenerateSecret: false,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthFlowsUserPoolClient: true,
    CallbackURLs: officePage,
    LogoutURLs: officePage,
  });
  const [client] = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
  expect(client!.Properties.AllowedOAuthFlows).not.toContain('implicit');
  // Nobody renames themselves or changes their recovery address: the audit's names are the administrator's.
  expect(client!.Properties.WriteAttributes).toEqual(['locale']);
  template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
});

test("the user pool's invitation and verification messages are Chinese and carry the user name and code", () => {
  const [pool] = Object.values(template.findResources('AWS::Cognito::UserPool'));
  const invite = pool!.Properties.AdminCreateUserConfig.InviteMessageTemplate;
  expect(invite.EmailSubject).toBe('报告汇总系统账号已开通');
  for (const text of [invite.EmailMessage, invite.SMSMessage]) expect(text).toMatch(/[\u4e00-\u9fff].*\{username\}.*\{####\}/s);
  const verify = pool!.Properties.VerificationMessageTemplate;
  expect(verify).toMatchObject({ DefaultEmailOption: 'CONFIRM_WITH_CODE', EmailSubject: '报告汇总系统验证码' });
  expect(verify.EmailMessage).toMatch(/^您的验证码是 \{####\}/);
  // No English text is left for Cognito's defaults to fill in.
  const texts = [invite.EmailMessage, invite.EmailSubject, invite.SMSMessage, verify.EmailMessage, verify.EmailSubject, verify.SmsMessage];
  for (const text of texts) expect(String(text).replace(/\{username\}|<br>/g, '')).not.toMatch(/[A-Za-z]{3,}/);
});

test('a county with its own OpenID provider gets no user pool; the API reads the provider from county.json', () => {
  const county = loadCounty(countyDirInRepo('lingshou')).config;
  const oidc = synthWithConfig({
    ...county,
    officeSignIn: { provider: 'oidc', issuer: 'https://idp.lingshou.gov.cn/realms/county', clientId: 'yearly-report', roleClaim: 'realm_access.roles', officeRoles: ['sfj-office'], viewerRoles: ['sfj-viewer'], nameClaim: 'name', scopes: ['openid', 'profile'] },
  });
  for (const type of ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient', 'AWS::Cognito::UserPoolDomain', 'AWS::Cognito::UserPoolGroup']) oidc.resourceCountIs(type, 0);
  const [fn] = Object.values(oidc.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'yearly-report-lingshou-dev-portal-api' } }));
  expect(Object.keys(fn!.Properties.Environment.Variables)).not.toContain('USER_POOL_ID');
  expect(oidc.findOutputs('OfficeSignInIssuer').OfficeSignInIssuer!.Value).toBe('https://idp.lingshou.gov.cn/realms/county');
  for (const method of ['GET', 'POST']) oidc.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `${method} /api/sign-in/{proxy+}` });
});

test('the API routes go to the portal function, which knows the pool, the buckets and the aggregate function', () => {
  for (const path of ['/api/clerk/{proxy+}', '/api/office/{proxy+}', '/api/sign-in/{proxy+}']) {
    for (const method of ['GET', 'POST', 'DELETE']) template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `${method} ${path}` });
  }
  template.hasResourceProperties('AWS::Lambda::Function', {
    FunctionName: 'yearly-report-lingshou-prod-portal-api',
    Environment: {
      Variables: Match.objectLike({
        USER_POOL_ID: { Ref: Match.stringLikeRegexp('PortalUsersPool') },
        USER_POOL_CLIENT_ID: { Ref: Match.stringLikeRegexp('PortalUsersPoolPortalClient') },
        USER_POOL_DOMAIN_URL: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        AGGREGATE_FUNCTION_NAME: { Ref: Match.stringLikeRegexp('AggregationHandlerFunction') },
        PORTAL_ORIGIN_SECRET: Match.anyValue(),
        SUBMISSIONS_BUCKET: Match.anyValue(),
        REPORTS_BUCKET: Match.anyValue(),
      }),
    },
  });
});

test('the submissions bucket lets the portal origin POST and read the ETag, nothing else', () => {
  template.hasResourceProperties('AWS::S3::Bucket', {
    BucketName: 'yearly-report-lingshou-prod-submissions',
    CorsConfiguration: {
      CorsRules: [
        {
          AllowedMethods: ['POST'],
          AllowedOrigins: [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('PortalCdnDistribution'), 'DomainName'] }]] }],
          AllowedHeaders: ['*'],
          ExposedHeaders: ['ETag', 'x-amz-version-id'],
          MaxAge: 600,
        },
      ],
    },
  });
});

test('the portal function may read reports despite the bucket\'s deny-all-but-named-readers policy', () => {
  const policies = template.findResources('AWS::S3::BucketPolicy');
  const deny = JSON.stringify(Object.values(policies).map((p) => p.Properties.PolicyDocument.Statement).flat().find((s: { Sid?: string }) => s.Sid === 'OnlyNamedRolesReadReports'));
  expect(deny).toMatch(/PortalApiHandlerRole/);
});

test('stack outputs give the portal, office and sign-in URLs', () => {
  const outputs = template.findOutputs('*');
  for (const name of ['PortalUrl', 'OfficeUrl', 'OfficeSignInDomain', 'OfficeUserPoolId', 'PortalApiUrl']) expect(outputs[name]).toBeDefined();
  expect(JSON.stringify(outputs.OfficeSignInDomain!.Value)).toContain('amazoncognito.com');
});
