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
    .action(async (opts: { county: string; year: string; unit: string; out?: string }) => {
      const { writeFile } = await import('node:fs/promises');
      const { buildTemplateWorkbook } = await import('../../shared/core/submission/template-workbook');
      const { indicatorsToTypeForUnit, ledgersForUnit } = await import('../../shared/core/submission/assignment');
      const { loadCountyForCli, parseYearOption, resolveUnitOption } = await import('../options');
      const county = loadCountyForCli(opts.county);
      const year = parseYearOption(opts.year);
      const unit = resolveUnitOption(county, opts.unit);
      const catalogue = county.catalogue;
      const out = opts.out ?? `${unit.id}-${year}.xlsx`;
      if (!out.toLowerCase().endsWith('.xlsx')) throw new UsageError(`--out must end in .xlsx, got "${out}"`);
      const bytes = await buildTemplateWorkbook({ county, catalogue, year, unit });
      await writeFile(out, bytes);
      process.stdout.write(
        `${out}: ${unit.name} ${year}年度报送模板，${indicatorsToTypeForUnit(county, year, unit).length}项指标，` +
          `${ledgersForUnit(county, year, unit).map((l) => l.name).join('、') || '无台账'}\n`,
      );
    });
}
