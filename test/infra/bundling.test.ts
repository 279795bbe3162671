import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { COUNTY_SNAPSHOT_FILE } from '../../shared/core/county/snapshot';
import { buildCountyApp } from './synth';

/**
 * The one test that bundles for real (local esbuild, as `cdk synth` does) with
 * the built-in CloudFormation validation on: each function's asset must carry
 * the county's config where COUNTY_CONFIG_DIR points, and load on plain Node
 * with nothing but its own files.
 */
let outdir: string;
let assetDirs: Record<string, string>;

beforeAll(() => {
  outdir = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-cdk-'));
  const { stack } = buildCountyApp({ bundling: true, outdir });
  // Synthesizes the app (bundling every function) into outdir.
  const template = Template.fromStack(stack);
  expect(existsSync(path.join(outdir, 'manifest.json'))).toBe(true);
  assetDirs = {};
  for (const [, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
    const props = (fn as { Properties: { FunctionName?: string; Code: { S3Key: unknown } } }).Properties;
    if (!props.FunctionName) continue; // the auto-delete custom resource's provider, not ours
    const hash = String(props.Code.S3Key).replace(/\.zip$/, '');
    assetDirs[props.FunctionName] = path.join(outdir, `asset.${hash}`);
  }
}, 60_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const ourFunctions = ['yearly-report-lingshou-dev-ingest', 'yearly-report-lingshou-dev-aggregate', 'yearly-report-lingshou-dev-upload-api', 'yearly-report-lingshou-dev-portal-api'];

test('every function was bundled', () => {
  expect(Object.keys(assetDirs).sort()).toEqual([...ourFunctions].sort());
});

test.each(ourFunctions)('%s: bundle has the handler, its source map, and county/ with the config but not the samples', (name) => {
  const dir = assetDirs[name]!;
  expect(existsSync(path.join(dir, 'index.js'))).toBe(true);
  expect(existsSync(path.join(dir, 'index.js.map'))).toBe(true);
  const bundled = readdirSync(path.join(dir, 'county')).sort();
  // Every JSON file of the folder (county.json, templates, the county's own indicators and checks), never samples/.
  // Beside them, the county as loaded at synth, which the cold start reads instead of checking the files again.
  const expected = [...readdirSync(countyDirInRepo('lingshou')).filter((f) => f.endsWith('.json')), COUNTY_SNAPSHOT_FILE].sort();
  expect(bundled).toEqual(expected);
  const county = loadCounty(path.join(dir, 'county'), { expectedId: 'lingshou' });
  expect(county.loadedFrom).toBe('snapshot');
  expect(county.catalogue.fileOf('civil_code_booklets')).toBe(path.join(dir, 'county', 'indicators.json'));
  expect(bundled).toEqual(expect.arrayContaining(['county.json', 'template.json', 'indicators.json', 'checks.json']));
  expect(readFileSync(path.join(dir, 'county', 'county.json'), 'utf8')).toBe(readFileSync(path.join(countyDirInRepo('lingshou'), 'county.json'), 'utf8'));
});

test.each(ourFunctions)('%s: the bundle loads on plain Node from its own folder and exports handler', (name) => {
  const dir = assetDirs[name]!;
  const out = execFileSync(process.execPath, ['-e', 'process.stdout.write(typeof require("./index.js").handler)'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'cn-north-1',
      COUNTY_ID: 'lingshou',
      COUNTY_CONFIG_DIR: path.join(dir, 'county'),
      SUBMISSIONS_BUCKET: 'b',
      REPORTS_BUCKET: 'r',
      TABLE_NAME: 't',
      POWERTOOLS_METRICS_NAMESPACE: 'YearlyReport',
      // The portal API's sign-in and aggregation (issue 13).
      USER_POOL_ID: 'cn-north-1_Example',
      USER_POOL_CLIENT_ID: 'c',
      USER_POOL_DOMAIN_URL: 'https://lingshou.auth.cn-north-1.amazoncognito.com',
      AGGREGATE_FUNCTION_NAME: 'f',
      PORTAL_ORIGIN_SECRET: 's',
    },
    encoding: 'utf8',
    // The SDK's Node 20 deprecation notice is noise here; a load error still fails the test.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  expect(out).toBe('function');
});

test.each(ourFunctions)('%s: exceljs, docx, iconv-lite, csv-parse and yauzl are bundled apart, kept out of the handler, and load from the asset', (name) => {
  const dir = assetDirs[name]!;
  const handlerBundle = readFileSync(path.join(dir, 'index.js'), 'utf8');
  // exceljs's cell-address errors would be in the handler bundle if exceljs were inlined.
  expect(handlerBundle).not.toContain('Invalid Address');
  // Nor csv-parse's or yauzl's own messages, when they are inlined (ingest's parsers reach them).
  expect(handlerBundle).not.toContain('CSV_INVALID_CLOSING_QUOTE');
  expect(handlerBundle).not.toContain('invalid central directory file header signature');
  const out = execFileSync(
    process.execPath,
    ['-e', 'const E=require("exceljs"),d=require("docx"),i=require("iconv-lite"),c=require("csv-parse"),y=require("yauzl");process.stdout.write([typeof E.stream.xlsx.WorkbookReader,typeof d.Document,i.decode(Buffer.from([0xc4,0xe3]),"gbk"),typeof c.Parser,typeof y.fromBuffer].join(","))'],
    { cwd: dir, env: { PATH: process.env.PATH }, encoding: 'utf8' },
  );
  expect(out).toBe('function,function,你,function,function');
});
