import os from 'node:os';
import type { Command } from 'commander';
import { addTargetOptions, TargetOptions, withTarget } from '../county-target';
import { resolveUnitOption } from '../options';
import { UsageError } from '../usage-error';

/**
 * `token create|revoke|list`: per-unit upload tokens for the upload API.
 * A token is printed once, at creation; the table keeps only its salted hash,
 * so a lost token is revoked and replaced, never recovered.
 */
interface TokenOptions extends TargetOptions {
  unit: string;
  by: string;
}

export function register(program: Command): void {
  const token = program.command('token').description("manage units' upload tokens (stored hashed; shown once when created)");

  addTargetOptions(
    token
      .command('create')
      .description('issue an upload token for a unit and print it once')
      .requiredOption('--unit <unit>', 'unit id or name')
      .option('--days <days>', 'how many days the token stays valid', '120')
      .option('--by <name>', 'who issues it (recorded)', os.userInfo().username)
      .addHelpText('after', '\nExample:\n  npx yearly-report token create --county lingshou --unit 县司法局 --stage prod\n'),
  ).action(async (opts: TokenOptions & { days: string }) => {
    const days = Number(opts.days);
    if (!Number.isInteger(days) || days < 1 || days > 400) throw new UsageError(`--days must be a whole number of days between 1 and 400, got "${opts.days}"`);
    await withTarget(opts, async (target) => {
      const unit = resolveUnitOption(target.county, opts.unit);
      const { issueUploadToken } = await import('../../shared/core/upload-access/token');
      const store = await tokenStore(target.names.table);
      const { token: text, record } = issueUploadToken({ county: target.county.config.id, unitId: unit.id, createdBy: opts.by, now: new Date(), validDays: days });
      await store.put(record);
      process.stderr.write(`${unit.name} (${unit.id}): token ${record.tokenId}, valid until ${record.validUntil}. It is shown only now:\n`);
      process.stdout.write(`${text}\n`);
    });
  });

  addTargetOptions(
    token
      .command('revoke')
      .description("revoke a unit's upload tokens (all of them, or one with --token-id)")
      .requiredOption('--unit <unit>', 'unit id or name')
      .option('--token-id <id>', 'revoke only this token (the id printed at creation)')
      .option('--by <name>', 'who revokes (recorded)', os.userInfo().username),
  ).action(async (opts: TokenOptions & { tokenId?: string }) => {
    await withTarget(opts, async (target) => {
      const unit = resolveUnitOption(target.county, opts.unit);
      const store = await tokenStore(target.names.table);
      const active = (await store.listByUnit(unit.id)).filter((t) => !t.revokedAt && (!opts.tokenId || t.tokenId === opts.tokenId));
      if (opts.tokenId && active.length === 0) throw new UsageError(`${unit.name} has no active token ${opts.tokenId}`);
      const now = new Date();
      for (const t of active) await store.revoke(t.tokenId, opts.by, now);
      process.stdout.write(`${unit.name} (${unit.id}): ${active.length} token(s) revoked${active.length ? `: ${active.map((t) => t.tokenId).join(', ')}` : ''}\n`);
    });
  });

  addTargetOptions(
    token.command('list').description("list a unit's upload tokens (ids and state, never the secret)").requiredOption('--unit <unit>', 'unit id or name'),
  ).action(async (opts: TargetOptions & { unit: string }) => {
    await withTarget(opts, async (target) => {
      const unit = resolveUnitOption(target.county, opts.unit);
      const store = await tokenStore(target.names.table);
      const now = Date.now();
      for (const t of await store.listByUnit(unit.id)) {
        const state = t.revokedAt ? `revoked ${t.revokedAt} by ${t.revokedBy ?? '?'}` : Date.parse(t.validUntil) <= now ? 'expired' : 'active';
        process.stdout.write(`${t.tokenId}  ${state}  created ${t.createdAt} by ${t.createdBy}, valid until ${t.validUntil}\n`);
      }
    });
  });
}

async function tokenStore(table: string) {
  const [{ createDocumentClient }, { DynamoUploadTokenStore }] = await Promise.all([
    import('../../shared/adapters/aws-clients'),
    import('../../shared/adapters/dynamo-upload-token-store'),
  ]);
  return new DynamoUploadTokenStore(createDocumentClient(), table);
}
