import type { Command } from 'commander';
import { UsageError } from '../usage-error';

/**
 * The report template as a Word document: the county office edits the prose
 * in Word or WPS (export), and the edited file becomes the template again
 * (import), with every problem named. See shared/core/template/template-doc.ts.
 */
export function register(program: Command): void {
  const command = program.command('template-doc').description('export the report template as .docx for the office to edit in Word, and import it back');

  command
    .command('export')
    .description('write the county’s report template (for a year: with that year’s override) as a .docx')
    .requiredOption('--county <id>', 'county id (a folder under shared/counties/)')
    .option('--year <year>', 'report year whose template.<year>.json applies (default: the base template.json)')
    .option('--out <file>', 'output file (default: <county>-template[-<year>].docx in the current folder)')
    .action(async (opts: { county: string; year?: string; out?: string }) => {
      const { writeFile } = await import('node:fs/promises');
      const { loadCatalogue } = await import('../../shared/core/catalogue/load');
      const { exportTemplateDocx } = await import('../../shared/core/template/template-doc');
      const { loadCountyForCli, parseYearOption } = await import('../options');
      const county = loadCountyForCli(opts.county);
      const year = opts.year === undefined ? undefined : parseYearOption(opts.year);
      const out = opts.out ?? `${county.config.id}-template${year ? `-${year}` : ''}.docx`;
      if (!out.toLowerCase().endsWith('.docx')) throw new UsageError(`--out must end in .docx, got "${out}"`);
      await writeFile(out, await exportTemplateDocx(county.template(year ?? 0), county.catalogue));
      process.stdout.write(`${out}: ${county.config.name}${year ? `${year}年度` : ''}报告模板（Word），改好后用 template-doc import 导回\n`);
    });

  command
    .command('import <file>')
    .description('turn an edited template .docx back into template.json (or, with --year, that year’s template.<year>.json)')
    .requiredOption('--county <id>', 'county id (a folder under shared/counties/)')
    .option('--year <year>', 'write template.<year>.json with the fields that differ from template.json')
    .option('--out <file>', 'write the JSON here instead of into shared/counties/<county>/')
    .action(async (file: string, opts: { county: string; year?: string; out?: string }) => {
      const { readFile, writeFile } = await import('node:fs/promises');
      const path = await import('node:path');
      const { isDeepStrictEqual } = await import('node:util');
      const { loadCatalogue } = await import('../../shared/core/catalogue/load');
      const { importTemplateDocx } = await import('../../shared/core/template/template-doc');
      const { loadCountyForCli, parseYearOption } = await import('../options');
      const county = loadCountyForCli(opts.county);
      const year = opts.year === undefined ? undefined : parseYearOption(opts.year);
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(file));
      } catch {
        throw new UsageError(`cannot read "${file}"`);
      }
      const base = county.template(0);
      const template = await importTemplateDocx(bytes, county.template(year ?? 0), county.catalogue);
      // A year's file holds only what differs from the base: the rest follows template.json.
      const fields = year === undefined ? template : Object.fromEntries(Object.entries(template).filter(([k, v]) => !isDeepStrictEqual(v, (base as Record<string, unknown>)[k])));
      const out = opts.out ?? path.join(county.dir, year === undefined ? 'template.json' : `template.${year}.json`);
      await writeFile(out, `${JSON.stringify(fields, null, 2)}\n`);
      process.stdout.write(`${out}: ${Object.keys(fields).length}项（${Object.keys(fields).join('、')}），${template.blocks.length}段\n`);
    });
}
