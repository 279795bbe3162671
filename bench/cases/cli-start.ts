import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { alternate, median, pairedRatio, round1, round3 } from '../measure';
import type { BenchRow } from '../report';

/**
 * cli-start: wall time of `yearly-report --help` in a fresh process (node
 * cli/bin.js, the bundle in dist/ that `npm ci` builds), against `node -e 0`,
 * the floor any node command pays. Alternated per round; the ratio is the
 * median of the per-round ratios. The note adds the same command run from
 * the TypeScript source (what every call cost before the bundle).
 */
const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.join(REPO, 'cli', 'bin.js');

function wallMs(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const start = performance.now();
  const out = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 60_000 });
  const ms = performance.now() - start;
  if (out.status !== 0) throw new Error(`node ${args.join(' ')} exited ${out.status}: ${(out.stderr || out.stdout).trim().split('\n').slice(-2).join(' ')}`);
  if (args[0] === BIN && out.stderr.includes('out of date')) throw new Error(`dist/cli.js is out of date; run npm run build first (${out.stderr.trim()})`);
  return ms;
}

export async function benchCliStart(rounds: number): Promise<BenchRow> {
  const { build } = require('../../cli/build-bundle') as { build(): Promise<{ inputs: number; ms: number }> };
  await build();
  wallMs([BIN, '--help']); // page cache warm
  const runs = await alternate(rounds, {
    ours: async () => wallMs([BIN, '--help']),
    node: async () => wallMs(['-e', '0']),
  });
  const fromSource = [0, 1, 2].map(() => wallMs([BIN, '--help'], { ...process.env, YEARLY_REPORT_FROM_SOURCE: '1' }));
  return {
    id: 'cli-start',
    value: round1(median(runs.ours!)),
    unit: 'ms',
    baseline: round1(median(runs.node!)),
    ratio: round3(pairedRatio(runs.ours!, runs.node!)),
    note:
      `wall time of \`node cli/bin.js --help\` (the esbuild bundle dist/cli.js) vs \`node -e 0\`, ${rounds} rounds alternated; ` +
      `ours ${runs.ours!.map(round1).join(', ')} ms; node ${runs.node!.map(round1).join(', ')} ms; ` +
      `from the TypeScript source through tsx (YEARLY_REPORT_FROM_SOURCE=1): ${round1(median(fromSource))} ms`,
  };
}
