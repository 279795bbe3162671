#!/usr/bin/env node
// Runs the command line from its bundle, dist/cli.js (built at `npm ci` by
// the `prepare` script, or `npm run build`), in this process: no TypeScript
// compiled at each start. When the bundle is missing, or a source file it was
// built from has changed since, it runs the TypeScript source through tsx
// instead, so nobody ever runs stale code.
const fs = require('node:fs');
const path = require('node:path');

// This machine's Node 20 still runs the SDK; the deployed functions run Node 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = path.resolve(__dirname, '..');
const bundle = path.join(root, 'dist', 'cli.js');

/** Why the bundle cannot be used, or undefined when it is current. */
function bundleProblem() {
  let builtAt;
  let inputs;
  try {
    builtAt = fs.statSync(bundle).mtimeMs;
    inputs = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'cli-inputs.json'), 'utf8'));
  } catch {
    return 'missing';
  }
  for (const input of inputs) {
    let changedAt;
    try {
      changedAt = fs.statSync(path.join(root, input)).mtimeMs;
    } catch {
      return `${input} is gone`;
    }
    if (changedAt > builtAt) return `${input} changed`;
  }
  // A new file the bundle does not know (e.g. a new command) shows up as a changed importer above.
  return undefined;
}

const problem = process.env.YEARLY_REPORT_FROM_SOURCE ? 'YEARLY_REPORT_FROM_SOURCE is set' : bundleProblem();
if (problem === undefined) {
  require(bundle)
    .main(process.argv.slice(2))
    .then((code) => process.exit(code));
} else {
  if (problem !== 'missing' && !process.env.YEARLY_REPORT_FROM_SOURCE) {
    process.stderr.write(`(dist/cli.js is out of date: ${problem}; running the source, which starts slower. \`npm run build\` rebuilds it.)\n`);
  }
  // `--import tsx` registers both the require and the import() hooks (commands load heavy modules lazily).
  const { spawnSync } = require('node:child_process');
  const { pathToFileURL } = require('node:url');
  const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
  const result = spawnSync(process.execPath, ['--import', tsxLoader, path.join(__dirname, 'main.ts'), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, YEARLY_REPORT_CLI: '1' },
  });
  if (result.error) throw result.error;
  process.exit(result.status ?? (result.signal ? 128 + 1 : 1));
}
