import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command, Option } from 'commander';
import { buildProgram } from '../../cli/main';

/**
 * The README is tested: its shell blocks run literally, one line at a time,
 * in a temporary folder set up like the clone (package.json, cli/, the
 * node_modules `npm ci` made), and what they print is checked against the
 * README's ```text blocks; its command table is checked against the help.
 * A README line the test neither runs nor skips (with a reason) fails it, so
 * a new command in the README cannot go untested.
 */
const REPO = path.resolve(__dirname, '../..');
const README = readFileSync(path.join(REPO, 'README.md'), 'utf8');

interface Block {
  lang: string;
  lines: string[];
}
const blocks: Block[] = [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, lines: m[2]!.replace(/\n$/, '').split('\n') }));

/** Lines of the README's shell blocks that the test does not run, and why. */
const NOT_RUN: readonly [RegExp, string][] = [
  [/^npm ci$/, 'the test runs in the tree `npm ci` made (CI runs it first)'],
  [/^npm test$/, 'this test is part of it'],
  [/^npx cdk /, 'deploys to AWS; synth is covered by test/infra'],
  [/^npm ci && npm start -- --serve$/, 'serves the portal until Ctrl-C; test/e2e/portal-serve-command.test.ts runs it and drives it in Chromium'],
  [/^npx yearly-report serve /, 'serves the portal until Ctrl-C; test/e2e/portal-browser.test.ts drives it in Chromium'],
];
const RUN = /^(npm start|npx yearly-report )/;

/** The shell blocks in order, each with the ```text block (what it prints) that follows it, if any. */
const sessions = blocks.flatMap((b, i) => {
  if (b.lang !== 'sh') return [];
  const next = blocks.slice(i + 1).find((n) => n.lang === 'sh' || n.lang === 'text');
  const commands = b.lines.map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l !== '');
  return [{ commands, expected: next?.lang === 'text' ? next.lines : [] }];
});

