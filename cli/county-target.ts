import path from 'node:path';
import type { Command } from 'commander';
import { createDocumentClient, createS3Client } from '../shared/adapters/aws-clients';
import { DynamoSubmissionRepository } from '../shared/adapters/dynamo-submission-repository';
import { S3ObjectStore } from '../shared/adapters/s3-object-store';
import { LoadedCatalogue, loadCatalogue } from '../shared/core/catalogue/load';
import { LoadedCounty } from '../shared/core/county/load';
import { formatErrorReport, MAX_SUBMISSION_BYTES, parseSubmissionFile } from '../shared/core/submission/parse';
import { physicalNames } from '../shared/storage/layout';
import type { LocalPipeline } from '../shared/local/local-pipeline';
import type { IngestDeps } from '../shared/usecases/ingest-object';
import type { StampedActor } from '../shared/adapters/operator-identity';
import { loadCountyForCli } from './options';

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
  const county = loadCountyForCli(options.county);
  const catalogue = loadCatalogue();
  let pipeline: LocalPipeline | undefined;
  let names = physicalNames(options.county, options.stage);
  if (options.local) {
    const { LocalPipeline } = await import('../shared/local/local-pipeline');
    pipeline = await LocalPipeline.start({ countyId: options.county, stateDir: path.resolve(options.localDir) });
    names = pipeline.names;
  }
  const repo = pipeline?.repo ?? new DynamoSubmissionRepository(createDocumentClient(), names.table);
  const objects = new S3ObjectStore(createS3Client());
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
