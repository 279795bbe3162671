import path from 'node:path';
import type { LocalPipeline } from '../shared/local/local-pipeline';
import { reportYearAt } from '../shared/core/aggregate-event';
import { countyDirInRepo, loadCounty } from '../shared/core/county/load';
import { dayBeforeDeadline } from './demo-run';

/**
 * `serve --local` and `demo --serve`: the portal on loopback over the
 * emulators until Ctrl-C. With a past year, the server's clock starts the day
 * before that year's deadline and runs on from there, so its collection
 * window is open (as the demo replays it); audit times follow that clock.
 */
export interface ServeOptions {
  countyId: string;
  stateDir: string;
  countyDir?: string;
  year?: number;
  port?: number;
  out: NodeJS.WritableStream;
  /** A pipeline already running in this process (the demo's), served over and left running; a new one by default. */
  pipeline?: LocalPipeline;
  /** Resolves when the server should stop (Ctrl-C by default). */
  until?: Promise<void>;
}

export async function runPortal(options: ServeOptions): Promise<void> {
  const countyDir = options.countyDir ? path.resolve(options.countyDir) : countyDirInRepo(options.countyId);
  const county = loadCounty(countyDir);
  const realYear = reportYearAt(new Date(), county.config.timeZone);
  const startedAt = Date.now();
  const start = options.year !== undefined && options.year !== realYear ? dayBeforeDeadline(options.year, county.config.collection.deadline) : undefined;
  const now = start ? () => new Date(start.getTime() + (Date.now() - startedAt)) : () => new Date();

  const { startPortalServer } = await import('../shared/local/portal-server');
  let pipeline = options.pipeline;
  if (pipeline) pipeline.deliverAutomatically(start ? now : undefined);
  else {
    const { LocalPipeline } = await import('../shared/local/local-pipeline');
    pipeline = await LocalPipeline.start({ countyId: options.countyId, countyConfigDir: countyDir, stateDir: options.stateDir, autoDeliver: true, uploadTime: start ? now : undefined });
  }
  try {
    const { startRemembered, rememberPortalUrl } = await import('./portal-url');
    const server = await startRemembered(options.stateDir, options.port, (port) => startPortalServer({ pipeline, county, now, port }));
    rememberPortalUrl(options.stateDir, server.url);
    const unit = county.config.units.find((u) => u.roles.includes('justice_bureau')) ?? county.config.units[0]!;
    const link = await server.unitLink(unit.id);
    options.out.write(
      [
        '',
        `${county.config.name} portal on ${server.url} (${reportYearAt(now(), county.config.timeZone)}年度${start ? `, clock set to ${now().toISOString()}` : ''}); Ctrl-C stops it.`,
        `  office dashboard (sign in at the local OpenID provider's page):`,
        `    ${server.officeUrl}`,
        ...server.provider.accounts.map((a) => `    账号 ${a.login}  密码 ${a.password}  (${a.name}, role ${a.groups.join(', ') || 'none'})`),
        `  unit link for ${unit.name} (more on the office page, 单位报送链接):`,
        `    ${link}`,
        '',
      ].join('\n'),
    );
    await (options.until ?? untilInterrupted());
    await server.close();
  } finally {
    if (!options.pipeline) await pipeline.stop();
  }
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
