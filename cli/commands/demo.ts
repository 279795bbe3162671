import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../usage-error';

/**
 * `yearly-report demo`: the whole pipeline locally, from a fresh state, on a
 * county's sample submissions. It is what `npm start` runs.
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description('run the whole pipeline locally (S3 + DynamoDB emulators, ingest, aggregate) on a county\'s sample submissions')
    .option('--county <id>', 'county id (a folder under shared/counties/)', 'lingshou')
    .option('--year <year>', "report year (default: the newest year the county has samples for)")
    .option('--out <dir>', 'where the artifacts go: <dir>/<county>/<year>/ (apart from `aggregate --local`, which writes to out/local/)', path.join('out', 'demo'))
    .option('--county-dir <dir>', 'a county folder outside shared/counties/ (its folder name is the county id)')
    .option('--upload-date <date>', 'the date the simulated uploads are received (default: the day before the collection deadline)')
    .option('--serve', 'then serve the browser portal over the demo\'s data until Ctrl-C, printing the office URL and a unit link')
    .addHelpText('after', '\nExample:\n  npx yearly-report demo --county lingshou --year 2021\n')
    .action(async (opts: { county: string; year?: string; out: string; uploadDate?: string; countyDir?: string; serve?: boolean }) => {
      const { runDemo, printDemoSummary } = await import('../demo-run');
      const { sampleYears } = await import('../../shared/local/sample-data');
      const { countyDirInRepo } = await import('../../shared/core/county/load');
      // Without --year, the county's newest samples (jinping ships 2025, lingshou 2021).
      const year = opts.year === undefined ? (sampleYears(opts.countyDir ? path.resolve(opts.countyDir) : countyDirInRepo(opts.county)).at(-1) ?? 2021) : Number(opts.year);
      if (!Number.isInteger(year)) throw new UsageError(`--year must be a year, got "${opts.year}"`);
      const stateDir = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-demo-'));
      try {
        const countyId = opts.countyDir ? path.basename(path.resolve(opts.countyDir)) : opts.county;
        await runDemo({ countyId, year, outRoot: opts.out, stateDir, uploadDate: opts.uploadDate, countyDir: opts.countyDir }, async (summary, pipeline) => {
          printDemoSummary(summary, process.stdout);
          if (summary.failedDeliveries > 0 || summary.rejected.length > 0) process.exitCode = 1;
          if (opts.serve) {
            // Over the demo's own pipeline: its handlers stay bound to its emulators for the life of the process.
            const { runPortal } = await import('../serve-run');
            await runPortal({ countyId, countyDir: opts.countyDir, stateDir, year, out: process.stdout, pipeline });
          }
        });
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    });
}
