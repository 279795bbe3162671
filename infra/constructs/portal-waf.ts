import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { CountyNames } from '../names';

/**
 * The portal's web ACL (CloudFront scope): a per-IP rate limit in front of
 * pages and API, plus AWS's common and known-bad-inputs rule groups. A
 * CloudFront-scoped ACL lives in us-east-1, so a stack with the portal is
 * deployed there (infra/README.md). Kept apart from any WAF of the upload API.
 */
export const PORTAL_RATE_LIMIT_PER_5_MIN = 600;

export class PortalWaf extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: { names: CountyNames }) {
    super(scope, id);
    const metric = (name: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${props.names.prefix}-portal-${name}` });
    const managed = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: metric(name),
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'Acl', {
      name: `${props.names.prefix}-portal`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: metric('acl'),
      rules: [
        {
          name: 'per-ip-rate-limit',
          priority: 0,
          // A clerk's session is a few dozen requests; 600 per 5 minutes per address leaves a county office behind one NAT room.
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: { rateBasedStatement: { limit: PORTAL_RATE_LIMIT_PER_5_MIN, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: metric('rate'),
        },
        managed('AWSManagedRulesCommonRuleSet', 1),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
      ],
    });
  }
}
