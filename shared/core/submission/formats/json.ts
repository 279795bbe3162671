import type { ParseOutcome } from '../normalized';
import type { SubmissionBuilder } from '../builder';
import { MAX_JSON_DEPTH, MAX_JSON_OBJECTS, MAX_JSON_VALUES, MAX_LEDGER_ROWS } from '../limits';
import { resolveHeader } from '../normalize/headers';
import { problem } from '../problem-codes';
import { SUBMISSION_FILE_SCHEMA_ID, SubmissionFileV1Schema } from '../submission-file.v1';

/**
 * JSON submissions (submission-file@1, FORMAT.md). Hostile input is stopped
 * before it reaches the rules: invalid UTF-8, nesting beyond MAX_JSON_DEPTH
 * (checked by a scan, before JSON.parse builds anything), and keys such as
 * __proto__ that could pollute prototypes if a later step merged objects.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseJsonSubmission(bytes: Uint8Array, builder: SubmissionBuilder): ParseOutcome {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return fail(problem('JSON_NOT_UTF8', {}, '请以UTF-8编码保存'));
  }
  const shape = jsonShape(text);
  if (shape.depth > MAX_JSON_DEPTH) return fail(problem('JSON_TOO_DEEP', {}, `超过${MAX_JSON_DEPTH}层`));
  // Counted before JSON.parse builds anything: 19 MB of {} is six million objects, a gigabyte once parsed.
  if (shape.objects > MAX_JSON_OBJECTS) return fail(problem('JSON_TOO_MANY_ELEMENTS', {}, `含${shape.objects}个对象，上限${MAX_JSON_OBJECTS}（台账每个最多${MAX_LEDGER_ROWS}行）`));
  if (shape.values > MAX_JSON_VALUES) return fail(problem('JSON_TOO_MANY_ELEMENTS', {}, `含${shape.values}个值，上限${MAX_JSON_VALUES}`));

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return fail(problem('JSON_SYNTAX', syntaxLocation(text, err as Error), (err as Error).message));
  }
  const forbidden = findForbiddenKey(data, '');
  if (forbidden !== undefined) return fail(problem('JSON_FORBIDDEN_KEY', { path: forbidden }, '不允许使用__proto__、constructor、prototype作为键名'));

  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail(problem('JSON_SCHEMA', { path: '(root)' }, '文件应为一个JSON对象'));
  }
  const declared = (data as Record<string, unknown>).$schema;
  if (declared !== SUBMISSION_FILE_SCHEMA_ID) {
    return fail(problem('JSON_SCHEMA_VERSION', { path: '$schema' }, `应为“${SUBMISSION_FILE_SCHEMA_ID}”`, declared ?? '(缺少)'));
  }
  const parsed = SubmissionFileV1Schema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = jsonPath(issue.path);
      const isMissing = issue.code === 'invalid_type' && getAt(data, issue.path) === undefined;
      builder.add(problem(isMissing ? 'MISSING_FIELD' : 'JSON_SCHEMA', { path }, issue.message));
    }
    return builder.finish();
  }
  const file = parsed.data;

  builder.claimCounty(file.county, { path: 'county' });
  builder.claimYear(typeof file.year === 'number' ? String(file.year) : file.year, { path: 'year' });
  builder.claimUnit(file.unit, { path: 'unit' });
  if (file.contact?.name !== undefined) builder.setContact('name', file.contact.name);
  if (file.contact?.phone !== undefined) builder.setContact('phone', file.contact.phone);

  for (const [id, entry] of Object.entries(file.indicators)) {
    const location = { path: `indicators.${id}` };
    if (entry !== null && typeof entry === 'object') {
      builder.addIndicator(id, entry.value, entry.note, location, { path: `indicators.${id}.value` });
    } else {
      builder.addIndicator(id, entry, undefined, location);
    }
  }

  for (const [ref, rows] of Object.entries(file.ledgers)) {
    const where = { path: `ledgers.${ref}` };
    const ledger = builder.findLedger(ref);
    if (!ledger) {
      builder.report('UNKNOWN_LEDGER', where, `“${ref}”不在台账目录中`, ref);
      continue;
    }
    if (rows.length === 0) {
      builder.declareEmptyLedger(ledger, where);
      continue;
    }
    // Rows may name a column by id, printed header or alias, and not all rows
    // alike: resolve each distinct key once, then lay rows out by column id.
    const headers: string[] = [];
    const slotOfKey = new Map<string, number>();
    const slotOfHeader = new Map<string, number>();
    const slotFor = (key: string): number => {
      let slot = slotOfKey.get(key);
      if (slot === undefined) {
        const header = resolveHeader(ledger, key)?.id ?? key;
        slot = slotOfHeader.get(header);
        if (slot === undefined) {
          slot = headers.length;
          headers.push(header);
          slotOfHeader.set(header, slot);
        }
        slotOfKey.set(key, slot);
      }
      return slot;
    };
    // Two passes, so no laid-out copy of the ledger exists at once: the
    // columns first (a row's keys, resolved once each), then row by row.
    for (const row of rows) {
      if (typeof row === 'object' && row !== null && !Array.isArray(row)) for (const key of Object.keys(row)) slotFor(key);
    }
    const sink = builder.openLedger(
      ledger,
      headers,
      (col) => ({ path: `ledgers.${ref}[*].${headers[col]}`, column: headers[col] }),
      (row, col) => ({ path: `ledgers.${ref}[${row - 1}].${headers[col]}`, row, column: headers[col] }),
      where,
    );
    rows.forEach((row, i) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        builder.report('JSON_SCHEMA', { path: `ledgers.${ref}[${i}]`, row: i + 1 }, '台账的每一行应为一个对象');
        return;
      }
      const cells: unknown[] = [];
      for (const [key, v] of Object.entries(row)) {
        const slot = slotFor(key);
        const path = `ledgers.${ref}[${i}].${key}`;
        if (v !== null && v !== undefined && typeof v === 'object') {
          builder.report('JSON_SCHEMA', { path, row: i + 1 }, '单元格应为文字、数字或是/否', v);
        } else if (cells[slot] !== undefined) {
          builder.report('DUPLICATE_COLUMN', { path, row: i + 1, column: key }, `同一行中“${key}”与另一个键都表示“${headers[slot]}”`, key);
        } else {
          cells[slot] = v;
        }
      }
      if (sink) sink.addRow(cells, i + 1);
    });
  }

  file.narratives.forEach((n, i) => {
    builder.addNarrative(n.section, n.text, { path: `narratives[${i}].text` }, { path: `narratives[${i}].section` });
  });
  return builder.finish();
}

function fail(p: ReturnType<typeof problem>): ParseOutcome {
  return { ok: false, problems: [p] };
}

/**
 * Bracket nesting, objects, and values (commas and containers) outside
 * strings: a linear scan that allocates nothing, run before JSON.parse.
 */
