import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, type StageSettings } from '../settings';
import { LAZY_PACKAGES, lazyPackageBundleCommands } from '../lazy-packages';
import { REPO_ROOT, type CountyNames } from '../names';
import type { SubmissionTable, TableAccess } from './submission-table';
import { acknowledgePinnedRuntime } from '../nag';
import { makeCountySnapshot } from '../../shared/core/county/load';
import { COUNTY_SNAPSHOT_FILE } from '../../shared/core/county/snapshot';

/** Where the county's config folder sits inside the Lambda bundle. */
export const BUNDLED_COUNTY_DIR = '/var/task/county';

export interface CountyFunctionProps {
  /** The folder under functions/ holding handler.ts; also the function's role in its name. */
  handlerFolder: string;
  description: string;
  countyId: string;
  names: CountyNames;
  settings: StageSettings;
  timeout: Duration;
  memorySize: number;
  environment?: Record<string, string>;
  /** Caps the function's concurrent instances (and reserves them from the account's pool). */
  reservedConcurrentExecutions?: number;
}

/**
 * Every Lambda of a county stack: NodejsFunction with the shared defaults
 * (nodejs22.x on arm64, local esbuild bundling with source maps, its own log
 * group with the stage's retention, the county's config copied into the
 * bundle) and a role that starts empty: each use* helper grants one resource
 * and sets the variable naming it, so a permission never exists without the
 * code that needs it, and the reverse.
 */
export class CountyFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CountyFunctionProps) {
    super(scope, id);
    const { names, settings, countyId } = props;
    const functionName = names.function(props.handlerFolder);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    // Not AWSLambdaBasicExecutionRole: that one may write to every log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${functionName}: only what this function needs`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      functionName,
      description: props.description,
      entry: path.join(REPO_ROOT, 'functions', props.handlerFolder, 'handler.ts'),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        COUNTY_ID: countyId,
        COUNTY_CONFIG_DIR: BUNDLED_COUNTY_DIR,
        POWERTOOLS_SERVICE_NAME: `yearly-report-${props.handlerFolder}`,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        LOG_LEVEL: settings.logLevel,
        // Stack traces in the logs point at the TypeScript source, not the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the SDK too: the version we test with is the version that runs.
        // The libraries loaded only on first use are bundled apart (below), so a
        // cold start does not parse a megabyte it may never run.
        externalModules: [...LAZY_PACKAGES],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            ...copyCountyConfigCommands(inputDir, outputDir, countyId),
            ...lazyPackageBundleCommands(inputDir, outputDir),
          ],
        },
      },
    });
    acknowledgePinnedRuntime(this.function.node.defaultChild as lambda.CfnFunction);
  }

  /** Table access and TABLE_NAME, together. */
  useTable(table: SubmissionTable, access: TableAccess, leadingKeys?: readonly string[]): void {
    this.function.addEnvironment('TABLE_NAME', table.table.tableName);
    for (const statement of table.accessStatements(access, leadingKeys)) this.role.addToPrincipalPolicy(statement);
  }

  /** Sets a variable naming a resource whose permissions the caller grants alongside. */
  setEnvironment(name: string, value: string): void {
    this.function.addEnvironment(name, value);
  }
}

/**
 * The county's JSON files (county.json, template*.json and its own catalogue files; not its sample data) go to
 * county/ in the bundle, where COUNTY_CONFIG_DIR points. Runs on the build
 * machine (local bundling), so plain shell.
 */
export function copyCountyConfigCommands(inputDir: string, outputDir: string, countyId: string): string[] {
  const from = path.join(inputDir, 'shared', 'counties', countyId);
  const to = path.join(outputDir, 'county');
  // Every JSON file of the folder: county.json, the templates, and the county's own indicators/ledgers/checks;
  // then the folder as loaded and checked here, which the function's cold start reads instead of checking it again.
  // (CDK also asks for the commands of a Docker build, where inputDir is /asset-input: the snapshot is made from
  // this checkout, which local bundling, the only kind we use, reads too.)
  const snapshot = countySnapshotFile(path.join(REPO_ROOT, 'shared', 'counties', countyId), countyId);
  return [`mkdir -p "${to}"`, `cp "${from}"/*.json "${to}/"`, `cp "${snapshot}" "${path.join(to, COUNTY_SNAPSHOT_FILE)}"`];
}

const snapshotFiles = new Map<string, string>();

/**
 * The county's snapshot (shared/core/county/snapshot.ts), made once per synth
 * from the folder the bundle copies, in a file named by its content. Throws,
 * failing the synth, when the county does not load.
 */
function countySnapshotFile(countyDir: string, countyId: string): string {
  let file = snapshotFiles.get(countyDir);
  if (!file) {
    const text = JSON.stringify(makeCountySnapshot(countyDir, { expectedId: countyId }));
    const dir = path.join(os.tmpdir(), 'yearly-report-county-snapshots');
    mkdirSync(dir, { recursive: true });
    file = path.join(dir, `${countyId}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.snapshot`);
    writeFileSync(file, text);
    snapshotFiles.set(countyDir, file);
  }
  return file;
}
