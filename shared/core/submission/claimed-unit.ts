import type { LoadedCounty } from '../county/load';
import { cellText } from './cells';
import { nestingDepth } from './formats/json';
import { readWorksheets } from './formats/xlsx';
import { COVER_LABELS, SHEET_ALIASES } from './layout';
import { MAX_JSON_DEPTH, MAX_SUBMISSION_BYTES } from './limits';
import { labelMatcher } from './normalize/headers';
import { matchKey } from './normalize/text';
import { resolveUnit, unitNamedByFileName } from './normalize/units';
import { sniff } from './sniff';

/**
 * The unit a file says it is from (cover sheet 填报单位, a CSV cover block,
 * or JSON "unit"), resolved by alias. Returns undefined when the file does
 * not say or cannot be read: the full parse then reports why.
 */
const isUnitLabel = (() => {
  const match = labelMatcher({ unit: COVER_LABELS.unit });
  return (text: string) => match(text) === 'unit';
})();

export interface UnitChoice {
  unitId: string;
  /** Named in a mismatch: "--unit 参数", "封面", "unit 字段", "文件名". */
  source: string;
}

/**
 * The one rule every command uses for whom a file is from: --unit, else the
 * file's cover sheet (JSON: its "unit" field), else its file name. The parse
 * then checks the other two claims against the chosen unit, so two that
 * disagree are an error naming both (ingest does the same with the upload
 * path in place of --unit).
 */
export async function chooseUnit(county: LoadedCounty, bytes: Uint8Array, fileName: string, explicitUnitId?: string): Promise<UnitChoice | undefined> {
  if (explicitUnitId) return { unitId: explicitUnitId, source: '--unit 参数' };
  const fromFile = await claimedUnit(bytes, fileName, county);
  if (fromFile) return { unitId: fromFile, source: fileName.toLowerCase().endsWith('.json') ? 'unit 字段' : '封面' };
  const named = unitNamedByFileName(county.config, fileName);
  return named ? { unitId: named.id, source: '文件名' } : undefined;
}

export async function claimedUnit(bytes: Uint8Array, fileName: string, county: LoadedCounty): Promise<string | undefined> {
  if (bytes.length === 0 || bytes.length > MAX_SUBMISSION_BYTES) return undefined;
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  const kind = sniff(bytes);
  let named: string | undefined;
  try {
    if (ext === 'json' && kind === 'json') named = fromJson(bytes);
    else if (ext === 'csv' && (kind === 'text' || kind === 'json')) named = await fromCsv(bytes);
    else if (ext === 'xlsx' && kind === 'zip') named = await fromXlsx(bytes);
  } catch {
    return undefined;
  }
  return named === undefined ? undefined : resolveUnit(county.config, named)?.id;
}

function fromJson(bytes: Uint8Array): string | undefined {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  if (nestingDepth(text) > MAX_JSON_DEPTH) return undefined;
  const data = JSON.parse(text) as { unit?: unknown };
  return typeof data?.unit === 'string' ? data.unit : undefined;
}

async function fromCsv(bytes: Uint8Array): Promise<string | undefined> {
  const { decodeCsvText, detectDelimiter } = await import('./formats/csv');
  const { parse } = await import('csv-parse/sync');
  const text = decodeCsvText(bytes);
  if (text === undefined) return undefined;
  const records = parse(text, { delimiter: detectDelimiter(text), relax_column_count: true, bom: true, to_line: 200 }) as string[][];
  for (const r of records) {
    const i = r.findIndex((c) => isUnitLabel(c));
    const value = i >= 0 ? r.slice(i + 1).find((c) => c.trim() !== '') : undefined;
    if (value) return value;
  }
  return undefined;
}

async function fromXlsx(bytes: Uint8Array): Promise<string | undefined> {
  const { checkWorkbookZip } = await import('./formats/xlsx-zip');
  const checked = await checkWorkbookZip(bytes);
  if (!checked.ok) return undefined;
  const coverNames = new Set(SHEET_ALIASES.cover.map(matchKey));
  for await (const ws of readWorksheets(checked.zip)) {
    // Sheets are inflated only when their rows are read: the others cost nothing, and reading stops at the claim.
    if (!coverNames.has(matchKey(ws.name ?? ''))) continue;
    for await (const row of ws) {
      const values = (row.values as unknown[]).map((v) => (v && typeof v === 'object' && 'richText' in v ? (v as { richText: { text: string }[] }).richText.map((r) => r.text).join('') : v));
      const i = values.findIndex((v) => typeof v === 'string' && isUnitLabel(v));
      const found = i >= 0 ? values.slice(i + 1).map(cellText).find((t) => t !== '') : undefined;
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