export function jsonShape(text: string): { depth: number; objects: number; values: number } {
  let depth = 0;
  let max = 0;
  let objects = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x2c /* , */) values++;
    else if (c === 0x7b || c === 0x5b) {
      if (c === 0x7b) objects++;
      values++;
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return { depth: max, objects, values };
}

/** Maximum bracket nesting outside strings. */
export function nestingDepth(text: string): number {
  return jsonShape(text).depth;
}

/** Depth is already bounded by MAX_JSON_DEPTH, so recursion is safe here. */
function findForbiddenKey(value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findForbiddenKey(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const p = path === '' ? key : `${path}.${key}`;
    if (FORBIDDEN_KEYS.has(key)) return p;
    const found = findForbiddenKey((value as Record<string, unknown>)[key], p);
    if (found !== undefined) return found;
  }
  return undefined;
}

function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out || '(root)';
}

function getAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

/** "Unexpected end of JSON input", "... at position 120 (line 5 column 3)": give the clerk a line. */
function syntaxLocation(text: string, err: Error): { row?: number; column?: string } {
  const m = /line (\d+) column (\d+)/.exec(err.message);
  if (m) return { row: Number(m[1]), column: `第${m[2]}个字符` };
  const pos = /position (\d+)/.exec(err.message);
  const offset = pos ? Number(pos[1]) : text.length;
  const before = text.slice(0, offset);
  const row = before.split('\n').length;
  return { row, column: `第${offset - before.lastIndexOf('\n')}个字符` };
}