/** `…` in the README stands for any text; a run's duration is never the same twice. */
const normalize = (line: string) => line.replace(/run in \d+(\.\d+)? s/, 'run in # s').trimEnd();
const toPattern = (line: string) => new RegExp(`^${normalize(line).split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

describe('README.md', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-readme-'));
  const ran: { command: string; code: number | null; out: string; err: string }[] = [];
  // As in a clone: npm and npx find the package, its bin and its dependencies here.
  copyFileSync(path.join(REPO, 'package.json'), path.join(work, 'package.json'));
  symlinkSync(path.join(REPO, 'cli'), path.join(work, 'cli'));
  symlinkSync(path.join(REPO, 'node_modules'), path.join(work, 'node_modules'));
  // What `npm test` put in the environment is not what a person's shell has.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  Object.assign(env, { npm_config_update_notifier: 'false', npm_config_fund: 'false', POWERTOOLS_LOG_LEVEL: 'ERROR' });

  beforeAll(() => {
    for (const { commands } of sessions) {
      for (const command of commands.filter((c) => RUN.test(c) && !NOT_RUN.some(([pattern]) => pattern.test(c)))) {
        const result = spawnSync('bash', ['-c', command], { cwd: work, env, encoding: 'utf8', timeout: 120_000 });
        ran.push({ command, code: result.status, out: result.stdout, err: result.stderr });
      }
    }
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('has shell blocks, and each of their lines is either run here or skipped for a stated reason', () => {
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    const unknown = sessions.flatMap((s) => s.commands).filter((c) => !RUN.test(c) && !NOT_RUN.some(([re]) => re.test(c)));
    expect(unknown).toEqual([]);
    expect(ran.map((r) => r.command)).toEqual(expect.arrayContaining(['npm start', expect.stringMatching(/^npx yearly-report template .*--fill-sample/), expect.stringMatching(/^npx yearly-report aggregate .*--local/)]));
  });

  it('runs every command it shows without an error', () => {
    expect(ran.filter((r) => r.code !== 0).map((r) => `${r.command} → exit ${r.code}\n${r.out}${r.err}`)).toEqual([]);
  });

  it('prints what it says, in order', () => {
    for (const session of sessions.filter((s) => s.expected.length > 0)) {
      const printed = ran
        .filter((r) => session.commands.includes(r.command))
        .flatMap((r) => r.out.split('\n'))
        .map(normalize);
      let at = 0;
      for (const line of session.expected.filter((l) => l.trim() !== '')) {
        const pattern = toPattern(line);
        const found = printed.findIndex((p, i) => i >= at && pattern.test(p));
        if (found < 0) throw new Error(`README line not printed (after line ${at} of the output):\n  ${line}\nprinted:\n${printed.join('\n')}`);
        at = found + 1;
      }
    }
  });

  it('leaves every file it names where it says, the demo and the local session in their own folders', () => {
    const named = [...new Set([...README.matchAll(/`(out\/[\w/.-]+\.\w+)`/g)].map((m) => m[1]!))];
    expect(named).toEqual(expect.arrayContaining(['out/demo/lingshou/2021/report.md']));
    expect(named.filter((f) => !existsSync(path.join(work, f)))).toEqual([]);
    const demo = readFileSync(path.join(work, 'out/demo/lingshou/2021/report.md'), 'utf8');
    const local = readFileSync(path.join(work, 'out/local/lingshou/2021/report.md'), 'utf8');
    expect(demo).not.toContain('【待补充');
    expect(local).toContain('【待补充');
  });
});

describe('the README command table and the help', () => {
  const program = buildProgram();
  const table = README.split('\n').filter((l) => /^\| `[a-z]/.test(l));
  /** "token create\|revoke\|list --county C" → ["token create", "token revoke", "token list"], "lock …" → ["lock"]. */
  const namesIn = (usage: string): string[] => {
    const [first, second] = usage.split(' ');
    return second && /^[a-z]+(\\\|[a-z]+)*$/.test(second) ? second.split('\\|').map((sub) => `${first} ${sub}`) : [first!];
  };
  const rows = table.map((line) => {
    const usage = /^\| `([^`]+)`/.exec(line)![1]!;
    // Options in the usage must exist; an option named anywhere in the row (usage or text) counts as documented.
    return { usage, names: namesIn(usage), flags: [...usage.matchAll(/--[a-z-]+/g)].map((m) => m[0]), mentioned: new Set([...line.matchAll(/--[a-z-]+/g)].map((m) => m[0])) };
  });
  const find = (name: string): Command | undefined =>
    name.split(' ').reduce<Command | undefined>((cmd, part) => cmd?.commands.find((c) => c.name() === part), program);
  // A command with subcommands counts itself too when it also runs on its own (`template` beside `template next`).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- commander keeps the action handler private
  const runsItself = (c: Command) => Boolean((c as any)._actionHandler);
  const leaves = program.commands.flatMap((c) => (c.commands.length ? [...(runsItself(c) ? [c.name()] : []), ...c.commands.map((s) => `${c.name()} ${s.name()}`)] : [c.name()]));
  /** Options the text above the table explains once for every command that touches data. */
  const EXPLAINED_ONCE = new Set(['--local-dir', '--stage', '--help']);
  /** Options left to `--help` on purpose. */
  const HELP_ONLY: Record<string, readonly string[]> = { demo: ['--upload-date'], upload: ['--wait'] };

  it('lists every command, including token list', () => {
    expect(rows.flatMap((r) => r.names).sort()).toEqual([...leaves].sort());
    expect(leaves).toContain('token list');
  });

  it.each(rows.map((r) => [r.usage, r]))('%s: shows only options the command has, and every option it has', (_usage, row) => {
    for (const name of row.names) {
      const command = find(name)!;
      const flags = command.options.map((o: Option) => o.long!);
      expect(row.flags.filter((f) => !flags.includes(f))).toEqual([]);
      const unshown = flags.filter((f) => !row.mentioned.has(f) && !EXPLAINED_ONCE.has(f) && !(HELP_ONLY[name] ?? []).includes(f));
      expect(unshown).toEqual([]);
    }
  });

  it('prints each default once in the help', () => {
    for (const name of leaves) {
      const help = find(name)!.helpInformation();
      expect(help).not.toMatch(/\(default:[^)]*\)\s*\(default:/);
    }
  });
});

it("shows only images that exist in the repository, each small enough to commit", () => {
  const images = [...README.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
  expect(images).toContain('docs/portal/office-demo.png');
  for (const image of images) {
    const file = path.join(REPO, image);
    expect([image, existsSync(file)]).toEqual([image, true]);
    expect(statSync(file).size).toBeLessThan(150 * 1024);
  }
});
