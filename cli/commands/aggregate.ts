import path from 'node:path';
import type { Command } from 'commander';
import { addTargetOptions, TargetOptions, withTarget } from '../county-target';
import { figuresText } from '../figures-text';
import { parseYearOption } from '../options';

/**
 * Runs the aggregate function for a year (as a manual event) and downloads
 * the artifacts. Local runs and each stage write to their own folder, and
 * neither to the demo's out/demo/, so one never overwrites another.
 */
export function register(program: Command): void {
  addTargetOptions(
    program
      .command('aggregate')
      .description("generate a year's report now (the aggregate function with a manual event) and download the artifacts")
      .requiredOption('--year <year>', 'report year')
      .option('--out <dir>', 'where to put the artifacts (default: out/local/<county>/<year> with --local, out/<stage>/<county>/<year> otherwise)'),
  ).action(async (opts: TargetOptions & { year: string; out?: string }) => {
    const year = parseYearOption(opts.year);
    const outDir = opts.out ?? path.join('out', opts.local ? 'local' : opts.stage, opts.county, String(year));
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
        [
          `${target.county.config.name} ${year}: report generated from ${c.accepted}/${c.expected} units (${c.missing} missing, ${c.late} late)`,
          `  figures:      ${figuresText(response.figures, response.missingFigures, response.partialFigures)}`,
          `  warnings:     ${response.warnings}`,
          `  stored:       s3://${response.reportsBucket}/${response.runPrefix}`,
          `  artifacts:    written to ${outDir}${path.sep}`,
          ...files.map((f) => `    ${f}`),
        ].join('\n') + '\n',
      );
    });
  });
}
