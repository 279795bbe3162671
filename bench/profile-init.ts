import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Where a bundle's init time goes: load the (unminified) bundle under
 * `node --cpu-prof`, then charge each sample's self time to the input module
 * whose code it was in. esbuild's unminified output marks every module with a
 * `// <path>` comment line, so a line number is enough to know the module.
 * Outside the bundle's code, only compiling the bundle and gc are counted;
 * node's own start-up is the same for every bundle and is left out.
 * Grouped by package, or by repository folder for our code.
 */
const RUNTIME = '(esbuild runtime)';

interface CpuProfile {
  nodes: { id: number; callFrame: { url: string; lineNumber: number; functionName: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export function initProfile(bundleFile: string, loader: string, env: NodeJS.ProcessEnv, top: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'yearly-report-bench-prof-'));
  try {
    const out = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, '-e', loader, bundleFile], { env, encoding: 'utf8', timeout: 60_000 });
    if (out.status !== 0) throw new Error(`profiling ${path.basename(bundleFile)} failed: ${out.stderr.trim().split('\n').at(-1)}`);
    const profileFile = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!profileFile) throw new Error('no .cpuprofile written');
    const profile = JSON.parse(readFileSync(path.join(dir, profileFile), 'utf8')) as CpuProfile;
    const moduleAt = moduleIndex(readFileSync(bundleFile, 'utf8'));
    const bundleUrl = `file://${bundleFile}`;
    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const parentOf = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
    // esbuild's helpers (__toESM, __copyProps …) run on behalf of the module that called them.
    const ownerOf = (id: number): string => {
      for (let cur: number | undefined = id; cur !== undefined; cur = parentOf.get(cur)) {
        const frame = byNode.get(cur)!.callFrame;
        if (frame.url !== bundleUrl) continue;
        const module = moduleAt(frame.lineNumber);
        if (module !== RUNTIME) return groupOf(module);
      }
      return RUNTIME;
    };
    const ms = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const frame = byNode.get(id)!.callFrame;
      let key: string | undefined;
      if (frame.url === bundleUrl) key = ownerOf(id);
      else if (frame.functionName === 'wrapSafe') key = '(compiling the bundle)';
      else if (frame.functionName === '(garbage collector)') key = '(gc)';
      // Anything else is node starting up or writing output: the same for every bundle.
      if (key) ms.set(key, (ms.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    return [...ms]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]) => `${k} ${Math.round(t)} ms`)
      .join(', ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Line number (0-based, as V8 reports) → the module whose code starts at or before it. */
function moduleIndex(source: string): (line: number) => string {
  const starts: { line: number; module: string }[] = [];
  source.split('\n').forEach((text, line) => {
    const m = /^\/\/ ((?:node_modules|shared|functions|bench)\/\S+\.(?:[cm]?js|ts|json))$/.exec(text);
    if (m) starts.push({ line, module: m[1]! });
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = RUNTIME;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.line <= line) {
        found = starts[mid]!.module;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

function groupOf(module: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
  if (pkg) return pkg[1]!;
  return module.split('/').slice(0, -1).join('/') || module;
}
