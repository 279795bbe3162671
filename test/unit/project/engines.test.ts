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

/**
 * A second copy of an AWS SDK or Smithy package is bundled into every Lambda
 * that reaches it and compiled at each cold start (issue 16: s3-presigned-post
 * pinned its own @aws-sdk/client-s3, 144 KiB more in upload-api). package.json's
 * overrides keep one copy of each.
 */
it('installs one copy of each AWS SDK and Smithy package', () => {
  const nested = Object.keys(lock.packages).filter((key) => {
    const installed = key.split('node_modules/');
    return installed.length > 2 && /^@(aws-sdk|smithy)\//.test(installed.at(-1)!);
  });
  expect(nested).toEqual([]);
});
