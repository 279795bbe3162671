import type { Command } from 'commander';
import { UsageError } from '../usage-error';

/**
 * `county check <id|folder>`: lints a county folder the way every load checks
 * it, plus what is merely suspicious, and prints per unit what it will be
 * asked for. Exit 0 clean (warnings allowed), 1 problems, 2 usage.
 */
export function register(program: Command): void {
  const county = program.command('county').description('work on a county folder (shared/counties/<id>/)');
  county
    .command('check')
    .description("lint a county folder: strict config, the county's own indicators, assignments, template placeholders; then what each unit will be asked for")
    .argument('<county>', 'county id (a folder under shared/counties/) or the path of a county folder')
    .option('--year <year>', "the report year whose template decides what units are asked for (default: the newest template.<year>.json, else last year)")
    .option('--json', 'print the problems and the plan as JSON')
    .action(async (target: string, opts: { year?: string; json?: boolean }) => {
      const { existsSync } = await import('node:fs');
      const path = await import('node:path');
      const { checkCountyFolder, countyDirInRepo } = await import('../../shared/core/county/load');
      const { parseYearOption } = await import('../options');
      const { isComputedIndicator } = await import('../../shared/core/county/plan');
      const dir = /[/\\]/.test(target) || target === '.' ? path.resolve(target) : countyDirInRepo(target);
      if (!existsSync(path.join(dir, 'county.json'))) throw new UsageError(`no county.json in ${dir}; name a folder under shared/counties/ or give a path`);
      const { county: loaded, problems } = checkCountyFolder(dir);
      const errors = problems.errors;
      const warnings = problems.list.filter((p) => p.severity === 'warning');
      const rel = (file: string) => (path.isAbsolute(file) ? path.relative(process.cwd(), file) || file : file);

      const year = opts.year !== undefined ? parseYearOption(opts.year) : (loaded?.overrideYears.at(-1) ?? new Date().getFullYear() - 1);
      const plan = loaded?.plan(year);
      const asked = loaded && plan
        ? loaded.config.units.map((unit) => ({
            unit,
            indicators: plan.indicatorsFor(unit).filter((d) => !isComputedIndicator(d)),
            ledgers: plan.ledgersFor(unit),
          }))
        : [];

      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify(
            {
              folder: dir,
              county: loaded?.config.id,
              year,
              problems: problems.list,
              units: asked.map((a) => ({ unit: a.unit.id, name: a.unit.name, optional: a.unit.optional, indicators: a.indicators.map((d) => d.id), ledgers: a.ledgers.map((l) => l.id) })),
            },
            null,
            2,
          )}\n`,
        );
      } else {
        const out: string[] = [];
        out.push(`${loaded ? `${loaded.config.name}（${loaded.config.id}）` : rel(dir)}：${errors.length === 0 ? '配置检查通过' : `${errors.length}处错误`}${warnings.length ? `，${warnings.length}处提醒` : ''}`);
        errors.forEach((p, i) => out.push(`  错误${i + 1}. ${rel(p.file)} ${p.path}: ${p.message}`));
        warnings.forEach((p, i) => out.push(`  提醒${i + 1}. ${rel(p.file)} ${p.path}: ${p.message}`));
        if (errors.length > 0) {
          out.push('', '改正以上错误后再运行本命令；每条都写明了文件和JSON路径。指南：shared/counties/README.md');
        } else if (loaded && plan) {
          out.push('', `${year}年度模板向各单位收集的内容（共${plan.collected.size}项指标或台账）：`);
          for (const { unit, indicators, ledgers } of asked) {
            const what = [
              indicators.length ? `指标${indicators.length}项：${indicators.map((d) => d.name).join('、')}` : '',
              ledgers.length ? `台账：${ledgers.map((l) => l.name).join('、')}` : '',
            ].filter(Boolean);
            const mark = unit.optional ? '（可选报送）' : '';
            const nothing = unit.narrativeOnly ? '只报送工作情况（文字材料）' : '本年度模板不向其收集指标或台账';
            out.push(`  ${unit.name}${mark}：${what.length ? what.join('；') : nothing}`);
          }
        }
        process.stdout.write(`${out.join('\n')}\n`);
      }
      if (errors.length > 0) process.exitCode = 1;
    });

  county
    .command('draft')
    .description("draft a county folder from the county's last published report (.docx, .txt/.md, .html): county.json, template.json, indicators.json, samples, DRAFT-REVIEW.md")
    .argument('<file>', 'the published report: the office\'s .docx, the website text (.txt/.md, one paragraph a line) or the saved page (.html)')
    .requiredOption('--out <dir>', 'where the folder goes: <dir> itself when its name is the county id, else <dir>/<id>/')
    .option('--id <id>', 'the county id (default: the pinyin of its name)')
    .option('--name <name>', 'the county name, e.g. 灵寿县 (default: from the title)')
    .option('--year <year>', 'the report year (default: from the title)')
    .option('--units <file>', 'more units, one name a line (units the text never names)')
    .option('--force', 'overwrite a folder that already has a county.json')
    .addHelpText('after', '\nExample:\n  npx yearly-report county draft 灵寿县2021年度法治政府建设情况报告.docx --out drafts\n  npm start -- --county-dir drafts/lingshou --year 2021\n')
    .action(async (file: string, opts: { out: string; id?: string; name?: string; year?: string; units?: string; force?: boolean }) => {
      const { existsSync, mkdirSync, readFileSync, writeFileSync } = await import('node:fs');
      const path = await import('node:path');
      const { readReportSource } = await import('../draft-source');
      const { draftCounty, DraftError } = await import('../../shared/core/county/draft/build');
      const { ReportStructureError } = await import('../../shared/core/county/draft/structure');
      const { checkCountyFolder } = await import('../../shared/core/county/load');
      const { parseYearOption } = await import('../options');
      if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
      if (opts.id !== undefined && !/^[a-z][a-z0-9_]*$/.test(opts.id)) throw new UsageError(`--id must be snake_case ascii, got "${opts.id}"`);
      const units = opts.units ? readFileSync(opts.units, 'utf8').split(/\r?\n/) : undefined;
      const started = Date.now();
      let draft;
      try {
        draft = draftCounty(await readReportSource(file), {
          ...(opts.id ? { id: opts.id } : {}),
          ...(opts.name ? { name: opts.name } : {}),
          ...(opts.year !== undefined ? { year: parseYearOption(opts.year) } : {}),
          ...(units ? { units } : {}),
          sourceName: path.basename(file),
        });
      } catch (err) {
        if (err instanceof DraftError || err instanceof ReportStructureError) throw new UsageError(`${file}: ${err.message}`);
        throw err;
      }
      const out = path.resolve(opts.out);
      const dir = path.basename(out) === draft.countyId ? out : path.join(out, draft.countyId);
      if (existsSync(path.join(dir, 'county.json')) && !opts.force) throw new UsageError(`${dir} already has a county.json; choose another --out or add --force to overwrite it`);
      for (const [rel, content] of Object.entries(draft.files)) {
        const target = path.join(dir, rel);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
      const { problems } = checkCountyFolder(dir);
      const rel = path.relative(process.cwd(), dir) || '.';
      const lines = [
        `${draft.countyId}: drafted ${rel}/ from ${path.basename(file)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        ...draft.inferred.map((s) => `  ${s}`),
        `  ${draft.figures.length} figures → indicators.json, ${Object.keys(draft.files).filter((f) => f.startsWith('samples/')).length} sample submissions (samples/${draft.year}/)`,
        `  county check: ${problems.errors.length === 0 ? 'passes' : `${problems.errors.length} errors`}`,
        ...problems.errors.map((p) => `    ${p.path}: ${p.message}`),
        `Review ${rel}/DRAFT-REVIEW.md, then: npm start -- --county-dir ${rel} --year ${draft.year}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      if (problems.errors.length > 0) process.exitCode = 1;
    });

  county
    .command('catalogue')
    .description('list the indicators a report may state: id, name, measure word, kind and who submits each (national, or as a county uses them)')
    .option('--county <county>', "the county's catalogue instead of the national one: less catalogue.exclude, plus its own, with catalogue.assign, and the units each reaches")
    .option('--json', 'print the list as JSON')
    .action(async (opts: { county?: string; json?: boolean }) => {
      const { loadCatalogue } = await import('../../shared/core/catalogue/load');
      const { valueTypeOf } = await import('../../shared/core/catalogue/schema');
      const { loadCounty, countyDirInRepo } = await import('../../shared/core/county/load');
      const { unitMatches } = await import('../../shared/core/county/plan');
      const county = opts.county ? loadCounty(countyDirInRepo(opts.county)) : undefined;
      const catalogue = county?.catalogue ?? loadCatalogue();
      const rows = catalogue.indicators.map((def) => {
        const agg = def.aggregation;
        const reads = agg.kind === 'ratio' ? ` ${agg.numerator}/${agg.denominator}` : agg.kind === 'sum_of' ? ` ${agg.parts.join('+')}` : 'of' in agg && agg.of ? ` of ${agg.of}` : '';
        return {
          id: def.id,
          name: def.name,
          unit: def.unit,
          kind: `${agg.kind}${reads}`,
          valueType: valueTypeOf(def),
          submittedBy: def.submittedBy.map((s) => (s.kind === 'role' ? `role:${s.role}` : s.kind === 'group' ? `group:${s.group}` : `unit:${s.unit}`)),
          file: catalogue.fileOf(def.id),
          ...(county ? { units: county.config.units.filter((u) => unitMatches(u, def.submittedBy)).map((u) => u.id) } : {}),
        };
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const out = [`${county ? `${county.config.name}（${county.config.id}）` : '全国'}指标目录：${rows.length}项（id | 名称 | 量词 | 汇总方式 | 值类型 | 报送者${county ? ' | 本县报送单位数' : ''}）`];
      for (const r of rows) out.push(`  ${r.id} | ${r.name} | ${r.unit} | ${r.kind} | ${r.valueType} | ${r.submittedBy.join(', ')}${r.units ? ` | ${r.units.length}` : ''}`);
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
