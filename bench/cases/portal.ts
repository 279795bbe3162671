import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { dayBeforeDeadline } from '../../cli/demo-run';
import { buildPortalSite } from '../../portal/build';
import { pollDelay } from '../../portal/src/poll';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { buildTemplateWorkbook } from '../../shared/core/submission/template-workbook';
import { LocalPipeline, type LocalPipelineOptions } from '../../shared/local/local-pipeline';
import { startPortalServer } from '../../shared/local/portal-server';
import { pairedRatio, round1, round3, sideBySide } from '../measure';
import { TEMPLATE_INDICATOR_COLUMN } from '../../shared/core/submission/layout';
import type { BenchRow } from '../report';

/**
 * portal-weight: what a browser downloads to run the pages, JS and CSS
 * gzipped (the HTML is a few hundred bytes more), from the same esbuild build
 * the stack deploys.
 */
export async function benchPortalWeight(): Promise<BenchRow> {
  const site = await buildPortalSite();
  const parts = [...site].filter(([name]) => /\.(js|css)$/.test(name)).map(([name, f]) => ({ name, raw: f.bytes.length, gz: gzipSync(f.bytes, { level: 9 }).length }));
  const total = parts.reduce((n, p) => n + p.gz, 0);
  return {
    id: 'portal-weight',
    value: round1(total / 1024),
    unit: 'KB gz',
    baseline: null,
    ratio: null,
    note: `clerk page + office page together: ${parts.map((p) => `${p.name} ${(p.raw / 1024).toFixed(1)} KB → ${(p.gz / 1024).toFixed(1)} KB gz`).join(', ')}`,
  };
}

/**
 * portal-upload-outcome: one filled template uploaded as the clerk's page
 * does it (grant from the portal API, POST to S3, the notification delivered
 * to ingest, outcome polled on the page's schedule, figures as read) against
 * the bare ingest of the same bytes (put the object, deliver its notification
 * to the ingest handler, read the recorded outcome), alternating, same
 * emulators, each round under a new file name.
 */
export async function benchPortalUpload(rounds: number): Promise<BenchRow> {
  const county = loadCounty(countyDirInRepo('lingshou'));
  const year = 2021;
  const unit = county.config.units.find((u) => u.id === 'justice_bureau')!;
  const bytes = await filledTemplate(county, year, unit);
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-bench-portal-'));
  const start = dayBeforeDeadline(year, county.config.collection.deadline);
  const startedAt = Date.now();
  const now = () => new Date(start.getTime() + (Date.now() - startedAt));
  const options: LocalPipelineOptions = { countyId: 'lingshou', stateDir, autoDeliver: true, uploadTime: now };
  const pipeline = await LocalPipeline.start(options);
  const server = await startPortalServer({ pipeline, county, now });
  try {
    const link = await server.unitLink(unit.id);
    const token = link.slice(link.indexOf('#t=') + 3);
    // Warm-up: the first delivery loads the ingest handler and its libraries.
    await uploadAsPage(server.url, token, '司法局-warmup.xlsx', bytes);
    options.autoDeliver = false;
    await pipeline.upload([{ year, unitId: unit.id, fileName: '司法局-warmup-bare.xlsx', bytes }]);
    const result = await sideBySide(
      rounds,
      async (round) => {
        options.autoDeliver = true; // as in AWS: S3 → SQS → ingest, with nobody calling deliver()
        const t0 = performance.now();
        const outcome = await uploadAsPage(server.url, token, `司法局-portal-${round}.xlsx`, bytes);
        const ms = performance.now() - t0;
        if (outcome !== 'accepted') throw new Error(`portal upload ${outcome}`);
        return ms;
      },
      async (round) => {
        // The bench delivers this notification itself (the options object is the pipeline's own, read per event).
        options.autoDeliver = false;
        const t0 = performance.now();
        const [res] = await pipeline.upload([{ year, unitId: unit.id, fileName: `司法局-bare-${round}.xlsx`, bytes }]);
        const ms = performance.now() - t0;
        if (res?.record?.status !== 'accepted') throw new Error(`bare ingest ${res?.record?.status}: ${res?.record?.reason ?? ''} ${res?.errorReport?.slice(0, 300) ?? ''}`);
        return ms;
      },
    );
    return {
      id: 'portal-upload-outcome',
      value: round1(result.oursMedian),
      unit: 'ms',
      baseline: round1(result.baselineMedian),
      ratio: round3(pairedRatio(result.ours, result.baseline)),
      note: `${(bytes.length / 1024).toFixed(0)} KB filled template of ${unit.name}; portal: grant + POST + ingest + outcome with figures (page's poll schedule) ${result.ours.map((m) => m.toFixed(0)).join('/')} ms; bare: put + ingest handler + outcome ${result.baseline.map((m) => m.toFixed(0)).join('/')} ms`,
    };
  } finally {
    await server.close();
    await pipeline.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function filledTemplate(county: ReturnType<typeof loadCounty>, year: number, unit: (typeof county.config.units)[number]): Promise<Buffer> {
  const template = await buildTemplateWorkbook({ county, catalogue: county.catalogue, year, unit });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as unknown as ArrayBuffer); // exceljs's load() typing wants its own Buffer flavour
  let n = 0;
  wb.getWorksheet('指标')!.eachRow((row, i) => {
    if (i > 1 && row.getCell(TEMPLATE_INDICATOR_COLUMN.unit).value !== '%') row.getCell(TEMPLATE_INDICATOR_COLUMN.value).value = 10 + n++;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function uploadAsPage(url: string, token: string, fileName: string, bytes: Uint8Array): Promise<string> {
  const auth = { authorization: `Bearer ${token}` };
  const grant = (await (await fetch(`${url}/api/clerk/uploads`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ fileName }) })).json()) as {
    url: string;
    fields: Record<string, string>;
    key: string;
  };
  const form = new FormData();
  for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  const posted = await fetch(grant.url, { method: 'POST', body: form });
  const query = new URLSearchParams({ key: grant.key, eTag: posted.headers.get('etag')!.replaceAll('"', '') });
  for (let attempt = 0; attempt < 400; attempt++) {
    await new Promise((r) => setTimeout(r, pollDelay(attempt)));
    const body = (await (await fetch(`${url}/api/clerk/outcome?${query}`, { headers: auth })).json()) as { state: string };
    if (body.state !== 'pending') return body.state;
  }
  return 'pending';
}
