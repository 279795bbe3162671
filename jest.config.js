/**
 * One jest run, four tiers as projects, so `npm test` runs them all and
 * `npx jest --selectProjects unit` runs one. @middy, oidc-provider (the local
 * OpenID provider) and its jose are ESM-only, so they are transformed along
 * with our TypeScript.
 */
// Tests run on the machine's Node 20; the SDK's notice that it will need Node 22 (as Lambda runs) is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] };
const transformIgnorePatterns = ['/node_modules/(?!(@middy|oidc-provider|jose)/)'];
const tier = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  transform,
  transformIgnorePatterns,
  ...extra,
});
module.exports = {
  projects: [
    tier('unit'),
    tier('integration'),
    tier('infra'),
    tier('e2e'),
  ],
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/global-setup.js',
};
