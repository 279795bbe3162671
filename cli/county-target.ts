import path from 'node:path';
import type { Command } from 'commander';
import type { DynamoSubmissionRepository } from '../shared/adapters/dynamo-submission-repository';
import type { S3ObjectStore } from '../shared/adapters/s3-object-store';
import type { LoadedCatalogue } from '../shared/core/catalogue/load';
import type { LoadedCounty } from '../shared/core/county/load';
import type { physicalNames } from '../shared/storage/layout';
import type { LocalPipeline } from '../shared/local/local-pipeline';
import type { IngestDeps } from '../shared/usecases/ingest-object';
import type { StampedActor } from '../shared/adapters/operator-identity';

/**
 * Where a command works: the local emulators with state kept in a folder
 * (`--local`), or a deployed county stack in AWS (`--stage`, with the usual
 * AWS credentials and region). Either way the same repository and object
 * store classes, and the same names, as the Lambdas use.
 */
export interface TargetOptions {
  county: string;
  local?: boolean;
  localDir: string;
  stage: string;
}

export interface CountyTarget {
  county: LoadedCounty;
  catalogue: LoadedCatalogue;
  names: ReturnType<typeof physicalNames>;
  repo: DynamoSubmissionRepository;
  objects: S3ObjectStore;
  /** Present with --local: the emulators and the real handlers. */
  pipeline?: LocalPipeline;
  ingestDeps(): IngestDeps;
  /** Who runs the command and the service's time (STS in AWS; the OS user, labelled local, with --local). */
  caller(): Promise<StampedActor>;
  close(): Promise<void>;
}

export function addTargetOptions(command: Command, { county = true }: { county?: boolean } = {}): Command {
  if (county) command.requiredOption('--county <id>', 'county id (a folder under shared/counties/)');
  return command
    .option('--local', 'work against the local emulators (state in --local-dir) instead of AWS')
    .option('--local-dir <dir>', 'where --local keeps its state between commands', '.yearly-report')
    .option('--stage <stage>', 'the deployed stage to work against without --local', 'dev');
}

export async function openTarget(options: TargetOptions): Promise<CountyTarget> {
  // Loaded here, not at the top: every command file imports this one, and `--help` must not load the AWS SDK.
  const [{ createDocumentClient, createS3Client }, { DynamoSubmissionRepository }, { S3ObjectStore }, { formatErrorReport, MAX_SUBMISSION_BYTES, parseSubmissionFile }, { physicalNames }, { loadCountyForCli }, { DynamoUploadTokenStore }] =
    await Promise.all([
      import('../shared/adapters/aws-clients'),
      import('../shared/adapters/dynamo-submission-repository'),
      import('../shared/adapters/s3-object-store'),
      import('../shared/core/submission/parse'),
      import('../shared/storage/layout'),
      import('./options'),
      import('../shared/adapters/dynamo-upload-token-store'),
    ]);
  const county = loadCountyForCli(options.county);
  const catalogue = county.catalogue;
  let pipeline: LocalPipeline | undefined;
  let names = physicalNames(options.county, options.stage);
  if (options.local) {
    const { LocalPipeline } = await import('../shared/local/local-pipeline');
    pipeline = await LocalPipeline.start({ countyId: options.county, stateDir: path.resolve(options.localDir) });
    names = pipeline.names;
  }
  const s3 = createS3Client();
  if (!pipeline) {
    const { assertAwsAccess } = await import('./aws-access');
    await assertAwsAccess(s3, options);
  }
  const repo = pipeline?.repo ?? new DynamoSubmissionRepository(createDocumentClient(), names.table);
  const objects = new S3ObjectStore(s3);
  return {
    county,
    catalogue,
    names,
    repo,
    objects,
    pipeline,
    ingestDeps: () => ({
      county,
      catalogue,
      objects,
      repo,
      parse: parseSubmissionFile,
      formatErrorReport,
      maxBytes: MAX_SUBMISSION_BYTES,
      now: () => new Date(),
      // Replay judges each version's upload grant as ingest did (core/upload-access/grant.ts).
      uploadGrants: new DynamoUploadTokenStore(createDocumentClient(), names.table),
    }),
    caller: async () => {
      const { awsCaller, localCaller } = await import('../shared/adapters/operator-identity');
      return options.local ? localCaller() : awsCaller();
    },
    close: async () => {
      await pipeline?.stop();
    },
  };
}

/** Runs `work` against the target and always closes it (the emulators must stop for the process to exit). */
export async function withTarget<T>(options: TargetOptions, work: (target: CountyTarget) => Promise<T>): Promise<T> {
  const target = await openTarget(options);
  try {
    return await work(target);
  } finally {
    await target.close();
  }
}
