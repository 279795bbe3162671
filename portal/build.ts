import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The portal's one static build (esbuild): clerk.js, office.js, portal.css
 * and the HTML pages, for the local server (in memory) and the stack's site
 * bucket (written to a folder) alike. No framework; targets the Chromium
 * versions inside 360 and WPS browsers (Chrome 86+).
 */
export interface SiteFile {
  bytes: Uint8Array;
  contentType: string;
}

const PORTAL_DIR = __dirname;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

const ESBUILD_OPTIONS: import('esbuild').BuildOptions = {
  entryPoints: ['clerk.ts', 'office.ts', 'portal.css'].map((f) => path.join(PORTAL_DIR, 'src', f)),
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome86'],
  legalComments: 'none',
  logLevel: 'silent',
};

export async function buildPortalSite(): Promise<Map<string, SiteFile>> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({ ...ESBUILD_OPTIONS, outdir: '/portal-out', write: false });
  const files = new Map<string, SiteFile>();
  for (const out of result.outputFiles ?? []) {
    const name = path.basename(out.path);
    files.set(name, { bytes: out.contents, contentType: TYPES[path.extname(name)]! });
  }
  for (const page of readdirSync(path.join(PORTAL_DIR, 'pages'))) {
    files.set(page, { bytes: readFileSync(path.join(PORTAL_DIR, 'pages', page)), contentType: TYPES[path.extname(page)] ?? 'application/octet-stream' });
  }
  return files;
}

/** Writes the build into a folder (the CDK deploys it to the site bucket). */
export async function writePortalSite(outDir: string, extra: Record<string, string> = {}): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const files = await buildPortalSite();
  for (const [name, text] of Object.entries(extra)) files.set(name, { bytes: Buffer.from(text), contentType: TYPES[path.extname(name)]! });
  for (const [name, file] of files) writeFileSync(path.join(outDir, name), file.bytes);
  return [...files.keys()].sort();
}

/** The same build, synchronously, for CDK's local bundling hook (infra/constructs/portal-site.ts). */
export function buildPortalSiteSync(outDir: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  mkdirSync(outDir, { recursive: true });
  esbuild.buildSync({ ...ESBUILD_OPTIONS, outdir: outDir, write: true });
  for (const page of readdirSync(path.join(PORTAL_DIR, 'pages'))) writeFileSync(path.join(outDir, page), readFileSync(path.join(PORTAL_DIR, 'pages', page)));
}
