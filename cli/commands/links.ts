import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { addTargetOptions, type TargetOptions, withTarget } from '../county-target';
import { resolveUnitOption } from '../options';
import { UsageError } from '../usage-error';

/**
 * `links`: every unit's link at once, after `cdk deploy` (or when the office
 * re-sends them), as a printable HTML sheet for the county office: unit name,
 * link, expiry in the county's time, a QR code per unit
 * (shared/core/portal/link-sheet.ts). Each link is a new upload token, stored
 * hashed like `token create`'s; `--replace` first revokes each unit's links
 * still in force, so an earlier sheet stops working. The sheet is itself a
 * set of credentials: the engineer hands it to the office, not to a share.
 */
interface LinksOptions extends TargetOptions {
  portalUrl: string;
  days: string;
  unit?: string[];
  out?: string;
  replace?: boolean;
  by: string;
}

export function register(program: Command): void {
  addTargetOptions(
    program
      .command('links')
      .description("issue a new link for every unit (or --unit …) and write the county office's printable list (HTML: unit, link, expiry, QR code)")
      .requiredOption('--portal-url <url>', 'the portal, as the stack output PortalUrl gives it (https://…/)')
      .option('--days <days>', 'how many days each link stays valid before it is opened', '120')
      .option('--unit <unit...>', 'only these units (id or name); default every unit of the county')
      .option('--out <file>', 'where to write the sheet (default out/links/<county>-<stage>-单位报送链接.html)')
      .option('--replace', "revoke each unit's earlier links still in force (a re-sent sheet replaces the old one)")
      .option('--by <name>', 'who issues them (recorded)', os.userInfo().username)
      .addHelpText('after', '\nExample:\n  npx yearly-report links --county lingshou --stage prod --portal-url https://portal.lingshou.example.cn/ --replace\n'),
  ).action(async (opts: LinksOptions) => {
    const days = Number(opts.days);
    if (!Number.isInteger(days) || days < 1 || days > 400) throw new UsageError(`--days must be a whole number of days between 1 and 400, got "${opts.days}"`);
    let portal: URL;
    try {
      portal = new URL(opts.portalUrl);
    } catch {
      throw new UsageError(`--portal-url is not a URL: "${opts.portalUrl}"`);
    }
    if (portal.protocol !== 'https:' && !(opts.local && portal.protocol === 'http:')) throw new UsageError(`--portal-url must be https:// (the portal's CloudFront or custom domain), got "${opts.portalUrl}"`);
    await withTarget(opts, async (target) => {
      const [{ issueUploadToken, CLERK_SESSION_HOURS }, { chineseDateTime }, { linkSheetHtml }, QRCode, { createDocumentClient }, { DynamoUploadTokenStore }] = await Promise.all([
        import('../../shared/core/upload-access/token'),
        import('../../shared/core/portal/status'),
        import('../../shared/core/portal/link-sheet'),
        import('qrcode'),
        import('../../shared/adapters/aws-clients'),
        import('../../shared/adapters/dynamo-upload-token-store'),
      ]);
      const { config } = target.county;
      const units = opts.unit?.length ? opts.unit.map((u) => resolveUnitOption(target.county, u)) : config.units;
      const store = new DynamoUploadTokenStore(createDocumentClient(), target.names.table);
      const now = new Date();
      const page = new URL('clerk.html', portal.href.endsWith('/') ? portal.href : `${portal.href}/`);
      const cards = [];
      let revoked = 0;
      for (const unit of units) {
        if (opts.replace) {
          for (const old of await store.listByUnit(unit.id)) {
            if (old.revokedAt || Date.parse(old.validUntil) <= now.getTime()) continue;
            await store.revoke(old.tokenId, opts.by, now);
            revoked++;
          }
        }
        const { token, record } = issueUploadToken({ county: config.id, unitId: unit.id, createdBy: opts.by, now, validDays: days });
        await store.put(record);
        const link = `${page.href}#t=${token}`;
        // Error correction M: still reads from a creased or photocopied sheet, small enough for a 70-character link.
        const qrSvg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
        cards.push({ unitName: unit.name, link, validUntil: chineseDateTime(record.validUntil, config.timeZone), qrSvg, tokenId: record.tokenId });
      }
      const out = path.resolve(opts.out ?? path.join('out', 'links', `${config.id}-${opts.local ? 'local' : opts.stage}-单位报送链接.html`));
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, linkSheetHtml({ countyName: config.name, issuedAt: chineseDateTime(now, config.timeZone), sessionHours: CLERK_SESSION_HOURS, cards }), { mode: 0o600 });
      process.stderr.write(
        `${cards.length} unit link(s) issued at ${now.toISOString()}, valid ${days} days (token ids: ${cards.map((c) => c.tokenId).join(', ')})` +
          `${opts.replace ? `; ${revoked} earlier link(s) revoked` : ''}.\nThe sheet holds the links themselves (shown only now): give it to the county office to print.\n`,
      );
      process.stdout.write(`${out}\n`);
    });
  });
}
