#!/usr/bin/env node
// Builds the command line once into dist/cli.js (esbuild, one file, npm
// packages left as requires), so `yearly-report` starts without compiling
// TypeScript. Runs at `npm ci`/`npm install` (the `prepare` script) and as
// `npm run build`. dist/cli-inputs.json lists the source files it was built
// from, so cli/bin.js can tell a stale bundle and run the source instead.
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

/**
 * A bundle has one __dirname (dist/); a source file that finds data next to
 * itself (shared/core/county/load.ts finds shared/counties/) gets its own
 * folder back, relative to the bundle so the clone can move.
 */
const ownDirname = {
  name: 'own-dirname',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = fs.readFileSync(args.path, 'utf8');
      if (!/\b__dirname\b/.test(source)) return undefined;
      const fromDist = path.relative(dist, path.dirname(args.path)).split(path.sep).join('/');
      return { contents: source.replace(/\b__dirname\b/g, `require('node:path').join(__dirname, ${JSON.stringify(fromDist)})`), loader: 'ts' };
    });
  },
};

async function build() {
  const started = Date.now();
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'cli', 'main.ts')],
    outfile: path.join(dist, 'cli.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Packages load from node_modules as usual (and lazily, where the code imports them lazily).
    packages: 'external',
    sourcemap: 'linked',
    charset: 'utf8',
    metafile: true,
    logLevel: 'warning',
    plugins: [ownDirname],
    absWorkingDir: root,
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
  fs.writeFileSync(path.join(dist, 'cli-inputs.json'), `${JSON.stringify(inputs, null, 1)}\n`);
  return { inputs: inputs.length, ms: Date.now() - started };
}

if (require.main === module) {
  build().then(
    ({ inputs, ms }) => process.stdout.write(`built dist/cli.js from ${inputs} source files in ${ms} ms\n`),
    (err) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    },
  );
}
module.exports = { build };
