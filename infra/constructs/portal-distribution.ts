import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { contentSecurityPolicy, OTHER_SECURITY_HEADERS } from '../../portal/headers';
import { ORIGIN_SECRET_HEADER } from '../../functions/portal-api/origin-check';
import { deploymentChoices, serviceUrlSuffix } from '../partition';
import type { CountyNames } from '../names';

export interface PortalDistributionProps {
  names: CountyNames;
  siteBucket: s3.IBucket;
  /** The portal API's host (execute-api), served under /api/* of the same distribution, and the stage path CloudFront prefixes (REST API). */
  apiDomainName: string;
  apiOriginPath?: string;
  /** Sent to the API as ORIGIN_SECRET_HEADER on every request; the API refuses requests without it. */
  originSecret: string;
  /** The portal's own host name and certificate (required in China: ICP-recorded). */
  portalDomain?: { domain: string; certificate: string };
  /** Where the page POSTs files (the submissions bucket's regional endpoint), for the CSP. */
  uploadOrigin: string;
  /** The CLOUDFRONT-scoped web ACL; none in China, where the regional ACL sits on the API. */
  webAclArn?: string;
}

/**
 * One CloudFront distribution per county: the static pages from the private
 * site bucket through origin access control, and the API under /api/* from
 * the HTTP API, both HTTPS only, both with the same security headers (strict
 * CSP, HSTS, no framing, no referrer), behind the portal's WAF. Same origin
 * for pages and API, so the API sends no CORS headers at all.
 */
export class PortalDistribution extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly headers: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: PortalDistributionProps) {
    super(scope, id);
    const { names } = props;
    const choices = deploymentChoices(this);
    const { 'x-content-type-options': _nosniff, 'x-frame-options': _frame, 'referrer-policy': _referrer, ...custom } = OTHER_SECURITY_HEADERS;
    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: `${names.prefix}-portal-security-headers`,
      comment: 'Strict CSP, HSTS, nosniff, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(props.uploadOrigin), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: { customHeaders: Object.entries(custom).map(([header, value]) => ({ header, value, override: true })) },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${names.prefix} portal`,
      defaultRootObject: 'index.html',
      // HTTP/2 in China: HTTP/3 is not assumed there (not verified against a China distribution), HTTP/2 is.
      httpVersion: choices.partition === 'aws-cn' ? cloudfront.HttpVersion.HTTP2 : cloudfront.HttpVersion.HTTP2_AND_3,
      webAclId: props.webAclArn,
      defaultBehavior: {
        // OAC where the partition has it; the older origin access identity in China, where it is missing.
        origin: choices.siteOriginAccess === 'oac' ? origins.S3BucketOrigin.withOriginAccessControl(props.siteBucket) : origins.S3BucketOrigin.withOriginAccessIdentity(props.siteBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(props.apiDomainName, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
            originPath: props.apiOriginPath,
            customHeaders: { [ORIGIN_SECRET_HEADER]: props.originSecret },
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Every answer depends on the caller's credential: never cached, and the Authorization header goes through.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.headers,
        },
      },
    });
    const cfn = this.distribution.node.defaultChild as cloudfront.CfnDistribution;
    if (props.portalDomain) this.useOwnDomain(cfn, props.portalDomain, choices.certificateKind);
    Validations.of(cfn).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: "No geo restriction: the county's units and office work from within China, but staff on travel or on a mobile network may appear elsewhere; the WAF's per-IP rate limit and both credentials guard the API instead.",
    });
    Validations.of(cfn).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        "Standard CloudFront logs need an ACL-enabled bucket, and the stack's access-log bucket keeps ACLs disabled (BucketOwnerEnforced). Every API call is logged by the HTTP API's access log and the function's structured logs; the WAF keeps sampled requests; the static files hold no data.",
    });
    if (!props.webAclArn) {
      Validations.of(cfn).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason: 'CloudFront in the China regions takes no web ACL; the portal\'s regional web ACL (rate limit, AWS managed rules) is associated with the API stage instead (infra/partition.ts), and the static pages hold no data.',
      });
    }
    if (choices.siteOriginAccess === 'oai') {
      const reason = 'CloudFront in the China regions has no origin access control; the site bucket is read through an origin access identity instead (the bucket stays private, its policy names only that identity), the design the partition offers.';
      Validations.of(cfn).acknowledge({ id: 'AwsSolutions-CFR7', reason });
      Validations.of(cfn).acknowledge({ id: 'cdk-validator-cfnguard::cloudfront_origin_access_control_enabled_check', reason });
    }
    if (props.portalDomain) {
      Validations.of(cfn).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason: "The county's own certificate is set on the CfnDistribution by override (the Distribution construct takes ACM certificates only), with MinimumProtocolVersion TLSv1.2_2021 and SNI only, which cdk-nag does not read; test/infra/partition.test.ts asserts it on the template.",
      });
    } else Validations.of(cfn).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        "The portal is served on the distribution's own *.cloudfront.net name with CloudFront's certificate, for which CloudFront fixes the viewer policy; a county adding its own domain adds an ACM certificate with TLSv1.2_2021 (infra/README.md).",
    });
  }

  /**
   * The county's own host name. `Distribution` takes only ACM certificates, so the viewer certificate is set on
   * the CfnDistribution: an IAM server certificate in China (uploaded under /cloudfront/), an ACM one elsewhere;
   * SNI only, TLS 1.2 at least.
   */
  private useOwnDomain(cfn: cloudfront.CfnDistribution, own: { domain: string; certificate: string }, kind: 'iam' | 'acm'): void {
    this.ownDomain = own.domain;
    cfn.addPropertyOverride('DistributionConfig.Aliases', [own.domain]);
    cfn.addPropertyOverride('DistributionConfig.ViewerCertificate', {
      ...(kind === 'iam' ? { IamCertificateId: own.certificate } : { AcmCertificateArn: own.certificate }),
      SslSupportMethod: 'sni-only',
      MinimumProtocolVersion: 'TLSv1.2_2021',
    });
  }

  private ownDomain?: string;

  /** The portal's address: the county's own domain where it has one, else the distribution's. */
  get url(): string {
    return `https://${this.ownDomain ?? this.distribution.distributionDomainName}`;
  }
}

/** The submissions bucket's regional endpoint, built from its name (no reference, so the bucket's CORS can name the distribution). */
export function regionalBucketOrigin(bucketName: string, scope: Construct): string {
  const stack = Stack.of(scope);
  return `https://${bucketName}.s3.${stack.region}.${serviceUrlSuffix(scope)}`;
}
