import type { Command } from 'commander';
import { UsageError } from '../usage-error';

/**
 * `office-user add`: the county office's first accounts after `cdk deploy`,
 * where the office signs in with the stack's Cognito user pool (global
 * regions). The pool has no self sign-up, so an engineer creates each person:
 *   1. find the pool: --user-pool-id, else the pool the stack names
 *      `yearly-report-<county>-<stage>-office`;
 *   2. AdminCreateUser with the email (verified: Cognito sends the temporary
 *      password there) and the person's name (what the audit shows);
 *   3. AdminAddUserToGroup: office (acts) or viewer (reads).
 * Run again for a person who exists, it only adds the group. In the China
 * partition there is no Cognito: the county's own OpenID provider holds the
 * users and their role claim (infra/README.md, "After deploy").
 */
interface OfficeUserOptions {
  county: string;
  stage: string;
  email: string;
  name: string;
  role: string;
  userPoolId?: string;
  region?: string;
}

const ROLES = ['office', 'viewer'] as const;

/** The pool infra/constructs/office-user-pool.ts creates: `<countyNames().prefix>-office` (test/integration/office-user-cli.test.ts keeps the two equal). */
export const officePoolName = (countyId: string, stage: string) => `yearly-report-${countyId.replace(/_/g, '-')}-${stage}-office`;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function register(program: Command): void {
  const user = program.command('office-user').description("the county office's sign-in accounts in the stack's Cognito user pool (global regions)");
  user
    .command('add')
    .description('create a county office account (Cognito emails a temporary password) and put it in the office or viewer group')
    .requiredOption('--county <id>', 'county id (a folder under shared/counties/)')
    .option('--stage <stage>', 'the deployed stage', 'dev')
    .requiredOption('--email <address>', "the person's email: the sign-in name, where the temporary password goes")
    .requiredOption('--name <name>', "the person's name as the audit shows it (姓名)")
    .option('--role <role>', 'office (review, lock, links, aggregation) or viewer (reads only)', 'office')
    .option('--user-pool-id <id>', 'the user pool (default: the one the stack names yearly-report-<county>-<stage>-office)')
    .option('--region <region>', 'AWS region (default: the SDK\'s, e.g. AWS_REGION)')
    .addHelpText('after', '\nExample:\n  npx yearly-report office-user add --county lingshou --stage prod --email wangfang@example.cn --name 王芳 --role office\n')
    .action(async (opts: OfficeUserOptions) => {
      if (!(ROLES as readonly string[]).includes(opts.role)) throw new UsageError(`--role must be office or viewer, got "${opts.role}"`);
      if (!EMAIL.test(opts.email)) throw new UsageError(`--email is not an email address: "${opts.email}"`);
      if (!opts.name.trim()) throw new UsageError('--name must name the person');
      const { addOfficeUser } = await import('../../shared/adapters/cognito-office-users');
      const { loadCountyForCli } = await import('../options');
      loadCountyForCli(opts.county);
      const poolName = officePoolName(opts.county, opts.stage);
      const added = await addOfficeUser({ email: opts.email, name: opts.name.trim(), role: opts.role as (typeof ROLES)[number], userPoolId: opts.userPoolId, poolName, region: opts.region });
      process.stdout.write(
        `${added.created ? 'created' : 'already existed'}: ${opts.email} (${opts.name.trim()}, user ${added.username}) in pool ${added.userPoolId}, group ${opts.role}` +
          `${added.created ? '; Cognito emails the temporary password, which must be changed at first sign-in (with TOTP MFA set up)' : ''}\n`,
      );
    });
}
