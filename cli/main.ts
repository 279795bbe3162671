import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands';
import { UsageError } from './usage-error';

/**
 * The `yearly-report` command line. Each file in cli/commands/ registers one
 * command (export `register(program)`, listed in cli/commands/index.ts);
 * heavy libraries are imported inside the command's action so `--help`
 * stays instant.
 * Exit codes: 0 success, 1 the input is invalid / the run found a failure,
 * 2 a usage error.
 */
export function buildProgram(): Command {
  const program = new Command('yearly-report')
    .description('法治政府建设情况报告 pipeline: templates, validation, local AWS emulation, ingest and report generation')
    .showHelpAfterError()
    .exitOverride()
    // A subcommand's options are its own (`template next --county` beside `template --county`).
    .enablePositionalOptions();
  for (const command of COMMANDS) command.register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`error: ${(err as Error).message}\n`);
    if (process.env.YEARLY_REPORT_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return 1;
  }
}

if (require.main === module || process.env.YEARLY_REPORT_CLI === '1') {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
