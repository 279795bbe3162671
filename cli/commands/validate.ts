import type { Command } from 'commander';
import { UsageError } from '../usage-error';

/**
 * Checks a submission file offline with exactly the code ingest runs
 * (parseSubmissionFile). Exit 0: accepted; 1: the file has errors; 2: usage.
 * A bad file is never a stack trace: every problem is printed in Chinese
 * with its sheet and cell, row and column, or JSON path.
 */
export function register(program: Command): void {
  program
    .command('validate')
    .description('check a submission file (.xlsx, .csv, .json) the way ingest will; exit 0 valid, 1 invalid, 2 usage error')
    .argument('<file>', 'the file to check')
    .requiredOption('--county <id>', 'county id (a folder under shared/counties/)')
    .requiredOption('--year <year>', 'report year, e.g. 2021')
    .option('--unit <unit>', "unit id, name or alias; default: the unit the file's cover sheet (JSON: 'unit') names, else its file name")
    .option('--json', 'print the outcome as JSON instead of text')
    .action(async (file: string, opts: { county: string; year: string; unit?: string; json?: boolean }) => {
      const { readFile, stat } = await import('node:fs/promises');
      const path = await import('node:path');
      const { parseSubmissionFile, MAX_SUBMISSION_BYTES } = await import('../../shared/core/submission/parse');
      const { formatProblemLine, placeNamesOf } = await import('../../shared/core/submission/error-report');
      const { chooseUnit } = await import('../../shared/core/submission/claimed-unit');
      const { UPLOAD_PATH_LOCATION } = await import('../../shared/core/submission/builder');
      const { loadCountyForCli, parseYearOption, resolveUnitOption } = await import('../options');

      const county = loadCountyForCli(opts.county);
      const year = parseYearOption(opts.year);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) throw new UsageError(`no such file: ${file}`);
      // Read at most one byte past the limit: the parser reports the size, memory stays bounded.
      const bytes = info.size > MAX_SUBMISSION_BYTES ? await readHead(file, MAX_SUBMISSION_BYTES + 1) : new Uint8Array(await readFile(file));
      const fileName = path.basename(file);
      const catalogue = county.catalogue;

      const choice = await chooseUnit(county, bytes, fileName, opts.unit ? resolveUnitOption(county, opts.unit).id : undefined);
      const unitId = choice?.unitId;
      let outcome = await parseSubmissionFile({ bytes, fileName, county, catalogue, year, unitId: unitId ?? '', unitSource: choice?.source });
      if (unitId === undefined) {
        // The file does not name a unit we know: if that is its only error, the
        // command line must say which unit; otherwise the file's own problems
        // (unreadable, hostile, malformed) are the answer.
        const fileProblems = outcome.ok ? [] : outcome.problems.filter((p) => !(p.code === 'UNKNOWN_UNIT' && p.column === UPLOAD_PATH_LOCATION.column && p.value === ''));
        if (!fileProblems.some((p) => p.severity === 'error')) throw new UsageError(`cannot tell which unit ${fileName} is for (neither its cover sheet or "unit" field nor its file name names a unit of ${county.config.name}): pass --unit`);
        outcome = { ok: false, problems: fileProblems };
      }
      const unitName = county.config.units.find((u) => u.id === unitId)?.name ?? '单位未知';
      const names = placeNamesOf(catalogue);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(outcome.ok ? { ok: true, unitId, warnings: outcome.submission.warnings, counts: counts(outcome.submission) } : outcome, null, 2)}\n`);
      } else if (outcome.ok) {
        const s = outcome.submission;
        const c = counts(s);
        process.stdout.write(`通过：${fileName}（${unitName}，${year}年度）— 指标${c.indicators}项，台账${c.ledgers}本共${c.rows}行，工作情况${c.narratives}条\n`);
        if (s.warnings.length) {
          process.stdout.write(`提醒${s.warnings.length}处（不影响通过）：\n`);
          s.warnings.forEach((w, i) => process.stdout.write(`  ${formatProblemLine(w, i + 1, names)}\n`));
        }
      } else {
        // Errors first, each kind numbered on its own: the clerk fixes 错误 1…n, the 提醒 can wait.
        const errors = outcome.problems.filter((p) => p.severity === 'error');
        const warnings = outcome.problems.filter((p) => p.severity !== 'error');
        process.stdout.write(`未通过：${fileName}（${unitName}，${year}年度）— ${errors.length}处错误${warnings.length ? `、${warnings.length}处提醒` : ''}，请改正错误后重新上传：\n`);
        errors.forEach((p, i) => process.stdout.write(`  错误 ${formatProblemLine(p, i + 1, names)}\n`));
        warnings.forEach((p, i) => process.stdout.write(`  提醒 ${formatProblemLine(p, i + 1, names)}\n`));
      }
      if (!outcome.ok) process.exitCode = 1;
    });
}

function counts(s: import('../../shared/core/submission/normalized').NormalizedSubmission) {
  const ledgers = Object.values(s.ledgers);
  return { indicators: s.indicators.length, ledgers: ledgers.length, rows: ledgers.reduce((n, rows) => n + rows.length, 0), narratives: s.narratives.length };
}

async function readHead(file: string, length: number): Promise<Uint8Array> {
  const { open } = await import('node:fs/promises');
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
