import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dayBeforeDeadline } from '../../cli/demo-run';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { LocalPipeline } from '../../shared/local/local-pipeline';
import type { LocalAccount } from '../../shared/local/local-oidc-provider';
import { startPortalServer, type PortalServer } from '../../shared/local/portal-server';

/**
 * The portal as `serve --local --year 2021` runs it: emulators, autoDeliver,
 * the server's clock in 2021's collection window (the day before Lingshou's
 * deadline), so the year is open whatever today's date is.
 */
export interface PortalHarness {
  server: PortalServer;
  pipeline: LocalPipeline;
  stop(): Promise<void>;
}

export const YEAR = 2021;

/**
 * The office's accounts at the local OpenID provider: two different people
 * both named 王芳 (the audit must tell them apart), a viewer, someone with
 * neither role, and one whose session runs out after a few seconds.
 */
export const OFFICE_ACCOUNTS = {
  wangfang: { login: 'wangfang', password: 'wangfang-pw', name: '王芳', groups: ['office'] },
  wangfang2: { login: 'wangfang2', password: 'wangfang2-pw', name: '王芳', groups: ['office'] },
  liming: { login: 'liming', password: 'liming-pw', name: '李明', groups: ['viewer'] },
  visitor: { login: 'visitor', password: 'visitor-pw', name: '访客', groups: [] },
  brief: { login: 'brief', password: 'brief-pw', name: '赵短', groups: ['office'], idTokenSeconds: 5 },
} satisfies Record<string, LocalAccount>;

export async function startPortal(): Promise<PortalHarness> {
  const county = loadCounty(countyDirInRepo('lingshou'));
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-portal-'));
  const start = dayBeforeDeadline(YEAR, county.config.collection.deadline);
  const startedAt = Date.now();
  const now = () => new Date(start.getTime() + (Date.now() - startedAt));
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  const pipeline = await LocalPipeline.start({ countyId: 'lingshou', stateDir, autoDeliver: true, uploadTime: now });
  const server = await startPortalServer({ pipeline, county, now, accounts: Object.values(OFFICE_ACCOUNTS) });
  return {
    server,
    pipeline,
    stop: async () => {
      await server.close();
      await pipeline.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** The clerk's upload as the page does it: grant, POST to the bucket, poll the outcome. */
export async function uploadAsClerk(baseUrl: string, token: string, fileName: string, bytes: Uint8Array): Promise<{ status: number; body: Record<string, unknown> }> {
  const auth = { authorization: `Bearer ${token}` };
  const grantResponse = await fetch(`${baseUrl}/api/clerk/uploads`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ fileName }) });
  const grant = (await grantResponse.json()) as { url: string; fields: Record<string, string>; key: string };
  if (grantResponse.status !== 200) return { status: grantResponse.status, body: grant as unknown as Record<string, unknown> };
  const form = new FormData();
  for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  const posted = await fetch(grant.url, { method: 'POST', body: form });
  if (!posted.ok) throw new Error(`S3 POST ${posted.status}: ${await posted.text()}`);
  const query = new URLSearchParams({ key: grant.key, eTag: posted.headers.get('etag')!.replaceAll('"', '') });
  for (let i = 0; i < 200; i++) {
    const out = await fetch(`${baseUrl}/api/clerk/outcome?${query}`, { headers: auth });
    const body = (await out.json()) as Record<string, unknown>;
    if (body.state !== 'pending') return { status: out.status, body };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no outcome');
}

export const tokenOf = (link: string) => link.slice(link.indexOf('#t=') + 3);
