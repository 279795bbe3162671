import { mkdtempSync, rmSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { countyNames } from '../../infra/names';
import { officePoolName } from '../../cli/commands/office-user';
import { runCli } from './helpers';

/**
 * `yearly-report office-user add` against cognito-local, a maintained Cognito
 * emulator from npm, on a free port (its state in a temporary folder; in a
 * child Node process, as it loads ES modules Jest cannot on Node 20): the
 * real SDK requests (ListUserPools, AdminCreateUser, AdminAddUserToGroup)
 * reach a real user pool API.
 */
let server: ChildProcess | undefined;
let client: CognitoIdentityProviderClient;
let poolId: string;
let stateDir: string;
const cwd = path.resolve(__dirname, '../..');
const savedEnv = { ...process.env };

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-cognito-'));
  server = spawn(process.execPath, [path.join(__dirname, 'cognito-local-server.js')], { cwd: stateDir, env: { ...process.env, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1', NODE_PATH: path.join(cwd, 'node_modules') }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    server!.stdout!.once('data', (chunk) => resolve((JSON.parse(String(chunk)) as { port: number }).port));
    server!.once('exit', (code) => reject(new Error(`cognito-local exited with ${code}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  Object.assign(process.env, { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
  client = new CognitoIdentityProviderClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  // The pool and groups the stack creates (infra/constructs/office-user-pool.ts), plus another county's, which must be left alone.
  await client.send(new CreateUserPoolCommand({ PoolName: officePoolName('jinping', 'prod') }));
  poolId = (await client.send(new CreateUserPoolCommand({ PoolName: `${countyNames('lingshou', 'prod').prefix}-office` }))).UserPool!.Id!;
  for (const group of ['office', 'viewer']) await client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: group }));
});

afterAll(async () => {
  process.env = savedEnv;
  client?.destroy();
  server?.kill();
  rmSync(stateDir, { recursive: true, force: true });
});

const groupsOf = async (username: string) => (await client.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: username }))).Groups?.map((g) => g.GroupName);

test("the CLI's pool name is the one the stack gives the pool", () => {
  expect(officePoolName('lingshou', 'prod')).toBe(`${countyNames('lingshou', 'prod').prefix}-office`);
});

test('creates the office account in the county stage pool, with name and verified email, in the group asked for', async () => {
  const added = await runCli(['office-user', 'add', '--county', 'lingshou', '--stage', 'prod', '--email', 'wangfang@example.cn', '--name', '王芳', '--role', 'office']);
  expect(added).toMatchObject({ code: 0, stderr: '' });
  expect(added.stdout).toContain(`created: wangfang@example.cn (王芳, user `);
  expect(added.stdout).toContain(`in pool ${poolId}, group office`);
  const username = /user (\S+)\)/.exec(added.stdout)![1]!;
  const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  expect(Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]))).toMatchObject({ email: 'wangfang@example.cn', email_verified: 'true', name: '王芳' });
  expect(user.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  expect(await groupsOf(username)).toEqual(['office']);

  // Run again for the same person with another role: no second account, the group is added.
  const again = await runCli(['office-user', 'add', '--county', 'lingshou', '--stage', 'prod', '--email', 'wangfang@example.cn', '--name', '王芳', '--role', 'viewer']);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('already existed: wangfang@example.cn');
  expect((await groupsOf(username))?.sort()).toEqual(['office', 'viewer']);
});

test('refuses a wrong role or email before any request, and says when the stage has no pool', async () => {
  expect((await runCli(['office-user', 'add', '--county', 'lingshou', '--email', 'a@b.cn', '--name', '李明', '--role', 'admin'])).code).toBe(2);
  expect((await runCli(['office-user', 'add', '--county', 'lingshou', '--email', 'not-an-email', '--name', '李明'])).code).toBe(2);
  const missing = await runCli(['office-user', 'add', '--county', 'lingshou', '--stage', 'staging', '--email', 'a@b.cn', '--name', '李明']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('no Cognito user pool named yearly-report-lingshou-staging-office');
});
