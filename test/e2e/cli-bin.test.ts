import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * cli/bin.js runs the bundle dist/cli.js when it is current, and the
 * TypeScript source when it is missing or older than a file it was built
 * from: never stale code. Checked on a copy of bin.js and the bundle whose
 * timestamps the test sets, so the repository's own files are not touched.
 */
const REPO = path.resolve(__dirname, '../..');
const work = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-bin-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

mkdirSync(path.join(work, 'cli'));
mkdirSync(path.join(work, 'dist'));
copyFileSync(path.join(REPO, 'cli', 'bin.js'), path.join(work, 'cli', 'bin.js'));
symlinkSync(path.join(REPO, 'cli', 'main.ts'), path.join(work, 'cli', 'main.ts'));
symlinkSync(path.join(REPO, 'node_modules'), path.join(work, 'node_modules'));
copyFileSync(path.join(REPO, 'dist', 'cli.js'), path.join(work, 'dist', 'cli.js'));
writeFileSync(path.join(work, 'dist', 'cli-inputs.json'), JSON.stringify(['cli/main.ts']));

const help = () => {
  const env = { ...process.env };
  delete env.YEARLY_REPORT_FROM_SOURCE;
  return spawnSync(process.execPath, [path.join(work, 'cli', 'bin.js'), '--help'], { env, encoding: 'utf8', timeout: 60_000 });
};
const bundleBuiltAt = (when: Date) => utimesSync(path.join(work, 'dist', 'cli.js'), when, when);

it('runs the bundle when no source file is newer', () => {
  bundleBuiltAt(new Date(Date.now() + 3600_000));
  const result = help();
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^Usage: yearly-report /);
  expect(result.stderr).toBe('');
});

it('runs the source, and says why, when a file the bundle was built from changed since', () => {
  bundleBuiltAt(new Date(1_000_000));
  const result = help();
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^Usage: yearly-report /);
  expect(result.stderr).toContain('dist/cli.js is out of date: cli/main.ts changed; running the source');
});

it('runs the source quietly when there is no bundle', () => {
  rmSync(path.join(work, 'dist'), { recursive: true });
  const result = help();
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^Usage: yearly-report /);
  expect(result.stderr).toBe('');
});
