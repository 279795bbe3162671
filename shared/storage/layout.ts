/**
 * Where things live, in S3 and DynamoDB. The single source of truth for the
 * table's keys and indexes and the bucket's prefixes: the CDK stack and the
 * local emulators both build from these values, so they cannot drift.
 * Pure data: no AWS SDK here.
 */

/**
 * Physical names carry the county so several counties can share an account.
 * S3 bucket and CloudFormation stack names allow no underscore, so a
 * snake_case county id (qingshan_demo) appears with dashes (qingshan-demo).
 */
export const physicalNames = (countyId: string, stage: string) => namesFor(countyId.replace(/_/g, '-'), stage);

const namesFor = (county: string, stage: string) => ({
  submissionsBucket: `yearly-report-${county}-${stage}-submissions`,
  /**
   * Generated reports (under PREFIX.reports) live in their own bucket: no
   * notification is configured on it at all, so nothing written there can
   * re-trigger ingest, and only the county office role may read it.
   */
  reportsBucket: `yearly-report-${county}-${stage}-reports`,
  /** S3 server access logs of the two buckets above (deployed stacks only). */
  accessLogsBucket: `yearly-report-${county}-${stage}-access-logs`,
  table: `yearly-report-${county}-${stage}`,
  /** The CLI invokes it for an on-demand report; infra names every function `<prefix>-<handler folder>`. */
  aggregateFunction: `yearly-report-${county}-${stage}-aggregate`,
});

export const TABLE_DESIGN = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    /** Audit trail by unit across years and versions: gsi1pk = UNIT#<unit>, gsi1sk = <time>#<version>. */
    { indexName: 'gsi1', partitionKey: { name: 'gsi1pk', type: 'S' }, sortKey: { name: 'gsi1sk', type: 'S' } },
  ],
  /** Idempotency records expire; dynalite ignores TTL, which only means they stay longer locally. */
  timeToLiveAttribute: 'expiresAt',
} as const;

/**
 * Bucket prefixes. Only SUBMISSIONS triggers ingest (the notification filter
 * uses this constant), so nothing the pipeline writes can re-trigger it.
 */
export const PREFIX = {
  submissions: 'submissions/',
  errorReports: 'error-reports/',
  reports: 'reports/',
} as const;

export const SUBMISSION_EXTENSIONS = ['.json', '.csv', '.xlsx'] as const;
