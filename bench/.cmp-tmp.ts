import { build } from 'esbuild';
const REPO = '/work/wt-perf';
const pkgOf = (inp: string) => { const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(inp); return m ? m[1]! : inp.split('/').slice(0, 3).join('/'); };
async function sizes(entry: string) {
  const r = await build({ entryPoints: [entry], bundle: true, write: false, platform: 'node', target: 'node20', format: 'cjs', minify: true, metafile: true, external: ['exceljs', 'docx', 'iconv-lite'], absWorkingDir: REPO, outfile: '/tmp/x.js' });
  const m = new Map<string, number>();
  for (const [inp, { bytesInOutput }] of Object.entries(Object.values(r.metafile!.outputs)[0]!.inputs)) m.set(pkgOf(inp), (m.get(pkgOf(inp)) ?? 0) + bytesInOutput);
  if (process.env.WHO) for (const [k, v] of Object.entries(r.metafile!.inputs)) for (const i of v.imports) if (i.path.includes(process.env.WHO)) console.log('  ', k, '->', i.path, i.kind);
  return m;
}
(async () => {
  const min = await sizes('bench/entries/minimal-handler.ts');
  const ours = await sizes(process.argv[2]!);
  const diff = [...ours].map(([k, v]) => [k, v - (min.get(k) ?? 0)] as const).filter(([, d]) => d > 500).sort((a, b) => b[1] - a[1]);
  console.log(diff.map(([k, d]) => `${k} ${(d / 1024).toFixed(1)}`).join('\n'));
  console.log('extra total', (diff.reduce((a, [, d]) => a + d, 0) / 1024).toFixed(0));
})();
