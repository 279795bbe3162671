import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../../shared/adapters/aws-clients';
import { DynamoPortalStore } from '../../shared/adapters/dynamo-portal-store';
import { DynamoSubmissionRepository } from '../../shared/adapters/dynamo-submission-repository';
import { DynamoUploadTokenStore } from '../../shared/adapters/dynamo-upload-token-store';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { dayBeforeDeadline } from '../../cli/demo-run';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { issueUploadToken } from '../../shared/core/upload-access/token';
import { LocalPipeline } from '../../shared/local/local-pipeline';
import { OUTCOME_LONG_POLL_MS } from '../../functions/portal-api/app';
import { clerkOutcome, OUTCOME_CHECK_DELAYS_MS, type ClerkDeps } from '../../shared/usecases/portal/clerk';
import { S3Client } from '@aws-sdk/client-s3';

/**
 * One pending GET /api/clerk/outcome (ingest has not recorded the upload yet)
 * holds for the API's whole long-poll; the DynamoDB requests it makes are
 * counted by a middleware on the real client, against dynalite.
 */
let pipeline: LocalPipeline;
let stateDir: string;
let deps: ClerkDeps;
let s3: S3Client;
const sent: string[] = [];
const county = loadCounty(countyDirInRepo('lingshou'));
const now = () => dayBeforeDeadline(2021, county.config.collection.deadline);
const { token, record } = issueUploadToken({ county: 'lingshou', unitId: 'justice_bureau', createdBy: 'test', now: now(), validDays: 30 });

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-outcome-reads-'));
  pipeline = await LocalPipeline.start({ countyId: 'lingshou', stateDir });
  const dynamo = new DynamoDBClient({});
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const documentClient = createDocumentClient(dynamo);
  s3 = new S3Client({ forcePathStyle: true });
  deps = {
    county,
    now,
    repo: new DynamoSubmissionRepository(documentClient, pipeline.names.table),
    objects: new S3ObjectStore(s3),
    portal: new DynamoPortalStore(documentClient, pipeline.names.table),
    links: new DynamoUploadTokenStore(documentClient, pipeline.names.table),
    submissionsBucket: pipeline.names.submissionsBucket,
    reportsBucket: pipeline.names.reportsBucket,
  };
  await deps.links.put(record);
});

afterAll(async () => {
  s3?.destroy();
  await pipeline?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

it.each([
  ['a versioned bucket (one GetItem a look)', { versionId: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY', eTag: 'd41d8cd98f00b204e9800998ecf8427e' }],
  ['an unversioned bucket (one Query of the year a look)', { eTag: 'd41d8cd98f00b204e9800998ecf8427e' }],
])('a pending outcome long-poll on %s makes a bounded number of DynamoDB reads', async (_, version) => {
  sent.length = 0;
  const key = 'submissions/2021/justice_bureau/司法局2021.xlsx';
  const answer = await clerkOutcome(`Bearer ${token}`, { key, ...version }, deps, OUTCOME_LONG_POLL_MS, record);
  expect(answer).toEqual({ state: 'pending' });
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.length).toBeLessThanOrEqual(OUTCOME_CHECK_DELAYS_MS.length + 1);
  expect(OUTCOME_CHECK_DELAYS_MS.length + 1).toBeLessThanOrEqual(16);
});
