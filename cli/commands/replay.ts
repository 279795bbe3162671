import type { Command } from 'commander';
import { addTargetOptions, TargetOptions, withTarget } from '../county-target';
import { parseYearOption } from '../options';

/** Rebuilds a year's DynamoDB data from the raw uploads in S3. */
export function register(program: Command): void {
  addTargetOptions(
    program
      .command('replay')
      .description('rebuild a year\'s table data from the raw uploads alone (wipes the year, then ingests every stored version, oldest first)')
      .requiredOption('--year <year>', 'report year'),
  ).action(async (opts: TargetOptions & { year: string }) => {
    const year = parseYearOption(opts.year);
    await withTarget(opts, async (target) => {
      const { replayYear } = await import('../../shared/usecases/replay-year');
      const result = await replayYear(year, target.names.submissionsBucket, target.ingestDeps());
      const o = result.outcomes;
      process.stdout.write(
        `${target.county.config.name} ${year}: replayed ${result.versions} uploaded versions (${result.wipedItems} items wiped first): ` +
          `${o.accepted} accepted, ${o.rejected} rejected, ${o.superseded} superseded, ${o.duplicate} duplicate, ${o.ignored} ignored\n`,
      );
    });
  });
}
