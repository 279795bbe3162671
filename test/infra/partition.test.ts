import { Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { PORTAL_RESERVED_CONCURRENCY } from '../../infra/constructs/portal-api';
import { choicesForRegion } from '../../infra/partition';
import { ORIGIN_SECRET_HEADER } from '../../functions/portal-api/origin-check';
import { CHINA_CONTEXT, synthInRegion, type RegionalSynth } from './synth';

/**
 * The per-partition choices (infra/partition.ts), asserted on the templates of
 * one county in each kind of region: China (OIDC, OAI, REST API with a
 * regional web ACL, own domain with an IAM certificate), a global region
 * other than us-east-1 (the CloudFront ACL in a us-east-1 companion) and
 * us-east-1 itself (the ACL in the stack).
 */
let china: RegionalSynth;
let hongKong: RegionalSynth;
let virginia: RegionalSynth;
beforeAll(() => {
  china = synthInRegion('lingshou', 'cn-north-1');
  hongKong = synthInRegion('jinping', 'ap-east-1');
  virginia = synthInRegion('qingshan_demo', 'us-east-1');
});

const json = (t: Template) => JSON.stringify(t.toJSON());
const distributionConfig = (t: Template) => Object.values(t.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;

test('the choices per region are made in one place', () => {
  expect(choicesForRegion('cn-north-1')).toMatchObject({ partition: 'aws-cn', cognitoAvailable: false, siteOriginAccess: 'oai', portalWaf: 'regional-on-api', portalApi: 'rest', portalDomainRequired: true, certificateKind: 'iam' });
  expect(choicesForRegion('cn-northwest-1').partition).toBe('aws-cn');
  expect(choicesForRegion('ap-east-1')).toMatchObject({ partition: 'aws', cognitoAvailable: true, siteOriginAccess: 'oac', portalWaf: 'cloudfront-companion', portalApi: 'http', portalDomainRequired: false });
  expect(choicesForRegion('us-east-1').portalWaf).toBe('cloudfront-in-stack');
  expect(choicesForRegion(undefined).portalWaf).toBe('cloudfront-in-stack');
});

describe('China (cn-north-1)', () => {
  test('no Cognito, no origin access control: an origin access identity reads the site bucket', () => {
    for (const type of ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient', 'AWS::Cognito::UserPoolDomain', 'AWS::Cognito::UserPoolGroup', 'AWS::CloudFront::OriginAccessControl']) {
      china.template.resourceCountIs(type, 0);
    }
    china.template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 1);
    expect(distributionConfig(china.template).Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig).S3OriginConfig.OriginAccessIdentity).toBeDefined();
  });

  test('the portal API is a REST API whose stage carries a REGIONAL web ACL; the distribution has none', () => {
    china.template.resourceCountIs('AWS::ApiGatewayV2::Api', 1); // the upload API only
    china.template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    china.template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL' });
    const stage = Object.keys(china.template.findResources('AWS::ApiGateway::Stage'))[0]!;
    const acl = Object.keys(china.template.findResources('AWS::WAFv2::WebACL'))[0]!;
    china.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: { 'Fn::GetAtt': [acl, 'Arn'] },
      ResourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('arn:aws-cn:apigateway:cn-north-1::/restapis/'), `/stages/`, { Ref: stage }])] }),
    });
    expect(distributionConfig(china.template).WebACLId).toBeUndefined();
  });

  test('the portal is served on the ICP-recorded domain with the IAM server certificate, TLS 1.2 and SNI', () => {
    const config = distributionConfig(china.template);
    expect(config.Aliases).toEqual([CHINA_CONTEXT.domain]);
    expect(config.ViewerCertificate).toEqual({ IamCertificateId: CHINA_CONTEXT.certificate, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' });
    expect(config.HttpVersion).toBe('http2');
    expect(JSON.stringify(china.template.findOutputs('PortalUrl'))).toContain(`https://${CHINA_CONTEXT.domain}/`);
  });

  test('service domains and ARNs are those of aws-cn: kms:ViaService, the CSP upload origin, no arn:aws:', () => {
    const text = json(china.template);
    expect(text).not.toMatch(/arn:aws:/);
    expect(text).toContain('"kms:ViaService":"s3.cn-north-1.amazonaws.com.cn"');
    expect(text).toContain('"kms:ViaService":"dynamodb.cn-north-1.amazonaws.com.cn"');
    expect(text).not.toMatch(/"kms:ViaService":"[a-z0-9.-]+\.amazonaws\.com"/);
    const policy = Object.values(china.template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]!;
    const csp = JSON.stringify(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain('https://yearly-report-lingshou-dev-submissions.s3.cn-north-1.amazonaws.com.cn');
  });

  test('the API origin is the REST stage on execute-api.…amazonaws.com.cn', () => {
    const api = distributionConfig(china.template).Origins.find((o: { CustomOriginConfig?: unknown }) => o.CustomOriginConfig);
    expect(JSON.stringify(api.DomainName)).toContain('.execute-api.cn-north-1.amazonaws.com.cn');
    expect(api.OriginPath).toBe('/portal');
  });

  test("the partition's own acknowledgements (OAI, no CloudFront ACL, REST API) give a reason and sit on their resource, and none names arn:aws:", () => {
    const acknowledged: { path: string; id: string; reason: string }[] = [];
    for (const construct of china.stack.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) acknowledged.push({ path: construct.node.path, id, reason });
      }
    }
    const ids = acknowledged.map((a) => a.id.replace(/^[^:]*::/, ''));
    for (const id of ['AwsSolutions-CFR7', 'AwsSolutions-CFR2', 'AwsSolutions-APIG6', 'AwsSolutions-COG4', 'cloudfront_origin_access_control_enabled_check']) expect(ids.some((i) => i.endsWith(id))).toBe(true);
    for (const a of acknowledged) {
      expect(a.path).not.toBe(china.stack.node.path);
      expect(a.reason.length).toBeGreaterThan(40);
      expect(a.id).not.toContain('arn:aws:');
    }
  });
});

