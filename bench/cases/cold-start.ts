import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, Metafile } from 'esbuild';
import { LAZY_PACKAGES } from '../../infra/lazy-packages';
import { copyCountyConfigCommands } from '../../infra/constructs/county-function';
import { median, pairedRatio, round1, round3 } from '../measure';
import { initProfile } from '../profile-init';
import type { BenchRow } from '../report';

/**
 * cold-start-*: each Lambda entry bundled as CDK's NodejsFunction does for
 * this stack (infra/constructs/county-function.ts: cjs, minify, and the AWS
 * SDK v3 bundled — externalModules: [] — so the tested SDK is the one that
 * runs), then loaded in a fresh `node` process: the time from before
 * require() to after it returns is the bundle's load + module init (what
 * Lambda's Init phase adds to the runtime's own start, which is the same for
 * every bundle). Compared with a bundle that only creates the two clients.
 */
const REPO = path.resolve(__dirname, '..', '..');

export interface Bundle {
  file: string;
  bytes: number;
  metafile: Metafile;
}

export async function bundle(entry: string, outDir: string, name: string, minify = true, external: string[] = [], sourcemap = false): Promise<Bundle> {
  const file = path.join(outDir, `${name}.js`);
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify,
    external,
    // As infra deploys it: a .map beside the bundle, without the sources' text.
    ...(sourcemap ? { sourcemap: true, sourcesContent: false } : {}),
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: REPO,
  });
  return { file, bytes: statSync(file).size, metafile: result.metafile };
}

/**
 * The bundle's bytes split by when they run: modules reached from the entry
 * through static imports are evaluated by require() at cold start; the rest
 * (reached only through `await import()`, e.g. the submission parsers, which
 * esbuild keeps in the same cjs file but initialises on first call) wait for
 * the first request that needs them.
 */
export function loadSplit(b: Bundle, entry: string): { atLoad: number; lazy: number; lazyBy: string } {
  const { inputs } = b.metafile;
  const atLoad = new Set([entry]);
  const stack = [entry];
  while (stack.length > 0) {
    for (const imp of inputs[stack.pop()!]?.imports ?? []) {
      if (imp.kind === 'dynamic-import' || imp.external || atLoad.has(imp.path)) continue;
      atLoad.add(imp.path);
      stack.push(imp.path);
    }
  }
  const lazyBytes = new Map<string, number>();
  let lazy = 0;
  for (const output of Object.values(b.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (!atLoad.has(input)) {
        lazy += bytesInOutput;
        const key = packageOf(input);
        lazyBytes.set(key, (lazyBytes.get(key) ?? 0) + bytesInOutput);
      }
    }
  }
  // esbuild's runtime and the glue between modules belong to no input: charge them to load.
  const atLoadBytes = b.bytes - lazy;
  const lazyBy = [...lazyBytes].sort((a, b2) => b2[1] - a[1]).map(([k, n]) => `${k} ${Math.round(n / 1024)} KiB`).join(', ');
  return { atLoad: atLoadBytes, lazy, lazyBy };
}

function packageOf(input: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return m ? m[1]! : input.split('/').slice(0, 3).join('/');
}

/** Package (or repo folder) → bytes in the output, biggest first. */
export function biggestInputs(metafile: Metafile, top: number): string {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const key = packageOf(input);
      bytes.set(key, (bytes.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, b]) => `${k} ${Math.round(b / 1024)} KiB`)
    .join(', ');
}

const LOADER = `
const t0 = performance.now();
const mod = require(process.argv[1]);
const t1 = performance.now();
if (typeof mod.handler !== 'function') throw new Error('no handler export');
process.stdout.write(JSON.stringify({ initMs: t1 - t0, sinceProcessStartMs: t1 }));
`;

let bundledCounty: string | undefined;

/**
 * Lingshou's folder as a Lambda bundle holds it, made by infra's own copy
 * commands: its JSON files and the snapshot the cold start reads instead of
 * checking them again (shared/core/county/snapshot.ts).
 */
export function bundledCountyDir(): string {
  if (!bundledCounty) {
    const out = mkdtempSync(path.join(tmpdir(), 'yearly-report-bench-county-'));
    for (const command of copyCountyConfigCommands(REPO, out, 'lingshou')) execSync(command);
    process.on('exit', () => rmSync(out, { recursive: true, force: true }));
    bundledCounty = path.join(out, 'county');
  }
  return bundledCounty;
}

