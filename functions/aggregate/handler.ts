import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients';
import { DynamoPortalStore } from '../../shared/adapters/dynamo-portal-store';
import { DynamoSubmissionRepository } from '../../shared/adapters/dynamo-submission-repository';
import { AGGREGATE_ENV, readEnvironment } from '../../shared/adapters/environment';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store';
import { AggregateEventSchema, reportYearAt } from '../../shared/core/aggregate-event';
import { loadCounty } from '../../shared/core/county/load';
import { PermanentError } from '../../shared/core/errors';
import { aggregateYear } from '../../shared/usecases/aggregate-year';

/** Scheduled or manual event → the county's report artifacts for a year. */
const env = readEnvironment(AGGREGATE_ENV);
const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'yearly-report-aggregate', persistentKeys: { county: env.COUNTY_ID } });
const metrics = new Metrics({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'yearly-report-aggregate', defaultDimensions: { county: env.COUNTY_ID } });
// The bundle's folder is always county/, so the id to expect comes from the stack.
const county = loadCounty(env.COUNTY_CONFIG_DIR, { expectedId: env.COUNTY_ID });
const documents = createDocumentClient();
const repo = new DynamoSubmissionRepository(documents, env.TABLE_NAME);
// The office's reviews (the portal's 审核): a returned submission's figures are marked in the draft.
const reviews = new DynamoPortalStore(documents, env.TABLE_NAME);
const objects = new S3ObjectStore(createS3Client());

export interface AggregateResponse {
  county: string;
  year: number;
  reportsBucket: string;
  runPrefix: string;
  latestPrefix: string;
  artifacts: string[];
  /** Every figure of the report; of them, those with no value and those computed while units were missing. */
  figures: number;
  missingFigures: number;
  partialFigures: number;
  warnings: number;
  completeness: { expected: number; accepted: number; missing: number; late: number };
  timings: Record<string, number>;
}

export const handler = middy(async (rawEvent: unknown, _context: Context): Promise<AggregateResponse> => {
  const parsed = AggregateEventSchema.safeParse(rawEvent);
  if (!parsed.success) throw new PermanentError(`not an aggregation event: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const event = parsed.data;
  if ('county' in event && event.county !== env.COUNTY_ID) {
    throw new PermanentError(`this function aggregates county "${env.COUNTY_ID}", not "${event.county}"`);
  }
  const year = ('year' in event && event.year) || reportYearAt(new Date(), county.config.timeZone);
  logger.appendKeys({ year });

  const result = await aggregateYear(year, {
    county,
    repo,
    objects,
    reportsBucket: env.REPORTS_BUCKET,
    now: () => new Date(),
    listReviews: (y) => reviews.listReviews(y),
  });
  const { report } = result;
  const response: AggregateResponse = {
    county: env.COUNTY_ID,
    year,
    reportsBucket: env.REPORTS_BUCKET,
    runPrefix: result.runPrefix,
    latestPrefix: result.latestPrefix,
    artifacts: result.artifacts.map((a) => a.fileName),
    figures: report.figures.length,
    missingFigures: report.figures.filter((f) => f.value === null).length,
    partialFigures: report.figures.filter((f) => f.partial).length,
    warnings: report.warnings.length,
    completeness: { expected: report.completeness.expected, accepted: report.completeness.accepted, missing: report.completeness.missing, late: report.completeness.late },
    timings: result.timings,
  };
  metrics.addMetric('AggregationDuration', MetricUnit.Milliseconds, Object.values(result.timings).reduce((a, b) => a + b, 0));
  metrics.addMetric('ReportsGenerated', MetricUnit.Count, 1);
  metrics.addMetric('MissingFigures', MetricUnit.Count, response.missingFigures);
  logger.info('report generated', { ...response });
  return response;
}).use(injectLambdaContext(logger)).use(logMetrics(metrics));
