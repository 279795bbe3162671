import { existsSync } from 'node:fs';
import path from 'node:path';
import { countyDirInRepo, loadCounty } from '../shared/core/county/load';
import { LocalPipeline } from '../shared/local/local-pipeline';
import { readSampleFiles, sampleYears } from '../shared/local/sample-data';
import { chineseDateTime } from '../shared/core/county/time';
import { figuresText } from './figures-text';
import { UsageError } from './usage-error';

/** The demo's steps, apart from the command line so the e2e test runs exactly them. */
export interface DemoOptions {
  countyId: string;
  year: number;
  outRoot: string;
  stateDir: string;
  uploadDate?: string;
  /** A county folder outside the repository (an engineer onboarding a county); shared/counties/<countyId> by default. */
  countyDir?: string;
}

export interface DemoSummary {
  county: string;
  countyName: string;
  timeZone: string;
  year: number;
  uploadTime: string;
  uploaded: number;
  accepted: string[];
  rejected: { unitId: string; unitName: string; errorReport?: string }[];
  failedDeliveries: number;
  figures: number;
  missingFigures: number;
  partialFigures: number;
  warnings: string[];
  completeness: { expected: number; accepted: number; missing: number; late: number };
  outDir: string;
  artifacts: string[];
  seconds: number;
}

/**
 * `afterwards` runs on the finished demo while its pipeline still runs (`demo --serve` serves the portal over it):
 * the handlers the demo loaded keep their clients on this pipeline's emulators, so a second pipeline in the same
 * process would leave ingest and aggregation talking to stopped ones.
 */
export async function runDemo(options: DemoOptions, afterwards?: (summary: DemoSummary, pipeline: LocalPipeline) => Promise<void>): Promise<DemoSummary> {
  const started = performance.now();
  const countyDir = options.countyDir ? path.resolve(options.countyDir) : countyDirInRepo(options.countyId);
  if (!existsSync(path.join(countyDir, 'county.json'))) throw new UsageError(`unknown county "${options.countyId}": no ${path.relative(process.cwd(), countyDir)}/county.json`);
  const county = loadCounty(countyDir);
  const samples = readSampleFiles(countyDir, options.year);
  if (samples.length === 0) {
    const years = sampleYears(countyDir);
    throw new UsageError(
      `no sample submissions for ${options.countyId} ${options.year} in ${countyDir}/samples/${options.year}/; ` +
        (years.length ? `${county.config.name} has samples for ${years.join(', ')}: --year ${years.at(-1)}` : `${county.config.name} has no samples/<year>/ folder`),
    );
  }

  const uploadTime = options.uploadDate ? new Date(options.uploadDate) : dayBeforeDeadline(options.year, county.config.collection.deadline);
  if (Number.isNaN(uploadTime.getTime())) throw new UsageError(`--upload-date is not a date: "${options.uploadDate}"`);

  const pipeline = await LocalPipeline.start({ countyId: options.countyId, countyConfigDir: countyDir, stateDir: options.stateDir, uploadTime: () => uploadTime });
  try {
    const results = await pipeline.upload(samples.map((s) => ({ year: options.year, unitId: s.unitId, fileName: s.fileName, bytes: s.bytes })));
    const response = await pipeline.aggregate({ trigger: 'schedule', county: options.countyId, year: options.year, schedule: 'demo' });
    const { loadReportFile } = await import('./report-file');
    const outDir = path.join(options.outRoot, options.countyId, String(options.year));
    const artifacts = await pipeline.download(response.latestPrefix, outDir);
    const report = loadReportFile(path.join(outDir, 'report.json'));
    const summary: DemoSummary = {
      county: options.countyId,
      countyName: county.config.name,
      timeZone: county.config.timeZone,
      year: options.year,
      uploadTime: uploadTime.toISOString(),
      uploaded: results.length,
      accepted: results.filter((r) => r.record?.status === 'accepted').map((r) => r.record!.unitId),
      rejected: results
        .filter((r) => r.record?.status === 'rejected')
        .map((r) => ({ unitId: r.record!.unitId, unitName: county.config.units.find((u) => u.id === r.record!.unitId)?.name ?? r.record!.unitId, errorReport: r.errorReport })),
      failedDeliveries: results.reduce((n, r) => Math.max(n, r.batchItemFailures), 0),
      figures: response.figures,
      missingFigures: response.missingFigures,
      partialFigures: response.partialFigures,
      warnings: report.warnings.map((w) => `${w.code}: ${w.message}`),
      completeness: response.completeness,
      outDir,
      artifacts,
      seconds: (performance.now() - started) / 1000,
    };
    await afterwards?.(summary, pipeline);
    return summary;
  } finally {
    await pipeline.stop();
  }
}

/** Uploads in the demo arrive the day before the deadline, at 10:00 in China. */
export function dayBeforeDeadline(year: number, deadline: string): Date {
  const date = new Date(`${year + 1}-${deadline}T10:00:00+08:00`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date;
}

export function printDemoSummary(s: DemoSummary, out: NodeJS.WritableStream): void {
  const lines = [
    `${s.countyName} ${s.year}: local pipeline run in ${s.seconds.toFixed(1)} s`,
    `  uploads:      ${s.uploaded} files (received ${chineseDateTime(new Date(s.uploadTime), s.timeZone)}), ${s.accepted.length} accepted, ${s.rejected.length} rejected${s.failedDeliveries ? `, ${s.failedDeliveries} deliveries to retry` : ''}`,
    `  units:        ${s.completeness.accepted}/${s.completeness.expected} expected units submitted, ${s.completeness.missing} missing, ${s.completeness.late} late`,
    `  figures:      ${figuresText(s.figures, s.missingFigures, s.partialFigures)}`,
    `  warnings:     ${s.warnings.length}`,
    ...s.warnings.slice(0, 10).map((w) => `    - ${w}`),
    ...(s.warnings.length > 10 ? [`    … and ${s.warnings.length - 10} more (see report.json)`] : []),
    ...s.rejected.map((r) => `  rejected ${r.unitName}:\n${(r.errorReport ?? '').replace(/^\uFEFF/, '').replace(/\r/g, '').replace(/^/gm, '    ')}`),
    `  artifacts:    written to ${s.outDir}${path.sep}`,
    ...s.artifacts.map((a) => `    ${a}`),
  ];
  out.write(`${lines.join('\n')}\n`);
}
