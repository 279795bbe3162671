import path from 'node:path';
import type { Command } from 'commander';
import { addTargetOptions, TargetOptions, withTarget } from '../county-target';
import { parseYearOption } from '../options';

/** Runs the aggregate function for a year (as a manual event) and downloads the artifacts. */
export function register(program: Command): void {
  addTargetOptions(
    program
      .command('aggregate')
      .description('generate a year\'s report now (the aggregate function with a manual event) and download the artifacts')
      .requiredOption('--year <year>', 'report year')
      .option('--out <dir>', 'where to put the artifacts (default: out/<county>/<year>)'),
  ).action(async (opts: TargetOptions & { year: string; out?: string }) => {
    const year = parseYearOption(opts.year);
    const outDir = opts.out ?? path.join('out', opts.county, String(year));
    await withTarget(opts, async (target) => {
      const event = { trigger: 'manual' as const, county: opts.county, year, requestedBy: process.env.USER ?? 'cli' };
      let response;
      if (target.pipeline) {
        response = await target.pipeline.aggregate(event);
      } else {
        const { invokeAggregate } = await import('../aws-aggregate');
        response = await invokeAggregate(target.names.aggregateFunction, event);
      }
      const { downloadReports } = await import('../aws-aggregate');
      const files = await downloadReports(response.reportsBucket, response.latestPrefix, outDir);
      const c = response.completeness;
      process.stdout.write(
        `${target.county.config.name} ${year}: ${response.figures - response.missingFigures} figures with data (${response.partialFigures} partial), ${response.missingFigures} without data, ${response.warnings} warnings; ` +
          `${c.accepted}/${c.expected} units, ${c.missing} missing, ${c.late} late\n` +
          `run: s3://${response.reportsBucket}/${response.runPrefix}\n${files.map((f) => `  ${f}`).join('\n')}\n`,
      );
    });
  });
}
