import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { addTargetOptions, TargetOptions, withTarget } from '../county-target';
import { loadCountyForCli, parseYearOption, resolveUnitOption } from '../options';
import { fileNameProblem } from '../../shared/core/file-name';
import { UsageError } from '../usage-error';
import { catalogueNames, changeLines, type ChangeNames, SubmissionChangesSchema, type SubmissionChanges } from '../../shared/core/submission/changes';

/**
 * Uploads submission files for a unit and prints what ingest made of each:
 * accepted, or every problem with its location. Three ways in:
 *  - with a unit's token (--token or YEARLY_REPORT_TOKEN) and the county's
 *    upload API (--api or YEARLY_REPORT_API): what a clerk uses, no AWS credentials;
 *  - --local: the real ingest handler on the SQS-wrapped notification, against the emulators;
 *  - otherwise straight into a deployed stage's bucket with AWS credentials.
 */
interface UploadOptions extends TargetOptions {
  year: string;
  unit?: string;
  wait: string;
  token?: string;
  api?: string;
}

interface FileToUpload {
  year: number;
  unitId: string;
  unitName: string;
  fileName: string;
  bytes: Buffer;
}

/** What the clerk is told about one file. */
interface Outcome {
  status: 'accepted' | 'rejected' | 'superseded' | 'pending';
  rows?: number;
  problems?: number;
  errorReport?: string;
  detail?: string;
  /** An accepted file that replaced the unit's earlier one: what it added, changed and dropped. */
  changes?: SubmissionChanges;
}

export function register(program: Command): void {
  addTargetOptions(
    program
      .command('upload')
      .description('upload submission files (.xlsx, .csv, .json) for a unit and print the ingest outcome')
      .argument('<files...>', 'files to upload')
      .requiredOption('--year <year>', 'report year')
      .option('--unit <unit>', "unit id or name (default: the unit the file's cover sheet or 'unit' field names, else its file name)")
      .option('--token <token>', "the unit's upload token (default: $YEARLY_REPORT_TOKEN)")
      .option('--api <url>', "the county's upload API URL, a stack output (default: $YEARLY_REPORT_API)")
      .option('--wait <seconds>', 'how long to wait for the ingest outcome of an upload to AWS', '120')
      .addHelpText(
        'after',
        '\nExamples:\n' +
          '  npx yearly-report upload 司法局2021.xlsx --county lingshou --year 2021 --unit 县司法局 --local\n' +
          '  YEARLY_REPORT_TOKEN=… npx yearly-report upload 司法局2021.xlsx --county lingshou --year 2021 --unit 县司法局 --api https://…\n',
      ),
  ).action(async (files: string[], opts: UploadOptions) => {
    const year = parseYearOption(opts.year);
    const token = opts.token ?? process.env.YEARLY_REPORT_TOKEN;
    const api = opts.api ?? process.env.YEARLY_REPORT_API;
    if (token && !api) throw new UsageError('an upload token needs the upload API URL: --api <url> or YEARLY_REPORT_API');
    if (token && opts.local) throw new UsageError('--token goes to a deployed upload API; leave out --local');

    const county = loadCountyForCli(opts.county);
    // Refused before anything is sent, with the same rule the upload API applies.
    for (const file of files) {
      const problem = fileNameProblem(path.basename(file));
      if (problem) throw new UsageError(problem);
    }
    const explicit = opts.unit ? resolveUnitOption(county, opts.unit) : undefined;
    const { chooseUnit } = await import('../../shared/core/submission/claimed-unit');
    const inputs: FileToUpload[] = [];
    for (const file of files) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        throw new UsageError(`cannot read ${file}`);
      }
      const fileName = path.basename(file);
      // The same rule as validate; ingest then checks the cover and the file name against the path this picks.
      const choice = await chooseUnit(county, bytes, fileName, explicit?.id);
      if (!choice) throw new UsageError(`cannot tell which unit ${fileName} is for (neither its cover sheet or "unit" field nor its file name names a unit of ${county.config.name}): pass --unit`);
      const unit = county.config.units.find((u) => u.id === choice.unitId)!;
      inputs.push({ year, unitId: unit.id, unitName: unit.name, fileName, bytes });
    }

    const { SingleBar, Presets } = await import('cli-progress');
    const bar = inputs.length > 1 ? new SingleBar({ format: '上传 {bar} {value}/{total} {file}', stream: process.stderr, hideCursor: true }, Presets.shades_classic) : undefined;
    bar?.start(inputs.length, 0, { file: '' });
    const progress = (done: number) => bar?.update(done, { file: inputs[done - 1]?.fileName ?? '' });

    let outcomes: Outcome[];
    try {
      outcomes = token ? await viaUploadApi(inputs, api!, token, Number(opts.wait) * 1000, progress) : await viaStorage(inputs, opts, Number(opts.wait) * 1000, progress);
    } finally {
      bar?.stop();
    }

    const names = catalogueNames(county.catalogue);
    for (const [i, outcome] of outcomes.entries()) process.stdout.write(describe(inputs[i]!, outcome, names));
    if (outcomes.some((o) => o.status === 'rejected' || o.status === 'pending')) process.exitCode = 1;
  });
}