export function handlerEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    // Only the lazy variant requires anything from outside its bundle, and only on first use.
    NODE_PATH: path.join(REPO, 'node_modules'),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    COUNTY_ID: 'lingshou',
    COUNTY_CONFIG_DIR: bundledCountyDir(),
    SUBMISSIONS_BUCKET: 'yearly-report-lingshou-bench-submissions',
    REPORTS_BUCKET: 'yearly-report-lingshou-bench-reports',
    TABLE_NAME: 'yearly-report-lingshou-bench',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };
}

/** Load + init of a bundle in a fresh node process (ms), and the process's wall time. */
export function coldLoad(file: string, nodeOptions: string[] = []): { initMs: number; wallMs: number } {
  const start = performance.now();
  const out = spawnSync(process.execPath, [...nodeOptions, '-e', LOADER, file], { env: handlerEnv(), encoding: 'utf8', timeout: 60_000 });
  const wallMs = performance.now() - start;
  if (out.status !== 0) throw new Error(`loading ${path.basename(file)} failed: ${(out.stderr || out.stdout).trim().split('\n').slice(-3).join(' ')}`);
  const parsed = JSON.parse(out.stdout) as { initMs: number };
  return { initMs: parsed.initMs, wallMs };
}

/** The Lambda entries measured; each gives a bundle-<name> and a cold-start-<name> row. */
export const HANDLERS = ['ingest', 'aggregate', 'upload-api'] as const;

