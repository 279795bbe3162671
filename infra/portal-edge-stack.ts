import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PortalWaf } from './constructs/portal-waf';
import { acknowledgeWafLogs } from './guard';
import type { CountyNames } from './names';
import { CLOUDFRONT_HOME_REGION } from './partition';
import { STAGE_SETTINGS, type Stage } from './settings';

export interface PortalEdgeStackProps extends StackProps {
  names: CountyNames;
  stage: Stage;
  account?: string;
}

/**
 * The us-east-1 companion of a county stack in any other global region: the
 * portal's CLOUDFRONT-scoped web ACL, which AWS creates only in us-east-1.
 * The CDK app adds it and hands its ARN to the county stack through CDK's
 * cross-region references (SSM parameters the CDK writes in the county's
 * region), so `cdk deploy <county stack>` deploys it first; the county's own
 * resources stay in the county's region.
 */
export class PortalEdgeStack extends Stack {
  readonly waf: PortalWaf;

  constructor(scope: Construct, id: string, props: PortalEdgeStackProps) {
    super(scope, id, {
      ...props,
      env: { account: props.account, region: CLOUDFRONT_HOME_REGION },
      crossRegionReferences: true,
      terminationProtection: STAGE_SETTINGS[props.stage].terminationProtection,
    });
    const settings = STAGE_SETTINGS[props.stage];
    this.waf = new PortalWaf(this, 'Waf', { names: props.names, scope: 'CLOUDFRONT', logRetention: settings.logRetention, removalPolicy: settings.removalPolicy });
    acknowledgeWafLogs(this.waf.logGroup.node.defaultChild!, settings.logRetention);
  }

  get webAclArn(): string {
    return this.waf.webAcl.attrArn;
  }
}
