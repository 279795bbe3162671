import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

/**
 * `npm ci` warns (EBADENGINE) about any installed package whose engines.node
 * excludes the Node the README asks for. The lock file records each
 * package's range, so the check needs no install.
 */
const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };

it('installs no package whose engines.node excludes the oldest Node the project supports', () => {
  const oldest = semver.minVersion(pkg.engines.node)!.version;
  const refusing = Object.entries(lock.packages)
    .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.satisfies(oldest, p.engines.node))
    .map(([name, p]) => `${name} wants node ${(p.engines as { node: string }).node}`);
  expect(oldest).toBe('20.19.0');
  expect(refusing).toEqual([]);
});
