import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { COVER_LABELS, SHEETS } from '../shared/core/submission/layout';
import { Prng } from './prng';

/**
 * Generated ledgers (台账) for the bench, from a seeded Prng: the same seed
 * gives byte-identical files. Values look like what clerks type, including a
 * few of the forms normalization exists for (全角 digits, "40课时", dates as
 * 2021年3月5日), so the parser's real work is measured, not just its happy path.
 */

export const BENCH_COUNTY = 'lingshou';
export const BENCH_YEAR = 2021;
/** Keeps every ledger the bench uses (enforcement_staff, lawsuit_cases) and is in both ledgers' submittedBy. */
export const BENCH_UNIT = 'justice_bureau';
export const BENCH_UNIT_NAME = '灵寿县司法局';

export type Cell = string | number;
export interface LedgerTable {
  ledgerId: string;
  /** Sheet name / CSV file name stem: the ledger's Chinese name, as the template names it. */
  ledgerName: string;
  headers: string[];
  rows: Cell[][];
}

const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红海燕玉兰金凤春梅文博宇浩然子涵思远'];

function personName(rng: Prng): string {
  const given = rng.chance(0.7) ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return rng.pick(SURNAMES) + given;
}

const FULL_WIDTH_DIGITS = '０１２３４５６７８９';
const toFullWidth = (s: string) => s.replace(/[0-9]/g, (d) => FULL_WIDTH_DIGITS[Number(d)]!);

/**
 * 行政执法人员名册: name, certificate number (the ledger's key, unique), training hours.
 * `typed` is true for xlsx, where Excel stores numbers as numbers; CSV is all text.
 */
export function enforcementStaff(rows: number, seed: number, options: { typed: boolean; certificatePrefix?: string }): LedgerTable {
  const rng = new Prng(seed);
  const prefix = options.certificatePrefix ?? '1301262';
  const out: Cell[][] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const hours = rng.chance(0.1) ? rng.int(0, 180) / 2 : rng.int(0, 90);
    let hoursCell: Cell = options.typed ? hours : String(hours);
    const variant = rng.next();
    if (variant < 0.03) hoursCell = `${hours}课时`;
    else if (variant < 0.05) hoursCell = toFullWidth(String(hours));
    else if (variant < 0.06) hoursCell = ` ${hours} `;
    out[i] = [personName(rng), `${prefix}${String(i + 1).padStart(7, '0')}`, hoursCell];
  }
  return { ledgerId: 'enforcement_staff', ledgerName: '行政执法人员名册', headers: ['姓名', '执法证号', '培训课时'], rows: out };
}

const AGENCIES = [
  '灵寿县人民政府',
  '灵寿县自然资源和规划局',
  '灵寿县城市管理综合行政执法局',
  '灵寿县市场监督管理局',
  '灵寿县公安局',
  '灵寿县人力资源和社会保障局',
  '灵寿县住房和城乡建设局',
  '灵寿县青同镇人民政府',
];
const LAWSUIT_OUTCOMES = ['胜诉', '败诉', '撤诉', '调解', '驳回起诉', '其他'];

/**
 * 行政诉讼案件台账 with co-defendants and long case numbers: wide rows, so a
 * file of a given size holds fewer rows (the memory bench wants ~50 MB of text).
 */
export function lawsuitCases(rows: number, seed: number): LedgerTable {
  const rng = new Prng(seed);
  const out: Cell[][] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const month = rng.int(1, 12);
    const day = rng.int(1, 28);
    const date = rng.chance(0.5) ? `${BENCH_YEAR}年${month}月${day}日` : `${BENCH_YEAR}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const defendants = Array.from({ length: rng.int(1, 4) }, () => rng.pick(AGENCIES));
    const closed = rng.chance(0.8);
    out[i] = [
      `（${BENCH_YEAR}）冀0126行初${String(i + 1).padStart(7, '0')}号`,
      date,
      [...new Set(defendants)].join('、'),
      closed ? '已结案' : '审理中',
      rng.chance(0.9) ? '是' : '否',
      closed ? rng.pick(LAWSUIT_OUTCOMES) : '',
    ];
  }
  return { ledgerId: 'lawsuit_cases', ledgerName: '行政诉讼案件台账', headers: ['案号', '立案日期', '被告机关', '办理状态', '负责人是否出庭', '判决结果'], rows: out };
}

// ---- files ------------------------------------------------------------------

function csvField(value: Cell, quoteAll = false): string {
  const s = String(value);
  return quoteAll || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A ledger as Excel's "CSV UTF-8" saves it: BOM, CRLF, header row first.
 * One ledger per CSV, named after the ledger (FORMAT.md).
 */
export function ledgerCsv(table: LedgerTable, { quoteAll = false } = {}): { fileName: string; bytes: Buffer } {
  const lines: string[] = [table.headers.map((h) => csvField(h, quoteAll)).join(',')];
  for (const row of table.rows) lines.push(row.map((v) => csvField(v, quoteAll)).join(','));
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
  return { fileName: `${table.ledgerName}.csv`, bytes };
}

/**
 * A workbook as the `template` command lays it out and a clerk fills it:
 * a cover sheet naming county, unit and year, then one sheet per ledger with
 * its header row first. Written with exceljs's streaming WorkbookWriter and
 * shared strings, as Excel itself saves text.
 */
export async function ledgerXlsx(tables: readonly LedgerTable[]): Promise<{ fileName: string; bytes: Buffer }> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true, useStyles: false });
  const cover = workbook.addWorksheet(SHEETS.cover);
  for (const row of coverRows()) cover.addRow(row).commit();
  cover.commit();
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.ledgerName);
    sheet.addRow(table.headers).commit();
    for (const row of table.rows) sheet.addRow(row).commit();
    sheet.commit();
  }
  await workbook.commit();
  await done;
  return { fileName: `${BENCH_UNIT_NAME}${BENCH_YEAR}年度报送.xlsx`, bytes: Buffer.concat(chunks) };
}

/** Labels from the parser's own layout (layout.ts), so a renamed label cannot silently break the bench's files. */
function coverRows(): Cell[][] {
  return [
    ['项目', '内容'],
    [COVER_LABELS.county[0], '灵寿县'],
    [COVER_LABELS.unit[0], BENCH_UNIT_NAME],
    [COVER_LABELS.year[0], BENCH_YEAR],
    [COVER_LABELS.contact[0], '张明'],
    [COVER_LABELS.phone[0], '0311-82512345'],
  ];
}

/** A submission-file@1 JSON with one ledger (used to seed the aggregate bench through the real JSON parser). */
export function ledgerJson(unitId: string, year: number, table: LedgerTable): string {
  const rows = table.rows.map((row) => Object.fromEntries(table.headers.map((h, i) => [h, row[i]])));
  return JSON.stringify({
    $schema: 'yearly-report/submission-file@1',
    county: BENCH_COUNTY,
    year,
    unit: unitId,
    indicators: {},
    ledgers: { [table.ledgerId]: rows },
    narratives: [],
  });
}
