#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so there is no build step between a
// fresh clone and `npx yearly-report`. `--import tsx` registers both the
// require and the import() hooks (commands load heavy modules lazily).
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

// Resolved from here, not from the caller's folder, so the CLI runs from anywhere.
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

const result = spawnSync(process.execPath, ['--import', tsxLoader, path.join(__dirname, 'main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  // This machine's Node 20 still runs the SDK; the deployed functions run Node 22.
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env, YEARLY_REPORT_CLI: '1' },
});
if (result.error) throw result.error;
process.exit(result.status ?? (result.signal ? 128 + 1 : 1));
