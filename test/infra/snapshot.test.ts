import { STAGE_SETTINGS } from '../../infra/settings';
import { synthCounty } from './synth';

/**
 * A stable snapshot of the prod stack: any change to what a county deploys
 * shows up in review as a diff. Asset hashes change with every handler edit,
 * so they are normalized; everything else is compared as is.
 */
function normalized(template: unknown): unknown {
  const text = JSON.stringify(template).replace(/[0-9a-f]{64}(\.zip|\.json)?/g, (_m, ext: string | undefined) => `[ASSET_HASH]${ext ?? ''}`);
  return JSON.parse(text);
}

test('prod stack for lingshou', () => {
  const { template } = synthCounty({ stage: 'prod' });
  const json = normalized(template.toJSON());
  expect(JSON.stringify(json)).not.toMatch(/[0-9a-f]{64}/);
  expect(json).toMatchSnapshot();
});

test('stage settings', () => {
  expect(STAGE_SETTINGS).toMatchSnapshot();
});
