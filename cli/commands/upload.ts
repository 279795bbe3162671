import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { addTargetOptions, parseYear, resolveUnit, TargetOptions, withTarget } from '../county-target';
import { UsageError } from '../usage-error';

/**
 * Uploads submission files for a unit and prints what ingest made of each:
 * accepted, or every problem with its location. With --local the real ingest
 * handler runs on the SQS-wrapped notification; against AWS the command waits
 * for the deployed pipeline to record the outcome.
 */
export function register(program: Command): void {
  addTargetOptions(
    program
      .command('upload')
      .description('upload submission files (.xlsx, .csv, .json) for a unit and print the ingest outcome')
      .argument('<files...>', 'files to upload')
      .requiredOption('--year <year>', 'report year')
      .option('--unit <unit>', 'unit id or name (default: the file name, if it names a unit)')
      .option('--wait <seconds>', 'against AWS: how long to wait for the outcome', '120')
      .addHelpText('after', '\nExample:\n  npx yearly-report upload 司法局2021.xlsx --county lingshou --year 2021 --unit 县司法局 --local\n'),
  ).action(async (files: string[], opts: TargetOptions & { year: string; unit?: string; wait: string }) => {
    const year = parseYear(opts.year);
    await withTarget(opts, async (target) => {
      const inputs = files.map((file) => {
        const unitText = opts.unit ?? path.basename(file, path.extname(file));
        const unit = resolveUnit(target.county, unitText);
        if (!unit) throw new UsageError(`${opts.unit ? `unknown unit "${opts.unit}"` : `"${file}" does not name a unit; give --unit`} (county ${target.county.config.id})`);
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch {
          throw new UsageError(`cannot read ${file}`);
        }
        return { year, unitId: unit.id, unitName: unit.name, fileName: path.basename(file), bytes };
      });

      const { SingleBar, Presets } = await import('cli-progress');
      const bar = inputs.length > 1 ? new SingleBar({ format: '上传 {bar} {value}/{total} {file}', stream: process.stderr, hideCursor: true }, Presets.shades_classic) : undefined;
      bar?.start(inputs.length, 0, { file: '' });

      const results = [];
      if (target.pipeline) {
        results.push(...(await target.pipeline.upload(inputs, (done) => bar?.update(done, { file: inputs[done - 1]?.fileName ?? '' }))));
      } else {
        const { uploadToAws } = await import('../aws-upload');
        for (const [i, input] of inputs.entries()) {
          results.push(await uploadToAws(target, input, Number(opts.wait) * 1000));
          bar?.update(i + 1, { file: input.fileName });
        }
      }
      bar?.stop();

      let rejected = 0;
      for (const [i, result] of results.entries()) {
        const input = inputs[i]!;
        const record = result.record;
        const who = `${input.fileName} → ${input.unitName} (${input.unitId})`;
        if (!record) {
          process.stdout.write(`? ${who}: no outcome recorded yet${result.batchItemFailures ? ' (ingest failed and will be retried)' : ''}\n`);
          rejected++;
        } else if (record.status === 'accepted') {
          process.stdout.write(`✓ ${who}: 已接收，${record.rowCount ?? 0} 行\n`);
        } else if (record.status === 'superseded') {
          process.stdout.write(`- ${who}: 已有更新的版本，本文件未替换当前报送\n`);
        } else {
          rejected++;
          process.stdout.write(`✗ ${who}: 未通过（${record.problemCount ?? 0}处错误）\n${readable(result.errorReport)}\n`);
        }
      }
      if (rejected > 0) process.exitCode = 1;
    });
  });
}

/** The error report file is written for Notepad on Windows (BOM, CRLF); a terminal wants neither. */
function readable(report: string | undefined): string {
  return (report ?? '').replace(/^\uFEFF/, '').replace(/\r/g, '').trimEnd().replace(/^/gm, '    ');
}