async function viaUploadApi(inputs: FileToUpload[], api: string, token: string, waitMs: number, progress: (done: number) => void): Promise<Outcome[]> {
  const { postUpload, requestUploadGrant, UploadApiError, waitForOutcome } = await import('../../shared/adapters/upload-api-client');
  const outcomes: Outcome[] = [];
  for (const input of inputs) {
    try {
      const grant = await requestUploadGrant(api, token, { year: input.year, unit: input.unitId, fileName: input.fileName });
      const uploaded = await postUpload(grant, input.bytes);
      const outcome = await waitForOutcome(api, token, { key: grant.key, ...uploaded }, waitMs);
      outcomes.push(
        outcome
          ? { status: outcome.state, rows: outcome.rowCount, problems: outcome.problemCount, errorReport: outcome.errorReport, detail: outcome.reason, changes: changesFrom(outcome.changes) }
          : { status: 'pending', detail: `${waitMs / 1000}秒内还没有检查结果，文件已收到；请稍后用 yearly-report status 查看` },
      );
    } catch (err) {
      if (!(err instanceof UploadApiError)) throw err;
      // The API's refusals (wrong unit, locked year, too large) are the clerk's answer, not a crash.
      outcomes.push({ status: 'rejected', detail: `${err.message} (${err.status} ${err.code})` });
    }
    progress(outcomes.length);
  }
  return outcomes;
}

async function viaStorage(inputs: FileToUpload[], opts: UploadOptions, waitMs: number, progress: (done: number) => void): Promise<Outcome[]> {
  return withTarget(opts, async (target) => {
    const results = [];
    if (target.pipeline) {
      results.push(...(await target.pipeline.upload(inputs, progress)));
    } else {
      const { uploadToAws } = await import('../aws-upload');
      for (const input of inputs) {
        results.push(await uploadToAws(target, input, waitMs));
        progress(results.length);
      }
    }
    return results.map(({ record, errorReport, batchItemFailures }): Outcome =>
      record
        ? { status: record.status, rows: record.rowCount, problems: record.problemCount, errorReport, detail: record.reason, changes: record.changes }
        : { status: 'pending', detail: batchItemFailures ? '处理时出错，系统将自动重试' : '文件已收到，尚未处理完' },
    );
  });
}

/** The API's answer is checked like any input; one it cannot read is left out rather than guessed at. */
function changesFrom(changes: unknown): SubmissionChanges | undefined {
  const parsed = SubmissionChangesSchema.safeParse(changes);
  return parsed.success ? parsed.data : undefined;
}

function describe(input: FileToUpload, outcome: Outcome, names: ChangeNames): string {
  const who = `${input.fileName} → ${input.unitName}`;
  switch (outcome.status) {
    case 'accepted':
      return `✓ ${who}: 已接收，${outcome.rows ?? 0} 行\n${outcome.changes ? describeChanges(outcome.changes, names) : ''}`;
    case 'superseded':
      return `- ${who}: 已有更新的版本，本文件未替换当前报送\n`;
    case 'pending':
      return `? ${who}: 尚无结果（${outcome.detail}）\n`;
    case 'rejected':
      return `✗ ${who}: 未通过${outcome.problems !== undefined ? `（${outcome.problems}处错误）` : ''}\n${readable(outcome.errorReport ?? outcome.detail)}\n`;
  }
}

/**
 * A later file replaces the unit's whole submission: the clerk is told what it dropped (no longer in the report),
 * changed and added, by name, against the file it replaced.
 */
function describeChanges(changes: SubmissionChanges, names: ChangeNames): string {
  const lines = changeLines(changes, names);
  const group = (title: string, items: readonly string[]) => (items.length ? `    ${title}（${items.length}项）：\n${items.map((x) => `      ${x}\n`).join('')}` : '');
  return (
    `    本文件替换了此前报送的“${lines.replaced}”：报告只采用本文件的内容。\n` +
    (lines.dropped.length ? `    ！注意：下列内容本文件没有，已不计入报告；如需保留，请把它们补进本文件后重新上传。\n` : '') +
    group('不再包含', lines.dropped) +
    group('改动', lines.changed) +
    group('新增', lines.added)
  );
}

/** The error report file is written for Notepad on Windows (BOM, CRLF); a terminal wants neither. */
function readable(report: string | undefined): string {
  return (report ?? '').replace(/^\uFEFF/, '').replace(/\r/g, '').trimEnd().replace(/^/gm, '    ');
}
