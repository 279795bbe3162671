import { Session } from 'node:inspector/promises';
import path from 'node:path';

/**
 * Where one run of `work` spends its CPU, from V8's sampling profiler in this
 * process: self time per package (node_modules/<pkg>) or repository file,
 * plus the few hottest functions. For the notes of rows that miss a goal; the
 * profiled run is never one of the timed ones.
 */
const REPO = path.resolve(__dirname, '..');

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string; lineNumber: number };
}

export async function profileOnce(work: () => Promise<unknown>, top = 6): Promise<{ byModule: string; byFunction: string }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    await work();
    const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
    const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    const modules = new Map<string, number>();
    const functions = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id)!;
      if (frame.functionName === '(idle)' || frame.functionName === '(program)') return;
      // The inspector answering this very session.
      if (frame.functionName === 'dispatch' && frame.url === '') return;
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      const where = moduleOf(frame.url, frame.functionName);
      modules.set(where, (modules.get(where) ?? 0) + ms);
      if (where !== '(gc)') {
        const fn = `${frame.functionName || '(anonymous)'} (${where})`;
        functions.set(fn, (functions.get(fn) ?? 0) + ms);
      }
    });
    const list = (m: Map<string, number>) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([k, v]) => `${k} ${Math.round(v)}`)
        .join(', ');
    return { byModule: list(modules), byFunction: list(functions) };
  } finally {
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}

function moduleOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return '(gc)';
  if (url === '') return '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return '(node)';
  const file = url.replace(/^file:\/\//, '');
  return file.startsWith(REPO) ? path.relative(REPO, file) : file;
}
