/**
 * Writes the .xlsx sample(s) of 金平县 the way a clerk makes one: the unit's
 * template from `yearly-report template`, filled in (封面 contact, 指标 数值)
 * and saved. Run after changing the county's indicators or template:
 *
 *   npx tsx shared/counties/jinping/samples/make-xlsx-samples.ts
 *
 * The committed .xlsx files are what the demo and the fidelity test read;
 * this script only documents and repeats how they were made.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';

const YEAR = 2025;
const REPO = path.resolve(__dirname, '../../../..');

interface XlsxSample {
  unit: string;
  contact: { name: string; phone: string };
  /** Indicator code → what the clerk types in 数值 (numbers as numbers, the rest as text). */
  values: Record<string, number | string>;
}

const SAMPLES: XlsxSample[] = [
  {
    unit: 'government_service_bureau',
    contact: { name: '龙海涛', phone: '0873-5225617' },
    values: {
      admin_license_items_listed: 236,
      one_thing_list_batches: 4,
      one_thing_themes: 50,
      online_service_availability_rate: '94.3%',
      online_service_cases: 13046,
      one_cert_measures: 103,
      one_cert_cases: 50386,
      cert_free_items: 225,
      cert_free_cases: 90412,
    },
  },
];

async function fill(sample: XlsxSample, templateFile: string, outFile: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(templateFile);
  const cover = workbook.getWorksheet('封面')!;
  cover.eachRow((row) => {
    const label = String(row.getCell(1).value ?? '');
    if (label === '联系人') row.getCell(2).value = sample.contact.name;
    if (label === '联系电话') row.getCell(2).value = sample.contact.phone;
  });
  const sheet = workbook.getWorksheet('指标')!;
  const header = sheet.getRow(1).values as unknown[];
  const codeCol = header.indexOf('指标代码');
  const valueCol = header.indexOf('数值');
  const seen = new Set<string>();
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const code = String(row.getCell(codeCol).value ?? '');
    if (!(code in sample.values)) throw new Error(`${sample.unit}: the template asks for ${code}, which the sample does not fill`);
    row.getCell(valueCol).value = sample.values[code]!;
    seen.add(code);
  });
  const unused = Object.keys(sample.values).filter((code) => !seen.has(code));
  if (unused.length > 0) throw new Error(`${sample.unit}: the template no longer asks for ${unused.join(', ')}`);
  await workbook.xlsx.writeFile(outFile);
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'jinping-xlsx-'));
  try {
    for (const sample of SAMPLES) {
      const templateFile = path.join(work, `${sample.unit}.xlsx`);
      execFileSync(process.execPath, [path.join(REPO, 'cli/bin.js'), 'template', '--county', 'jinping', '--year', String(YEAR), '--unit', sample.unit, '--out', templateFile], { stdio: 'inherit' });
      const outFile = path.join(__dirname, String(YEAR), `${sample.unit}.xlsx`);
      await fill(sample, templateFile, outFile);
      console.log(`wrote ${path.relative(REPO, outFile)}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
