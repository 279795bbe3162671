import { runCli } from '../cli-runner';

/**
 * Forgetting --local with no AWS settings: the person is told what is missing
 * and the two ways on (--local, --stage), never the SDK's "Region is missing".
 */
const saved = { ...process.env };
beforeEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_') && name !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED') delete process.env[name];
  process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
  // No instance metadata lookup: the test must not depend on where it runs.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});
afterEach(() => {
  process.env = { ...saved };
});

it.each([
  [['status', '--county', 'lingshou', '--year', '2021']],
  [['lock', '--county', 'lingshou', '--year', '2021', '--stage', 'prod']],
])('%j names --local, --stage and what is missing', async (args) => {
  const result = await runCli(args);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/needs an AWS region .* and AWS credentials/);
  expect(result.stderr).toContain('--local');
  expect(result.stderr).toContain('--stage dev|prod');
  expect(result.stderr).toContain(`--stage ${args.includes('prod') ? 'prod' : 'dev'}`);
  expect(result.stderr).not.toMatch(/Region is missing|Could not load credentials/);
});

it('names only the credentials when a region is set', async () => {
  process.env.AWS_REGION = 'cn-north-1';
  const result = await runCli(['status', '--county', 'lingshou', '--year', '2021']);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('needs AWS credentials');
  expect(result.stderr).not.toContain('region');
});
