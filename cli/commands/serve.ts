import path from 'node:path';
import type { Command } from 'commander';
import { loadCountyForCli, parseYearOption } from '../options';
import { UsageError } from '../usage-error';

/**
 * `yearly-report serve --county C --local`: the portal (clerk page, office
 * dashboard and their API) on loopback over the emulators. A deployed stack
 * serves it from CloudFront instead (stack output PortalUrl).
 */
export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the browser portal (clerk page + office dashboard) and its API on loopback over the local emulators')
    .requiredOption('--county <id>', 'county id (a folder under shared/counties/)')
    .option('--local', 'serve over the local emulators (state in --local-dir); required: a deployed stack serves the portal from CloudFront')
    .option('--local-dir <dir>', 'where --local keeps its state between commands', '.yearly-report')
    .option('--year <year>', 'a past report year to serve as if it were being collected (the clock starts the day before its deadline)')
    .option('--port <port>', 'loopback port (default: a free one)')
    .addHelpText('after', '\nExample:\n  npx yearly-report serve --county lingshou --local\n')
    .action(async (opts: { county: string; local?: boolean; localDir: string; year?: string; port?: string }) => {
      if (!opts.local) throw new UsageError('serve runs only with --local; a deployed stack serves the portal from CloudFront (stack output PortalUrl)');
      loadCountyForCli(opts.county);
      const port = opts.port === undefined ? undefined : Number(opts.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port must be a port number, got "${opts.port}"`);
      const { runPortal } = await import('../serve-run');
      await runPortal({ countyId: opts.county, stateDir: path.resolve(opts.localDir), year: opts.year ? parseYearOption(opts.year) : undefined, port, out: process.stdout });
    });
}
