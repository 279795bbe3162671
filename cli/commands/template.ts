import type { Command } from 'commander';
import { UsageError } from '../usage-error';

/** Writes the Excel template a unit fills in for a year (the same layout the parser reads). */
export function register(program: Command): void {
  // Options after `template next` are next's own: both commands take --county.
  const template = program.command('template').enablePositionalOptions();
  registerNext(template);
  template
    .description('write the .xlsx submission template for one unit (封面, 指标, 台账, 工作情况, 说明)')
    // Checked in the action, not as required options: commander would demand them of `template next` too.
    .option('--county <id>', 'county id (a folder under shared/counties/)')
    .option('--year <year>', 'report year, e.g. 2021')
    .option('--unit <unit>', 'unit id, official name or alias (e.g. justice_bureau, 县司法局)')
    .option('--out <file>', 'output file (default: <unit id>-<year>.xlsx in the current folder)')
    .option('--fill-sample', "fill it in with the unit's sample data (shared/counties/<county>/samples/<year>/), as a clerk would type it: for trying the pipeline without Excel")
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  npx yearly-report template --county lingshou --year 2021 --unit 县司法局 --out 司法局.xlsx\n' +
        '  npx yearly-report template --county lingshou --year 2021 --unit 县司法局 --fill-sample --out 司法局.xlsx\n',
    )
    .action(async (given: { county?: string; year?: string; unit?: string; out?: string; fillSample?: boolean }) => {
      const missing = (['county', 'year', 'unit'] as const).filter((k) => given[k] === undefined);
      if (missing.length) throw new UsageError(`required option ${missing.map((k) => `--${k}`).join(', ')} not specified`);
      const opts = given as { county: string; year: string; unit: string; out?: string; fillSample?: boolean };
      const { writeFile } = await import('node:fs/promises');
      const path = await import('node:path');
      const { buildTemplateWorkbook } = await import('../../shared/core/submission/template-workbook');
      const { indicatorsToTypeForUnit, ledgersForUnit } = await import('../../shared/core/submission/assignment');
      const { loadCountyForCli, parseYearOption, resolveUnitOption } = await import('../options');
      const county = loadCountyForCli(opts.county);
      const year = parseYearOption(opts.year);
      const unit = resolveUnitOption(county, opts.unit);
      const catalogue = county.catalogue;
      const out = opts.out ?? `${unit.id}-${year}.xlsx`;
      if (!out.toLowerCase().endsWith('.xlsx')) throw new UsageError(`--out must end in .xlsx, got "${out}"`);
      let prefill;
      if (opts.fillSample) {
        const { readSampleFiles, samplesDir } = await import('../../shared/local/sample-data');
        const { parseSubmissionFile } = await import('../../shared/core/submission/parse');
        const sample = readSampleFiles(county.dir, year).find((s) => s.unitId === unit.id);
        if (!sample) throw new UsageError(`${unit.name} has no sample data for ${year} in ${path.relative(process.cwd(), samplesDir(county.dir, year))}/`);
        const parsed = await parseSubmissionFile({ bytes: sample.bytes, fileName: sample.fileName, county, catalogue, year, unitId: unit.id });
        if (!parsed.ok) throw new Error(`the sample ${sample.fileName} does not parse: ${parsed.problems.map((p) => p.message).join('; ')}`);
        prefill = parsed.submission;
      }
      const bytes = await buildTemplateWorkbook({ county, catalogue, year, unit, prefill });
      await writeFile(out, bytes);
      const ledgers = ledgersForUnit(county, year, unit).map((l) => l.name).join('、') || '无台账';
      process.stdout.write(
        `wrote ${out}: ${unit.name} ${year}年度报送模板${prefill ? '（已按样例数据填好）' : ''}，${indicatorsToTypeForUnit(county, year, unit).length}项指标，${ledgers}\n`,
      );
    });
}

/**
 * `template next`: next year's report template drafted from this year's
 * (shared/core/template/next-year.ts): written as template.<to>.json, with
 * the phrases to review listed and, with --docx, highlighted in the Word
 * version the office edits.
 */
function registerNext(template: Command): void {
  template
    .command('next')
    .description('draft next year’s template.<to>.json from this year’s: year words become placeholders, the number and date are left open, year-bound prose is listed for review')
    .requiredOption('--county <id>', 'county id (a folder under shared/counties/)')
    .requiredOption('--from <year>', 'the year whose template is the starting point, e.g. 2021')
    .requiredOption('--to <year>', 'the year to draft, e.g. 2022')
    .option('--out <file>', 'write the JSON here instead of shared/counties/<county>/template.<to>.json')
    .option('--docx <file>', 'also write the draft as a Word document with the phrases to review highlighted')
    .action(async (opts: { county: string; from: string; to: string; out?: string; docx?: string }) => {
      const { existsSync } = await import('node:fs');
      const { writeFile } = await import('node:fs/promises');
      const path = await import('node:path');
      const { isDeepStrictEqual } = await import('node:util');
      const { draftNextYear } = await import('../../shared/core/template/next-year');
      const { loadCountyForCli, parseYearOption } = await import('../options');
      const county = loadCountyForCli(opts.county);
      const from = parseYearOption(opts.from);
      const to = parseYearOption(opts.to);
      if (to <= from) throw new UsageError(`--to must come after --from, got ${from} → ${to}`);
      const out = opts.out ?? path.join(county.dir, `template.${to}.json`);
      if (!opts.out && existsSync(out)) throw new UsageError(`${out} exists already; pass --out to write the draft elsewhere`);
      const draft = draftNextYear(county.template(from), from, to);
      const base = county.template(0) as Record<string, unknown>;
      const fields = Object.fromEntries(Object.entries(draft.template).filter(([k, v]) => !isDeepStrictEqual(v, base[k])));
      await writeFile(out, `${JSON.stringify(fields, null, 2)}\n`);
      if (opts.docx) {
        const { exportTemplateDocx } = await import('../../shared/core/template/template-doc');
        await writeFile(opts.docx, await exportTemplateDocx(draft.template, county.catalogue, draft.review.map((r) => r.phrase)));
      }
      const lines = draft.review.map((r, i) => `  ${i + 1}. ${r.field}${r.phrase ? `「${r.phrase}」` : ''}：${r.why}`);
      process.stdout.write(`${out}: ${county.config.name}${to}年度模板草稿（由${from}年度起草），请核对${draft.review.length}处：\n${lines.join('\n')}\n${opts.docx ? `${opts.docx}: Word版，待核对处以青色标出\n` : ''}`);
    });
}
