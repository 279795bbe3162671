import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { contentSecurityPolicy, OTHER_SECURITY_HEADERS } from '../../portal/headers';
import type { CountyNames } from '../names';

export interface PortalDistributionProps {
  names: CountyNames;
  siteBucket: s3.IBucket;
  /** The portal API's host (execute-api), served under /api/* of the same distribution. */
  apiDomainName: string;
  /** Where the page POSTs files (the submissions bucket's regional endpoint), for the CSP. */
  uploadOrigin: string;
  webAclArn: string;
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
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      webAclId: props.webAclArn,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(props.siteBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(props.apiDomainName, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY, originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2] }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Every answer depends on the caller's credential: never cached, and the Authorization header goes through.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.headers,
        },
      },
    });
    const cfn = this.distribution.node.defaultChild!;
    Validations.of(cfn).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: "No geo restriction: the county's units and office work from within China, but staff on travel or on a mobile network may appear elsewhere; the WAF's per-IP rate limit and both credentials guard the API instead.",
    });
    Validations.of(cfn).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        "Standard CloudFront logs need an ACL-enabled bucket, and the stack's access-log bucket keeps ACLs disabled (BucketOwnerEnforced). Every API call is logged by the HTTP API's access log and the function's structured logs; the WAF keeps sampled requests; the static files hold no data.",
    });
    Validations.of(cfn).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        "The portal is served on the distribution's own *.cloudfront.net name with CloudFront's certificate, for which CloudFront fixes the viewer policy; a county adding its own domain adds an ACM certificate with TLSv1.2_2021 (infra/README.md).",
    });
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}

/** The submissions bucket's regional endpoint, built from its name (no reference, so the bucket's CORS can name the distribution). */
export function regionalBucketOrigin(bucketName: string, scope: Construct): string {
  const stack = Stack.of(scope);
  return `https://${bucketName}.s3.${stack.region}.${stack.urlSuffix}`;
}
