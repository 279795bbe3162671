import type { S3Client } from '@aws-sdk/client-s3';
import { UsageError } from './usage-error';

/**
 * Before a command talks to a deployed stack, check that the SDK can find a
 * region and credentials, so someone who forgot --local reads what is
 * missing and the two ways on, not the SDK's "Region is missing".
 */
export async function assertAwsAccess(s3: S3Client, target: { county: string; stage: string }): Promise<void> {
  const missing: string[] = [];
  try {
    await s3.config.region();
  } catch {
    missing.push('an AWS region (AWS_REGION, or a profile with a region)');
  }
  try {
    await s3.config.credentials();
  } catch {
    missing.push('AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or `aws sso login`)');
  }
  if (missing.length === 0) return;
  throw new UsageError(
    `without --local this command works against the deployed stack of ${target.county} (--stage ${target.stage}) and needs ${missing.join(' and ')}, which were not found.\n` +
      `  To work on this machine's emulators instead, add --local (state kept in .yearly-report/).\n` +
      `  To reach a deployed stack, set the missing settings and choose it with --stage dev|prod.`,
  );
}