export async function benchColdStart(rounds: number, quick = false): Promise<BenchRow[]> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'yearly-report-bench-bundles-'));
  try {
    const minimal = await bundle(path.join(REPO, 'bench', 'entries', 'minimal-handler.ts'), outDir, 'minimal');
    // The deployed functions run with NODE_OPTIONS=--enable-source-maps (infra/constructs/county-function.ts): node then
    // reads and parses the bundle's .map at load. Measured too, for the note; the goal compares the bundles without it.
    // --quick leaves out the comparisons (as deployed, everything inlined) to stay under a minute.
    const minimalMapped = quick ? undefined : await bundle(path.join(REPO, 'bench', 'entries', 'minimal-handler.ts'), outDir, 'minimal-mapped', true, [], true);
    // What zod alone costs at init, classic API vs zod/mini: the largest share left once the big libraries are lazy.
    const zodProbe = { classic: await bundle(path.join(REPO, 'bench', 'entries', 'zod-classic.ts'), outDir, 'zod-classic'), mini: await bundle(path.join(REPO, 'bench', 'entries', 'zod-mini.ts'), outDir, 'zod-mini') };
    const zodTimes = { classic: [] as number[], mini: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      zodTimes.classic.push(coldLoad(zodProbe.classic.file).initMs);
      zodTimes.mini.push(coldLoad(zodProbe.mini.file).initMs);
    }
    const zodText = `zod alone (import + one schema, own bundle): ${round1(median(zodTimes.classic))} ms classic vs ${round1(median(zodTimes.mini))} ms zod/mini`;
    const rows: BenchRow[] = [];
    const minimalSplit = loadSplit(minimal, 'bench/entries/minimal-handler.ts');
    for (const fn of HANDLERS) {
      const id = `cold-start-${fn}`;
      try {
        // As infra bundles it: the libraries only some paths use are bundled apart and loaded on first use.
        const ours = await bundle(path.join(REPO, 'functions', fn, 'handler.ts'), outDir, fn, true, [...LAZY_PACKAGES]);
        // For comparison: everything in the handler's one bundle.
        const inlined = quick ? undefined : await bundle(path.join(REPO, 'functions', fn, 'handler.ts'), outDir, `${fn}-inlined`);
        const oursMapped = quick ? undefined : await bundle(path.join(REPO, 'functions', fn, 'handler.ts'), outDir, `${fn}-mapped`, true, [...LAZY_PACKAGES], true);
        const sides = [ours, minimal, inlined, oursMapped, minimalMapped].filter((b): b is Bundle => b !== undefined);
        const optionsOf = (b: Bundle) => (b === oursMapped || b === minimalMapped ? ['--enable-source-maps'] : []);
        for (const b of sides) coldLoad(b.file, optionsOf(b)); // page cache warm for all, so disk reads do not decide
        const samples = new Map(sides.map((b) => [b, { init: [] as number[], wall: [] as number[] }]));
        for (let round = 0; round < rounds; round++) {
          const order = round % 2 === 0 ? sides : [...sides].reverse();
          for (const b of order) {
            const r = coldLoad(b.file, optionsOf(b));
            samples.get(b)!.init.push(r.initMs);
            samples.get(b)!.wall.push(r.wallMs);
          }
        }
        const unminified = await bundle(path.join(REPO, 'functions', fn, 'handler.ts'), outDir, `${fn}-unminified`, false, [...LAZY_PACKAGES]);
        const profile = initProfile(unminified.file, LOADER, handlerEnv(), 7);
        const oursMs = median(samples.get(ours)!.init);
        const minimalMs = median(samples.get(minimal)!.init);
        const compared = (b: Bundle | undefined, base: Bundle | undefined) =>
          b && base ? { ms: round1(median(samples.get(b)!.init)), base: round1(median(samples.get(base)!.init)), ratio: round3(pairedRatio(samples.get(b)!.init, samples.get(base)!.init)) } : undefined;
        const inlinedVs = compared(inlined, minimal);
        const mappedVs = compared(oursMapped, minimalMapped);
        const split = loadSplit(ours, `functions/${fn}/handler.ts`);
        rows.push({
          id: `bundle-${fn}`,
          value: Math.round(split.atLoad / 1024),
          unit: 'KiB',
          baseline: Math.round(minimalSplit.atLoad / 1024),
          ratio: round3(split.atLoad / minimalSplit.atLoad),
          note:
            `minified handler bundle less what only a later import() reaches (loaded lazily, on first use): ${(ours.bytes / 1024).toFixed(0)} KiB in the file, of which ${(split.lazy / 1024).toFixed(0)} KiB lazy (${split.lazyBy}); ` +
            `${LAZY_PACKAGES.join(', ')} are separate bundles (infra/lazy-packages.ts) and not counted; baseline: the minimal S3+DynamoDB handler the same way (${(minimal.bytes / 1024).toFixed(0)} KiB in the file)`,
        });
        rows.push({
          id,
          value: round1(oursMs),
          unit: 'ms',
          baseline: round1(minimalMs),
          ratio: round3(pairedRatio(samples.get(ours)!.init, samples.get(minimal)!.init)),
          note:
            `bundle ${(ours.bytes / 1024).toFixed(0)} KiB vs minimal ${(minimal.bytes / 1024).toFixed(0)} KiB (esbuild cjs, minify, node20, @aws-sdk bundled and ${LAZY_PACKAGES.join(', ')} bundled apart, as in infra); ` +
            `require()+init in a fresh node, ${rounds} alternating rounds, ratio = median of the per-round ratios; whole process ${Math.round(median(samples.get(ours)!.wall))} vs ${Math.round(median(samples.get(minimal)!.wall))} ms; ` +
            (inlined && inlinedVs ? `with ${LAZY_PACKAGES.join(', ')} inlined instead: ${(inlined.bytes / 1024).toFixed(0)} KiB, ${inlinedVs.ms} ms, ratio ${inlinedVs.ratio}; ` : '') +
            (mappedVs ? `as deployed, with the .map and --enable-source-maps (both sides): ${mappedVs.ms} vs ${mappedVs.base} ms, ratio ${mappedVs.ratio}; ` : '(--quick: no inlined or as-deployed comparison); ') +
            `biggest inputs: ${biggestInputs(ours.metafile, 6)}; init CPU profile (unminified build): ${profile}; ${zodText}`,
        });
      } catch (err) {
        const note = `not measured: ${(err as Error).message.split('\n')[0]}`;
        if (!rows.some((r) => r.id === `bundle-${fn}`)) rows.push({ id: `bundle-${fn}`, value: null, unit: 'KiB', baseline: null, ratio: null, note });
        rows.push({ id, value: null, unit: 'ms', baseline: null, ratio: null, note });
      }
    }
    return rows;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
