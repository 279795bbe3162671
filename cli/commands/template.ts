import type { Command } from 'commander';
import { UsageError } from '../usage-error';

/** Writes the Excel template a unit fills in for a year (the same layout the parser reads). */
export function register(program: Command): void {
  program
    .command('template')
    .description('write the .xlsx submission template for one unit (封面, 指标, 台账, 工作情况, 说明)')
    .requiredOption('--county <id>', 'county id (a folder under shared/counties/)')
    .requiredOption('--year <year>', 'report year, e.g. 2021')
    .requiredOption('--unit <unit>', 'unit id, official name or alias (e.g. justice_bureau, 县司法局)')
    .option('--out <file>', 'output file (default: <unit id>-<year>.xlsx in the current folder)')
    .option('--fill-sample', "fill it in with the unit's sample data (shared/counties/<county>/samples/<year>/), as a clerk would type it: for trying the pipeline without Excel")
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  npx yearly-report template --county lingshou --year 2021 --unit 县司法局 --out 司法局.xlsx\n' +
        '  npx yearly-report template --county lingshou --year 2021 --unit 县司法局 --fill-sample --out 司法局.xlsx\n',
    )
    .action(async (opts: { county: string; year: string; unit: string; out?: string; fillSample?: boolean }) => {
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
