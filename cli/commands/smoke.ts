import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../usage-error';

/**
 * `smoke`: after `cdk deploy`, one upload through the deployed portal as a
 * clerk's page makes it, using only what a clerk has (a unit link; no AWS
 * credentials):
 *   1. spend the link on a session (POST /api/clerk/session);
 *   2. read the unit's overview (GET /api/clerk/me);
 *   3. ask for an upload grant and POST the file to S3 with it;
 *   4. wait for ingest's outcome (GET /api/clerk/outcome);
 *   5. for a rejected file, download its error report.
 * That crosses CloudFront, the WAF, the portal API, DynamoDB, S3, the bucket
 * notification, SQS and the ingest function. Without --file it uploads a
 * probe file that ingest must reject (so no unit's current submission
 * changes); the unit's upload history shows it as 部署检查-请忽略.json.
 */
interface SmokeOptions {
  link: string;
  file?: string;
  timeout: string;
}

export const PROBE_FILE_NAME = '部署检查-请忽略.json';

class SmokeFailure extends Error {}

export function register(program: Command): void {
  program
    .command('smoke')
    .description("post-deploy check: upload through the deployed portal with a unit link and read ingest's outcome")
    .requiredOption('--link <url>', 'a unit link (…/clerk.html#t=yrt_…) from `yearly-report links` or `token create`; the check spends it')
    .option('--file <path>', 'a real submission file to upload (it must be accepted); default a probe file ingest must reject')
    .option('--timeout <seconds>', "how long to wait for ingest's outcome", '120')
    .addHelpText('after', "\nExample:\n  npx yearly-report smoke --link 'https://portal.lingshou.example.cn/clerk.html#t=yrt_…'\n")
    .action(async (opts: SmokeOptions) => {
      const { origin, link } = parseLink(opts.link);
      const timeoutMs = Number(opts.timeout) * 1000;
      if (!(timeoutMs > 0)) throw new UsageError(`--timeout must be a number of seconds, got "${opts.timeout}"`);
      const say = (line: string) => process.stdout.write(`${line}\n`);
      try {
        const session = (await call<{ session: string }>(origin, link, '/api/clerk/session', { method: 'POST' })).session;
        say('1. link spent on a session (POST /api/clerk/session): ok');
        const me = await call<{ county: string; unit: { id: string; name: string }; year: number }>(origin, session, '/api/clerk/me');
        say(`2. overview (GET /api/clerk/me): ${me.county} ${me.unit.name} (${me.unit.id}), year ${me.year}`);
        const fileName = opts.file ? path.basename(opts.file) : PROBE_FILE_NAME;
        const bytes = opts.file ? readFileSync(opts.file) : Buffer.from(JSON.stringify({ $schema: 'yearly-report/submission-file@1', deployCheck: 'yearly-report smoke: not a submission, rejected on purpose' }));
        const grant = await call<{ url: string; fields: Record<string, string>; key: string }>(origin, session, '/api/clerk/uploads', { method: 'POST', body: { fileName } });
        const form = new FormData();
        for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
        form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
        const posted = await fetch(grant.url, { method: 'POST', body: form });
        if (!posted.ok) throw new SmokeFailure(`S3 refused the presigned POST: ${posted.status} ${(await posted.text()).slice(0, 300)}`);
        const versionId = posted.headers.get('x-amz-version-id') ?? undefined;
        const eTag = posted.headers.get('etag')?.replaceAll('"', '') ?? undefined;
        say(`3. uploaded ${fileName} (${bytes.byteLength} bytes) to ${new URL(grant.url).host} as ${grant.key}${versionId ? ` version ${versionId}` : ''}: ok`);
        const query = new URLSearchParams({ key: grant.key, ...(versionId ? { versionId } : {}), ...(eTag ? { eTag } : {}) });
        const until = Date.now() + timeoutMs;
        let outcome: { state: string; rows?: number; problemCount?: number; errorReportKey?: string; problems?: { message: string }[] } = { state: 'pending' };
        while (outcome.state === 'pending' && Date.now() < until) outcome = await call(origin, session, `/api/clerk/outcome?${query}`);
        if (outcome.state === 'pending') throw new SmokeFailure(`no outcome within ${opts.timeout} s: check the ingest function's logs and the queue's DLQ`);
        say(`4. ingest's outcome (GET /api/clerk/outcome): ${outcome.state}${outcome.rows !== undefined ? `, ${outcome.rows} rows` : ''}${outcome.problemCount !== undefined ? `, ${outcome.problemCount} problem(s)` : ''}`);
        if (opts.file) {
          if (outcome.state !== 'accepted') throw new SmokeFailure(`the file was not accepted: ${(outcome.problems ?? []).map((p) => p.message).join('; ')}`);
        } else {
          if (outcome.state !== 'rejected' || !outcome.errorReportKey) throw new SmokeFailure(`the probe file must be rejected with an error report, got ${outcome.state}`);
          const report = await fetch(`${origin}/api/clerk/error-report?key=${encodeURIComponent(outcome.errorReportKey)}`, { headers: { authorization: `Bearer ${session}` } });
          if (!report.ok) throw new SmokeFailure(`the error report did not download: ${report.status}`);
          say(`5. error report (GET /api/clerk/error-report): ${(await report.arrayBuffer()).byteLength} bytes: ok`);
        }
        say(`smoke check passed: ${origin}`);
      } catch (err) {
        if (!(err instanceof SmokeFailure)) throw err;
        process.stderr.write(`smoke check FAILED: ${err.message}\n`);
        process.exitCode = 1;
      }
    });
}

function parseLink(text: string): { origin: string; link: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--link is not a URL: "${text}"`);
  }
  const link = new URLSearchParams(url.hash.slice(1)).get('t');
  if (!link || !url.pathname.endsWith('/clerk.html')) throw new UsageError('--link must be a unit link, …/clerk.html#t=yrt_…');
  return { origin: url.origin, link };
}

async function call<T>(origin: string, credential: string, route: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${origin}${route}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${credential}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new SmokeFailure(`${init.method ?? 'GET'} ${route.split('?')[0]}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}
