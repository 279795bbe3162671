import path from 'node:path';
import type { Command } from 'commander';
import { addTargetOptions, TargetOptions, withTarget } from '../county-target';
import { figuresTextZh } from '../figures-text';
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
          `${target.county.config.name} ${year}年度报告已生成：应报送单位${c.expected}个，已报送${c.accepted}个${c.late ? `（其中逾期${c.late}个）` : ''}，未报送${c.missing}个`,
          `  数据：${figuresTextZh(response.figures, response.missingFigures, response.partialFigures)}`,
          `  提醒：${response.warnings}条`,
          `  存档：s3://${response.reportsBucket}/${response.runPrefix}`,
          `  文件已保存到 ${outDir}${path.sep}`,
          ...files.map((f) => `    ${f}`),
        ].join('\n') + '\n',
      );
    });
  });
}
