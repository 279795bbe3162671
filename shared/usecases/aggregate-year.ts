import { Artifact, renderArtifacts } from '../core/artifacts';
import { LoadedCounty } from '../core/county/load';
import { buildReport, CurrentSubmission, RejectedUpload, ReturnedSubmission } from '../core/report/build-report';
import { ledgerFieldsUsed } from '../core/report/ledger-fields';
import { Report, ReportSchema } from '../core/report/schema';
import { PREFIX } from '../storage/layout';
import { ObjectStore, SubmissionRepository } from './ports';

/**
 * Aggregate a county's year into report artifacts:
 *  1. follow every unit's current pointer and read its submission (never half of one),
 *     each ledger row with only the fields a figure reads (ledgerFieldsUsed);
 *  2. note units whose newest upload was rejected, for completeness;
 *  3. read last year's report.json, if any, for year-over-year checks, the year's lock, and the
 *     office's reviews (a current submission returned for correction has its figures marked);
 *  4. build the Report (pure) and render every artifact from it: report.json,
 *     report.md/html/docx (what the county publishes), 报送情况.docx (internal:
 *     completeness, partial figures, warnings, sources) and data.xlsx;
 *  5. write them under reports/{year}/{runId}/ and then reports/{year}/latest/,
 *     a prefix the ingest notification never matches.
 */
export interface AggregateDeps {
  county: LoadedCounty;
  repo: SubmissionRepository;
  objects: ObjectStore;
  reportsBucket: string;
  now: () => Date;
  readConcurrency?: number;
  /** The office's reviews of the year (portal review records), when the stack has the portal. */
  listReviews?: (year: number) => Promise<readonly ReviewOfSubmission[]>;
}

/** What aggregation needs of a portal review record. */
export interface ReviewOfSubmission {
  unitId: string;
  decision: 'pass' | 'return';
  versionToken?: string;
  comment?: string;
  by: string;
  at: string;
}

export interface AggregateResult {
  report: Report;
  artifacts: Artifact[];
  runPrefix: string;
  latestPrefix: string;
  timings: Record<string, number>;
}

export const reportPrefixes = (year: number, runId: string) => ({
  run: `${PREFIX.reports}${year}/${runId}/`,
  latest: `${PREFIX.reports}${year}/latest/`,
});

export async function aggregateYear(year: number, deps: AggregateDeps): Promise<AggregateResult> {
  const timings: Record<string, number> = {};
  const timed = async <T>(stage: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      timings[stage] = performance.now() - start;
    }
  };

  const generatedAt = deps.now();
  const ledgerFields = ledgerFieldsUsed(deps.county.catalogue);
  // The newest uploads and last year's report are small reads: they go alongside the submissions, not after them.
  const latestRead = deps.repo.listLatest(year);
  // Handled here too, so a failure while the submissions are still read is not an unhandled rejection; awaited below.
  latestRead.catch(() => undefined);
  const previousRead = readPreviousReport(deps, year - 1);
  const reviewsRead = deps.listReviews ? deps.listReviews(year) : Promise.resolve([]);
  reviewsRead.catch(() => undefined);
  const { pointers, submissions } = await timed('query', async () => {
    const pointers = await deps.repo.listCurrent(year);
    const submissions = await mapConcurrently(pointers, deps.readConcurrency ?? 8, async (p): Promise<CurrentSubmission> => ({
      unitId: p.unitId,
      s3Key: p.s3Key,
      versionId: p.versionId ?? p.versionToken,
      receivedAt: p.receivedAt,
      submission: await deps.repo.readSubmission(year, p.unitId, p.versionToken, { ledgerFields }),
      ...(p.changes ? { changes: p.changes } : {}),
    }));
    return { pointers, submissions };
  });
  const rejected: RejectedUpload[] = (await latestRead)
    .filter((v) => v.status === 'rejected' && !submissions.some((s) => s.unitId === v.unitId))
    .map((v) => ({ unitId: v.unitId, s3Key: v.s3Key, versionId: v.versionId ?? v.versionToken, receivedAt: v.receivedAt, problemCount: v.problemCount ?? 0 }));
  const previous = await previousRead;
  const lock = await deps.repo.getLock(year);
  const returned = returnedSubmissions(await reviewsRead, pointers);

  const report = await timed('compute', async () =>
    buildReport({ county: deps.county, year, submissions, rejected, previous, generatedAt, returned, ...(lock ? { lock } : {}) }),
  );
  const artifacts = await timed('render', () => renderArtifacts(report));

  const runId = generatedAt.toISOString().replace(/[:.]/g, '-');
  const prefixes = reportPrefixes(year, runId);
  await timed('write', async () => {
    for (const prefix of [prefixes.run, prefixes.latest]) {
      await Promise.all(artifacts.map((a) => deps.objects.put(deps.reportsBucket, `${prefix}${a.fileName}`, a.body, a.contentType)));
    }
  });
  return { report, artifacts, runPrefix: prefixes.run, latestPrefix: prefixes.latest, timings };
}

/** Units whose newest review is a return of the version that is still current (a new upload ends the return). */
function returnedSubmissions(reviews: readonly ReviewOfSubmission[], pointers: ReadonlyArray<{ unitId: string; versionToken: string }>): ReturnedSubmission[] {
  const newest = new Map<string, ReviewOfSubmission>();
  for (const r of reviews) if (!newest.has(r.unitId) || newest.get(r.unitId)!.at <= r.at) newest.set(r.unitId, r);
  return pointers.flatMap((p) => {
    const r = newest.get(p.unitId);
    return r && r.decision === 'return' && r.versionToken === p.versionToken ? [{ unitId: p.unitId, by: r.by, at: r.at, ...(r.comment ? { comment: r.comment } : {}) }] : [];
  });
}

async function readPreviousReport(deps: AggregateDeps, year: number): Promise<Report | undefined> {
  try {
    const object = await deps.objects.get(deps.reportsBucket, `${reportPrefixes(year, '').latest}report.json`, undefined, 50 * 1024 * 1024);
    const parsed = ReportSchema.safeParse(JSON.parse(Buffer.from(object.bytes).toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // No report for last year (the usual case in a county's first year).
    return undefined;
  }
}

async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
