import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Every choice that differs between AWS's global partition (`aws`) and the
 * China partition (`aws-cn`, 北京 cn-north-1 and 宁夏 cn-northwest-1), made
 * here once from the stack's region; constructs ask (`deploymentChoices(this)`)
 * and never test a region or partition themselves.
 *
 * An environment-agnostic stack (no `-c region`) is taken as the global
 * partition with the portal's web ACL in the stack itself, deployable as is
 * only in us-east-1; a prod synth always names its region (deploy-target.ts).
 */
export type Partition = 'aws' | 'aws-cn';

/** The region where CloudFront-scoped web ACLs (and ACM certificates for CloudFront) live. */
export const CLOUDFRONT_HOME_REGION = 'us-east-1';

export interface DeploymentChoices {
  partition: Partition;
  /** undefined: environment-agnostic. */
  region?: string;
  /** Cognito user pools exist in the global partition only. */
  cognitoAvailable: boolean;
  /** How CloudFront reads the private site bucket: origin access control, or the older origin access identity where OAC is missing. */
  siteOriginAccess: 'oac' | 'oai';
  /**
   * Where the portal's web ACL sits:
   *  - cloudfront-in-stack: a CLOUDFRONT-scoped ACL in the county stack (the stack is in us-east-1, or environment-agnostic);
   *  - cloudfront-companion: a CLOUDFRONT-scoped ACL in a us-east-1 companion stack the CDK app adds (crossRegionReferences);
   *  - regional-on-api: no CloudFront ACL exists in the partition; a REGIONAL ACL on the API's REST stage.
   */
  portalWaf: 'cloudfront-in-stack' | 'cloudfront-companion' | 'regional-on-api';
  /** The portal API's front: an HTTP API, or a REST API where a regional web ACL must be associated with it (WAF cannot attach to an HTTP API). */
  portalApi: 'http' | 'rest';
  /** China: CloudFront cannot serve on its default *.cloudfront.cn name; an ICP-recorded domain and a certificate are required. */
  portalDomainRequired: boolean;
  /** The certificate a custom portal domain names: an IAM server certificate id (China) or an ACM certificate ARN in us-east-1. */
  certificateKind: 'iam' | 'acm';
  /** DNS suffix of service endpoints, when known at synth (otherwise the AWS::URLSuffix pseudo parameter). */
  urlSuffix?: string;
}

export function partitionOfRegion(region: string): Partition {
  return region.startsWith('cn-') ? 'aws-cn' : 'aws';
}

/** The choices for a region (undefined: environment-agnostic). */
export function choicesForRegion(region: string | undefined): DeploymentChoices {
  const partition = region === undefined ? 'aws' : partitionOfRegion(region);
  if (partition === 'aws-cn') {
    return {
      partition,
      region,
      cognitoAvailable: false,
      siteOriginAccess: 'oai',
      portalWaf: 'regional-on-api',
      portalApi: 'rest',
      portalDomainRequired: true,
      certificateKind: 'iam',
      urlSuffix: 'amazonaws.com.cn',
    };
  }
  return {
    partition,
    region,
    cognitoAvailable: true,
    siteOriginAccess: 'oac',
    portalWaf: region === undefined || region === CLOUDFRONT_HOME_REGION ? 'cloudfront-in-stack' : 'cloudfront-companion',
    portalApi: 'http',
    portalDomainRequired: false,
    certificateKind: 'acm',
    urlSuffix: region === undefined ? undefined : 'amazonaws.com',
  };
}

/** The choices of the stack a construct is in. */
export function deploymentChoices(scope: IConstruct): DeploymentChoices {
  const region = Stack.of(scope).region;
  return choicesForRegion(Token.isUnresolved(region) ? undefined : region);
}

/**
 * A `kms:ViaService` value: `s3.<region>.amazonaws.com`, or `….amazonaws.com.cn`
 * in China (the stack's URL suffix, resolved at deploy time when the region is not pinned).
 */
export function viaService(scope: IConstruct, service: 's3' | 'dynamodb'): string {
  const stack = Stack.of(scope);
  return `${service}.${stack.region}.${serviceUrlSuffix(scope)}`;
}

/** The service endpoints' DNS suffix: a literal where the region is pinned, else the AWS::URLSuffix pseudo parameter. */
export function serviceUrlSuffix(scope: IConstruct): string {
  return deploymentChoices(scope).urlSuffix ?? Stack.of(scope).urlSuffix;
}
