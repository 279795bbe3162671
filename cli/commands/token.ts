import os from 'node:os';
import path from 'node:path';
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
      .option('--portal-url <url>', "the portal's address, to print the whole clerk link (default with --local: where `serve` last ran; deployed: stack output PortalUrl)")
      .option('--json', 'print token id, unit id, token, link and expiry (UTC) as JSON')
      .addHelpText('after', '\nExample:\n  npx yearly-report token create --county lingshou --unit 县司法局 --stage prod --portal-url https://d111.cloudfront.net\n'),
  ).action(async (opts: TokenOptions & { days: string; portalUrl?: string; json?: boolean }) => {
    const days = Number(opts.days);
    if (!Number.isInteger(days) || days < 1 || days > 400) throw new UsageError(`--days must be a whole number of days between 1 and 400, got "${opts.days}"`);
    const portal = opts.portalUrl ?? (opts.local ? (await import('../portal-url')).rememberedPortalUrl(path.resolve(opts.localDir)) : undefined);
    if (portal !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(portal)) throw new UsageError(`--portal-url must be the portal's address, such as https://d111.cloudfront.net, got "${portal}"`);
    await withTarget(opts, async (target) => {
      const unit = resolveUnitOption(target.county, opts.unit);
      const { issueUploadToken } = await import('../../shared/core/upload-access/token');
      const { chineseDateTime } = await import('../../shared/core/county/time');
      const store = await tokenStore(target.names.table);
      const { token: text, record } = issueUploadToken({ county: target.county.config.id, unitId: unit.id, createdBy: opts.by, now: new Date(), validDays: days });
      await store.put(record);
      const link = `${portal ? portal.replace(/\/$/, '') : '<门户地址>'}/clerk.html#t=${text}`;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ tokenId: record.tokenId, unitId: unit.id, token: text, link: portal ? link : undefined, validUntil: record.validUntil }, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        [
          `${unit.name}的报送链接，有效期至${chineseDateTime(new Date(record.validUntil), target.county.config.timeZone)}（只显示这一次，请发给该单位的填报人）：`,
          `  ${link}`,
          ...(portal ? [] : ['  （<门户地址>换成县门户的网址：部署输出PortalUrl；本机先运行 serve，或用 --portal-url 指定）']),
          '',
        ].join('\n'),
      );
      process.stderr.write(`token ${record.tokenId} for ${unit.id}, valid until ${record.validUntil}; for \`upload --token\`, the text after #t=\n`);
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
      process.stdout.write(`${unit.name}：${active.length ? `已撤销${active.length}个报送链接（${active.map((t) => t.tokenId).join('、')}）` : '没有有效的报送链接，无需撤销'}\n`);
    });
  });

  addTargetOptions(
    token.command('list').description("list a unit's upload tokens (ids and state, never the secret)").requiredOption('--unit <unit>', 'unit id or name'),
  ).action(async (opts: TargetOptions & { unit: string }) => {
    await withTarget(opts, async (target) => {
      const unit = resolveUnitOption(target.county, opts.unit);
      const { chineseDateTime } = await import('../../shared/core/county/time');
      const when = (iso: string) => chineseDateTime(new Date(iso), target.county.config.timeZone);
      const store = await tokenStore(target.names.table);
      const now = Date.now();
      const records = await store.listByUnit(unit.id);
      if (records.length === 0) process.stdout.write(`${unit.name}：还没有报送链接\n`);
      for (const t of records) {
        const state = t.revokedAt ? `已于${when(t.revokedAt)}由${t.revokedBy ?? '?'}撤销` : Date.parse(t.validUntil) <= now ? '已过期' : '有效';
        process.stdout.write(`${t.tokenId}  ${state}  ${when(t.createdAt)}由${t.createdBy}创建，有效期至${when(t.validUntil)}\n`);
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
