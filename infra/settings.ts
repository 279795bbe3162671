import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';

/**
 * What differs between a throwaway dev stack and a county's production stack.
 * A typed record, snapshot-tested, so a change of retention or removal policy
 * shows up in review instead of in an incident.
 */
export const StageSchema = z.enum(['dev', 'prod']);
export type Stage = z.infer<typeof StageSchema>;

export interface StageSettings {
  /** Buckets, table, key, log groups: kept on stack deletion in prod. */
  removalPolicy: RemovalPolicy;
  /**
   * Empty the buckets when the stack is deleted (a small custom-resource
   * Lambda; synthesizes offline). Dev only: a dev stack can be torn down in
   * one command, a county's files never disappear with a stack.
   */
  autoDeleteObjects: boolean;
  /** CloudFormation refuses to delete the stack until this is turned off. */
  terminationProtection: boolean;
  /** DynamoDB deletion protection: a `cdk destroy` cannot take the year's data with it. */
  deletionProtection: boolean;
  /**
   * How long an overwritten or deleted submission (a noncurrent S3 version)
   * must stay recoverable. Lifecycle rules move such versions to cheaper
   * storage classes but never expire them before this.
   */
  auditPeriodDays: number;
  logRetention: RetentionDays;
  logLevel: 'DEBUG' | 'INFO';
  /** Pending-deletion window if the key is ever scheduled for deletion. */
  keyPendingWindow: Duration;
}

export const STAGE_SETTINGS: Record<Stage, StageSettings> = {
  dev: {
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
    terminationProtection: false,
    deletionProtection: false,
    auditPeriodDays: 90,
    logRetention: RetentionDays.TWO_WEEKS,
    logLevel: 'DEBUG',
    keyPendingWindow: Duration.days(7),
  },
  prod: {
    removalPolicy: RemovalPolicy.RETAIN,
    autoDeleteObjects: false,
    terminationProtection: true,
    deletionProtection: true,
    // Ten years: the retention period (定期10年) of a government office's
    // routine work files; the submissions are the evidence behind the report.
    auditPeriodDays: 3650,
    logRetention: RetentionDays.ONE_YEAR,
    logLevel: 'INFO',
    keyPendingWindow: Duration.days(30),
  },
};

/** Service names and the metrics namespace the functions' Powertools use. */
export const METRICS_NAMESPACE = 'YearlyReport';