describe('a global region other than us-east-1 (ap-east-1)', () => {
  test('the CLOUDFRONT web ACL is in a us-east-1 companion the county stack depends on, and the distribution names it', () => {
    expect(hongKong.edge).toBeDefined();
    expect(hongKong.edge!.region).toBe('us-east-1');
    expect(hongKong.stack.dependencies).toContain(hongKong.edge);
    hongKong.edgeTemplate!.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
    hongKong.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(JSON.stringify(distributionConfig(hongKong.template).WebACLId)).toMatch(/YearlyReport-jinping-dev-edge/);
  });

  test('Cognito where the county chose it, origin access control, the HTTP API', () => {
    hongKong.template.resourceCountIs('AWS::Cognito::UserPool', 1);
    hongKong.template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    hongKong.template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    expect(json(hongKong.template)).toContain('"kms:ViaService":"s3.ap-east-1.amazonaws.com"');
  });
});

describe('us-east-1', () => {
  test('the CLOUDFRONT web ACL sits in the county stack itself, no companion', () => {
    expect(virginia.edge).toBeUndefined();
    virginia.template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
    expect(distributionConfig(virginia.template).WebACLId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PortalWafAcl/), 'Arn'] });
  });
});

describe('in every partition', () => {
  const all = () => [
    ['cn-north-1', china.template],
    ['ap-east-1 (companion)', hongKong.edgeTemplate!],
    ['us-east-1', virginia.template],
  ] as const;

  test('the WAF log and its sampled requests show the Authorization header only as redacted', () => {
    for (const [, template] of all()) {
      template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
        LogDestinationConfigs: [Match.objectLike({ 'Fn::Join': Match.anyValue() })],
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-') });
      // Logging's redactedFields do not apply to sampled requests; the web ACL's data protection does, to both.
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        DataProtectionConfig: { DataProtections: [{ Field: { FieldType: 'SINGLE_HEADER', FieldKeys: ['authorization'] }, Action: 'SUBSTITUTION' }] },
      });
    }
  });

  test('the API refuses what did not come through CloudFront: the distribution sends a Secrets Manager secret the function checks', () => {
    for (const { template } of [china, hongKong, virginia]) {
      const secret = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0]!;
      const reference = { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secret }, ':SecretString:::}}']] };
      const api = distributionConfig(template).Origins.find((o: { CustomOriginConfig?: unknown }) => o.CustomOriginConfig);
      expect(api.OriginCustomHeaders).toEqual([{ HeaderName: ORIGIN_SECRET_HEADER, HeaderValue: reference }]);
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: Match.stringLikeRegexp('-portal-api$'),
        ReservedConcurrentExecutions: PORTAL_RESERVED_CONCURRENCY,
        Environment: { Variables: Match.objectLike({ PORTAL_ORIGIN_SECRET: reference }) },
      });
      template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ PasswordLength: 48 }) });
    }
  });
});

describe('what a partition cannot deploy fails the synth with the fix', () => {
  test('China with Cognito sign-in names officeSignIn and the OpenID provider', () => {
    expect(() => synthInRegion('lingshou', 'cn-northwest-1', { context: { oidcIssuer: undefined, oidcClientId: undefined } })).toThrow(/officeSignIn.*OpenID/);
  });
  test('China without a domain and certificate names ICP recordal', () => {
    expect(() => synthInRegion('lingshou', 'cn-north-1', { context: { domain: undefined, certificate: undefined } })).toThrow(/ICP/);
  });
  test('China with an ACM certificate ARN is told to upload an IAM server certificate', () => {
    expect(() => synthInRegion('lingshou', 'cn-north-1', { context: { certificate: 'arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc' } })).toThrow(/IAM server certificate/);
  });
  test('a global region takes an ACM certificate in us-east-1 for its own domain', () => {
    const synth = synthInRegion('jinping', 'ap-east-1', { context: { domain: 'report.example.org', certificate: 'arn:aws:acm:us-east-1:123456789012:certificate/1234-abcd' } });
    expect(distributionConfig(synth.template).ViewerCertificate).toEqual({ AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/1234-abcd', SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' });
    expect(() => synthInRegion('jinping', 'ap-east-1', { context: { domain: 'report.example.org', certificate: 'ASCAIAMCERT' } })).toThrow(/ACM certificate ARN in us-east-1/);
  });
});
