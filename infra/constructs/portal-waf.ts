import { ArnFormat, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { CountyNames } from '../names';

/**
 * The portal's web ACL: a per-IP rate limit in front of pages and API, plus
 * AWS's common and known-bad-inputs rule groups. Where it sits is the
 * partition's choice (infra/partition.ts): CLOUDFRONT scope on the
 * distribution (in the county stack when that is in us-east-1, else in the
 * us-east-1 companion stack, infra/portal-edge-stack.ts), or REGIONAL on the
 * API's REST stage in China, where CloudFront takes no web ACL.
 * Its log and sampled requests show the Authorization header only as
 * redacted: a unit link's token or an office ID token never reaches either.
 */
export const PORTAL_RATE_LIMIT_PER_5_MIN = 600;

/** Headers whose values the WAF log replaces with REDACTED. */
export const WAF_REDACTED_HEADERS = ['authorization'] as const;

export interface PortalWafProps {
  names: CountyNames;
  scope: 'CLOUDFRONT' | 'REGIONAL';
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
}

export class PortalWaf extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly logGroup: logs.LogGroup;
  readonly logging: wafv2.CfnLoggingConfiguration;

  constructor(scope: Construct, id: string, props: PortalWafProps) {
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
      scope: props.scope,
      defaultAction: { allow: {} },
      visibilityConfig: metric('acl'),
      // The log's redactedFields (below) do not reach sampled requests (the console's last three hours);
      // the web ACL's data protection covers both, so the sample shows the header as REDACTED too.
      dataProtectionConfig: {
        dataProtections: WAF_REDACTED_HEADERS.map((name) => ({ field: { fieldType: 'SINGLE_HEADER', fieldKeys: [name] }, action: 'SUBSTITUTION' })),
      },
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
    // WAF delivers only to log groups named aws-waf-logs-*.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${props.names.prefix}-portal`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // The group's ARN without CloudFormation's trailing ":*", which WAF refuses.
      logDestinationConfigs: [
        Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
      redactedFields: WAF_REDACTED_HEADERS.map((name) => ({ singleHeader: { Name: name } })),
    });
  }
}
