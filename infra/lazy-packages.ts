import path from 'node:path';
import { REPO_ROOT } from './names';

/**
 * Libraries the code imports lazily (`await import(...)`, or require inside a
 * function, or only from modules reached that way): exceljs for workbooks,
 * docx for the report, iconv-lite for a GBK file on a Node without ICU,
 * csv-parse and yauzl for ingest's parsers. Kept out of the handler's bundle:
 * a cold start compiles every byte of its bundle, run or not.
 */
export const LAZY_PACKAGES = ['exceljs', 'docx', 'iconv-lite', 'csv-parse', 'yauzl'] as const;

/**
 * Each lazy package becomes its own minified bundle at
 * node_modules/<package>/index.js next to the handler, where its require()
 * finds it on first use. Local esbuild, so synth stays offline.
 */
export function lazyPackageBundleCommands(inputDir: string, outputDir: string): string[] {
  const esbuild = path.join(inputDir, 'node_modules', '.bin', 'esbuild');
  return LAZY_PACKAGES.flatMap((pkg) => {
    // Resolved in this checkout, then placed under inputDir (CDK also renders the hooks for a Docker build's /asset-input).
    const entry = path.join(inputDir, path.relative(REPO_ROOT, require.resolve(pkg, { paths: [REPO_ROOT] })));
    const dir = path.join(outputDir, 'node_modules', pkg);
    return [
      `"${esbuild}" "${entry}" --bundle --platform=node --target=node22 --format=cjs --minify --log-level=warning --outfile="${dir}/index.js"`,
      `echo '{"name":"${pkg}","main":"index.js"}' > "${dir}/package.json"`,
    ];
  });
}
