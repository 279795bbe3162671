import path from 'node:path';
import { type CfnElement, DockerImage, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { REPO_ROOT, type CountyNames } from '../names';
import type { StageSettings } from '../settings';
import { acknowledgePinnedRuntime } from '../nag';

export interface PortalSiteProps {
  names: CountyNames;
  settings: StageSettings;
  accessLogsBucket: s3.IBucket;
}

/**
 * The portal's static files in a private bucket (no public access, no
 * website hosting: CloudFront reads it through origin access control). The
 * files are the same esbuild build the local server serves (portal/build.ts).
 */
export class PortalSite extends Construct {
  readonly bucket: s3.Bucket;
  private readonly settings: StageSettings;

  constructor(scope: Construct, id: string, props: PortalSiteProps) {
    super(scope, id);
    const { names, settings } = props;
    this.settings = settings;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: `${names.prefix}-portal`,
      // S3-managed keys: CloudFront's OAC reads SSE-S3 objects without a key policy; the files are public code anyway.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: `${names.prefix}-portal/`,
      removalPolicy: settings.removalPolicy,
      autoDeleteObjects: settings.autoDeleteObjects,
    });
  }

  /** Deploys the build with the runtime settings the pages read (the sign-in address) as portal-config.json. */
  deploy(config: Record<string, string>): s3deploy.BucketDeployment {
    const build = s3deploy.Source.asset(path.join(REPO_ROOT, 'portal'), {
      bundling: {
        // Never used: the local build below always succeeds where the CDK runs (esbuild is a dependency).
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
        local: {
          tryBundle(outputDir: string): boolean {
            // esbuild's sync API inside CDK's sync bundling hook; the same entry points as portal/build.ts.
            const { buildPortalSiteSync } = require('../../portal/build') as typeof import('../../portal/build');
            buildPortalSiteSync(outputDir);
            return true;
          },
        },
      },
    });
    const deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [build, s3deploy.Source.jsonData('portal-config.json', config)],
      prune: true,
      memoryLimit: 256,
      // Its own log group with the stage's retention and removal, instead of the CDK's retained default.
      logGroup: new logs.LogGroup(this, 'DeployLogs', { retention: this.settings.logRetention, removalPolicy: this.settings.removalPolicy }),
    });
    acknowledgeBucketDeploymentHandler(Stack.of(this), Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement));
    return deployment;
  }
}

/**
 * The CDK asset bucket's objects as cdk-nag names them: pseudo parameters in an
 * environment-agnostic stack, literals (`arn:aws-cn:…-123456789012-cn-north-1/*`)
 * once -c account / region pin the environment.
 */
export function assetBucketObjectsFinding(stack: Stack): string {
  const literal = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  return `arn:${literal(stack.partition, 'Partition')}:s3:::cdk-hnb659fds-assets-${literal(stack.account, 'AccountId')}-${literal(stack.region, 'Region')}/*`;
}

/** The CDK's singleton BucketDeployment function (one per stack): its findings are the CDK's design, acknowledged on it alone. */
function acknowledgeBucketDeploymentHandler(stack: Stack, siteBucketLogicalId: string): void {
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) return;
  acknowledgePinnedRuntime(handler.node.defaultChild ?? handler);
  const role = handler.node.tryFindChild('ServiceRole');
  if (role) {
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "CDK's BucketDeployment custom resource creates its own role with the basic execution policy; it runs only during deployments, to copy the portal's static files.",
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      const reason =
        "CDK's BucketDeployment grants itself read on the CDK asset bucket's objects and write/delete on the portal site bucket's objects (the CDK's own action groups on exactly those two buckets); it runs only during deployments, to copy the portal's static files.";
      const findings = [
        'Action::s3:GetBucket*',
        'Action::s3:GetObject*',
        'Action::s3:List*',
        'Action::s3:Abort*',
        'Action::s3:DeleteObject*',
        `Resource::${assetBucketObjectsFinding(stack)}`,
        `Resource::<${siteBucketLogicalId}.Arn>/*`,
      ];
      for (const finding of findings) Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    }
  }
}
