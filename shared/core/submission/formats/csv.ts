import { isUtf8 } from 'node:buffer';
import { quoteFreeLines, RaggedRecords, STOP } from './csv-records';
import { MAX_LEDGER_ROWS } from '../limits';
import type { SubmissionBuilder } from '../builder';
import { cellText } from '../cells';
import { SHEET_ALIASES } from '../layout';
import type { ParseOutcome } from '../normalized';
import { matchKey } from '../normalize/text';
import { isUtf16Bom } from '../sniff';
import { CoverReader, guessTableFromHeader, IndicatorReader, LedgerReader, Locator, NarrativeReader, TableReader } from './tables';

/**
 * CSV submissions (FORMAT.md): what Excel's "Save As CSV" makes of one sheet
 * of the template, or of one sheet holding several blocks. A block starts
 * with a row whose only cell names it — 【封面】, 【指标】, 【行政诉讼案件台账】,
 * 【工作情况】 (brackets optional). A file without block rows is one block,
 * named by the file name (行政诉讼案件台账.csv) or recognised by its header.
 *
 * Encoding is detected, never asked: UTF-8 (with or without BOM) is decoded
 * strictly; anything that is not valid UTF-8 is GB18030 (a superset of GBK,
 * what Excel on Chinese Windows writes); UTF-16 with a BOM is Excel's
 * "Unicode text" export.
 */
type BlockKind = 'cover' | 'indicators' | 'narratives' | 'instructions';

export async function parseCsvSubmission(bytes: Uint8Array, fileName: string, builder: SubmissionBuilder): Promise<ParseOutcome> {
  const input = decodeCsvInput(bytes);
  if (input === undefined) {
    builder.report('NOT_TEXT', {}, '无法按UTF-8或GB18030（GBK）解码；请在Excel中“另存为”CSV UTF-8（逗号分隔）');
    return builder.finish();
  }
  const delimiter = detectDelimiter(typeof input === 'string' ? input : input.toString('utf8', 0, Math.min(input.length, 4096)));
  const locate: Locator = (row, col, header) => ({ row, column: header && header !== '' ? header : `第${col + 1}列` });
  const resolveBlock = blockResolver(builder);
  let reader: TableReader | undefined;
  let ledgerReader: LedgerReader | undefined; // the current block, when it is a ledger
  let unresolved = false;
  let ledgerShape: LedgerShape | undefined; // the current ledger's header and its width, computed once

  const consume = (record: string[], line: number): void => {
    let last = record.length - 1;
    while (last >= 0 && record[last]!.trim() === '') last--;
    if (last < 0) return; // a blank line
    if (last === 0) {
      const block = resolveBlock(record[0]!, true);
      if (block) {
        reader?.end();
        reader = openBlock(block, builder, locate, { row: line });
        ledgerReader = reader instanceof LedgerReader ? reader : undefined;
        return;
      }
    }
    if (!reader) {
      if (unresolved) return;
      const block = resolveBlock(fileName.replace(/\.csv$/i, ''), false) ?? guessFromHeader(builder, record);
      if (!block) {
        unresolved = true;
        builder.report('CSV_UNKNOWN_BLOCK', { row: line }, '请在第一行单独写明内容类别（如“【指标】”或台账名称“【行政诉讼案件台账】”），或将文件命名为台账名称');
        return;
      }
      reader = openBlock(block, builder, locate, { row: line });
      ledgerReader = reader instanceof LedgerReader ? reader : undefined;
    }
    if (ledgerReader?.header) {
      if (ledgerShape?.header !== ledgerReader.header) ledgerShape = { header: ledgerReader.header, width: headerWidth(ledgerReader.header) };
      if (!rowFits(ledgerShape, record, last, line, builder)) return;
    }
    reader.row(record, line);
  };

  // Line numbers: when no quoted field spans lines (nearly always), a record's
  // line is its index + 1 (csv-parse keeps blank lines as records); otherwise
  // one more than the lines csv-parse had read by the end of the record
  // before. The file is fed to csv-parse in pieces and each record handed on
  // as it completes, so the records of a large ledger never all exist at
  // once. Past MAX_CSV_RECORDS the parse stops.
  const multiline = hasMultilineField(input);
  let records = 0;
  let previousEnd = 0; // lines read by the end of the record before
  const handOn = (record: string[], linesSoFar: number): boolean => {
    const line = multiline ? previousEnd + 1 : records + 1;
    previousEnd = linesSoFar;
    if (++records > MAX_CSV_RECORDS) {
      builder.report('LEDGER_TOO_MANY_ROWS', { row: line }, `文件超过${MAX_CSV_RECORDS}行，已停止读取；台账每个最多${MAX_LEDGER_ROWS}行，请拆分后上传`);
      return STOP;
    }
    consume(record, line);
    return true;
  };
  // Rows streaming to DynamoDB (builder.ts ParseContext.rowSink) must wait for the writers before any record while
  // the queue is full, and csv-parse calls back synchronously: with a sink, each smaller piece's records are kept
  // until csv-parse returns, then handed on one by one, awaiting room as needed.
  const sink = builder.rowSink;
  let pending: [string[], number][] = [];
  const take = (record: string[], linesSoFar: number): boolean => {
    if (!sink) return handOn(record, linesSoFar);
    pending.push([record, linesSoFar]);
    return true;
  };
  const drain = async (): Promise<boolean> => {
    const records = pending;
    pending = [];
    for (const [record, linesSoFar] of records) {
      if (sink!.full) await sink!.room();
      if (handOn(record, linesSoFar) === STOP) return false;
    }
    return true;
  };
  // A record's fields become one array: 20 MB of commas would be twenty million of them.
  if (input.length > MAX_CSV_DELIMITERS && countCode(input, delimiter.charCodeAt(0), MAX_CSV_DELIMITERS) > MAX_CSV_DELIMITERS) {
    builder.report('CSV_SYNTAX', {}, `文件中的分隔符超过${MAX_CSV_DELIMITERS}个，不是有效的台账（每个台账最多${MAX_LEDGER_ROWS}行）`);
    return builder.finish();
  }
  // Without a quote anywhere, splitting is csv-parse's reading, done natively (csv-records.ts quoteFreeLines).
  const lines = quoteFreeLines(input, MAX_CSV_RECORD_BYTES);
  if (lines) {
    for (let i = 0; i < lines.length; i++) {
      if (sink?.full) await sink.room();
      if (handOn(lines[i]!.split(delimiter), i + 1) === STOP) break;
    }
    reader?.end();
    return builder.finish();
  }
  // Blank lines stay records (csv-parse's default) so that index + 1 is the line.
  const parser = new RaggedRecords({ delimiter, skip_empty_lines: false, bom: true, max_record_size: MAX_CSV_RECORD_BYTES }, take);
  try {
    let reading = true;
    for (const piece of chunks(input, sink ? STREAMED_SLICE_BYTES : CSV_SLICE_BYTES)) {
      if (!(reading = parser.write(piece, false))) break;
      if (sink && !(reading = await drain())) break;
    }
    if (reading) {
      parser.write(undefined, true);
      if (sink) await drain();
    }
  } catch (err) {
    // The records before the error are read as without a sink: their problems are listed too.
    if (sink) await drain();
    const e = err as Error & { lines?: number; code?: string };
    if (e.code === 'CSV_MAX_RECORD_SIZE') builder.report('CSV_SYNTAX', { row: e.lines ?? previousEnd + 1 }, `一行（或一个带引号的字段）超过${MAX_CSV_RECORD_BYTES / 1024} KB；请检查是否缺少右引号`);
    else builder.report('CSV_SYNTAX', e.lines !== undefined ? { row: e.lines } : {}, e.message);
    return builder.finish();
  }
  reader?.end();
  return builder.finish();
}

/**
 * A record can hold a ledger row of capped cells (limits.ts) or a narrative;
 * anything longer is a broken quote swallowing the file, stopped before it
 * becomes one huge string.
 */
const MAX_CSV_RECORD_BYTES = 1024 * 1024;
/** Every ledger at its row limit is not possible in one file; this bounds blank and junk lines too. */
const MAX_CSV_RECORDS = MAX_LEDGER_ROWS + 20_000;

/** Far more than any ledger holds (25 columns × MAX_LEDGER_ROWS); one record of this many fields is a 40 MB array, and a file under this size needs no count. */
const MAX_CSV_DELIMITERS = 5_000_000;

/** Occurrences of one ASCII code unit, counting stops past `stopAfter` (a loop that allocates nothing). */
function countCode(input: string | Buffer, code: number, stopAfter: number): number {
  let n = 0;
  if (typeof input === 'string') {
    for (let i = 0; i < input.length; i++) if (input.charCodeAt(i) === code && ++n > stopAfter) break;
  } else {
    for (let i = 0; i < input.length; i++) if (input[i] === code && ++n > stopAfter) break;
  }
  return n;
}

/** Fixed-size pieces of the input, without copying a Buffer (a record may span a cut: csv-parse keeps its state). */
function* chunks(input: string | Buffer, size: number): Generator<string | Buffer> {
  let start = 0;
  while (start < input.length) {
    let end = Math.min(start + size, input.length);
    // Never between the halves of a surrogate pair (text decoded from GB18030 or UTF-16); csv-parse joins split UTF-8 bytes itself.
    if (typeof input === 'string' && end < input.length && /[\uD800-\uDBFF]/.test(input[end - 1]!)) end--;
    yield input.slice(start, end);
    start = end;
  }
}

/** About 4 MiB of CSV per csv-parse call: big enough that the calls cost nothing, small enough that a string input is never encoded to bytes whole. */
const CSV_SLICE_BYTES = 4 * 1024 * 1024;
/** With a row sink, the records of one piece wait in an array before they go on (a few thousand rows at most). */
const STREAMED_SLICE_BYTES = 256 * 1024;

/**
 * Valid UTF-8 stays a Buffer (csv-parse reads bytes; a string would be
 * encoded back to bytes first). Anything else becomes text: UTF-16 by its
 * BOM, otherwise GB18030 — undefined when even that leaves undecodable bytes.
 */
function decodeCsvInput(bytes: Uint8Array): Buffer | string | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf16Bom(bytes)) return new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes);
  if (isUtf8(buf)) return buf;
  return decodeGb18030(buf);
}

/**
 * GB18030 (a superset of GBK): Node's own decoder when it was built with full
 * ICU (official builds and Lambda are), else iconv-lite, loaded only then —
 * its code tables are half a megabyte an ingest cold start need not pay for.
 */
function decodeGb18030(buf: Buffer): string | undefined {
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  try {
    decoder = new TextDecoder('gb18030', { fatal: true });
  } catch {
    decoder = undefined; // small-ICU build: no gb18030 in TextDecoder
  }
  if (decoder) {
    try {
      return decoder.decode(buf);
    } catch {
      return undefined;
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
  const iconv = require('iconv-lite') as typeof import('iconv-lite');
  const text = iconv.decode(buf, 'gb18030');
  return text.includes('\uFFFD') ? undefined : text;
}

/** The file as text, whatever its encoding (for readers that want a string). */
export function decodeCsvText(bytes: Uint8Array): string | undefined {
  const input = decodeCsvInput(bytes);
  return typeof input === 'string' || input === undefined ? input : input.toString('utf8');
}

/** Excel's "Unicode text" is tab-separated; a clerk in Europe-set Windows may get semicolons. */
export function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, Math.min(text.length, 4096)).split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const tabs = count('\t');
  const commas = count(',');
  const semicolons = count(';');
  if (tabs > commas && tabs >= semicolons) return '\t';
  if (semicolons > commas) return ';';
  return ',';
}

type Block = { kind: BlockKind } | { kind: 'ledger'; ledger: import('../../catalogue/schema').LedgerDef };

function blockResolver(builder: SubmissionBuilder): (text: string, isMarkerRow: boolean) => Block | undefined {
  const fixed = new Map<string, BlockKind>();
  for (const [kind, names] of Object.entries(SHEET_ALIASES) as [BlockKind, readonly string[]][]) {
    for (const n of names) fixed.set(matchKey(n), kind);
  }
  return (text, isMarkerRow) => {
    const key = matchKey(text).replace(/^[【\[]|[】\]]$/g, '');
    const kind = fixed.get(key);
    if (kind) return { kind };
    const ledger = builder.findLedger(key);
    if (ledger) return { kind: 'ledger', ledger };
    if (isMarkerRow) return undefined;
    // A file name may carry more: 灵寿县司法局-行政诉讼案件台账-2021.csv.
    for (const l of builder.ctx.catalogue.ledgers) if (key.includes(matchKey(l.name))) return { kind: 'ledger', ledger: l };
    for (const [alias, k] of fixed) if (alias.length > 1 && key.includes(alias)) return { kind: k };
    return undefined;
  };
}

/** A single-block file with neither marker nor telling name: its header says what it is. */
function guessFromHeader(builder: SubmissionBuilder, record: readonly string[]): Block | undefined {
  return guessTableFromHeader(builder.ctx.catalogue.ledgers, record);
}

function openBlock(block: Block, builder: SubmissionBuilder, locate: Locator, where: { row: number }): TableReader {
  switch (block.kind) {
    case 'cover':
      return new CoverReader(builder, locate);
    case 'indicators':
      return new IndicatorReader(builder, locate, where);
    case 'narratives':
      return new NarrativeReader(builder, locate, where);
    case 'instructions':
      return { row: () => undefined, end: () => undefined };
    case 'ledger':
      return new LedgerReader(builder, block.ledger, locate, where);
  }
}

/**
 * A ledger row must have the header's shape. Excel pads every row of a sheet
 * to the same width, so a shorter row or a value beyond the last header is a
 * hand edit gone wrong (or a comma inside an unquoted field).
 */
interface LedgerShape {
  header: readonly unknown[];
  /** Fields up to the last non-empty header cell. */
  width: number;
}

function headerWidth(header: readonly unknown[]): number {
  let width = header.length;
  while (width > 0 && cellText(header[width - 1]) === '') width--;
  return width;
}

function rowFits(shape: LedgerShape, record: readonly string[], lastFilled: number, line: number, builder: SubmissionBuilder): boolean {
  const headerWidth = shape.width;
  if (record.length < headerWidth) {
    builder.report('CSV_RAGGED_ROW', { row: line }, `表头有${headerWidth}列，此行只有${record.length}列`, record.join(','));
    return false;
  }
  if (lastFilled >= headerWidth) {
    if (record.length !== shape.header.length) {
      builder.report('CSV_RAGGED_ROW', { row: line }, `表头有${headerWidth}列，此行有${lastFilled + 1}列（字段中的逗号需用英文双引号括起）`, record.join(','));
    } else {
      builder.report('CSV_VALUE_WITHOUT_HEADER', { row: line, column: `第${lastFilled + 1}列` }, undefined, record[lastFilled]);
    }
    return false;
  }
  return true;
}

/** True when some quoted field contains a line break (then records and lines differ). */
export function hasMultilineField(input: string | Buffer): boolean {
  // '"', CR and LF are ASCII, so searching UTF-8 bytes is as good as searching text. Searched natively, from each
  // opening quote to the next quote (a doubled quote closes and reopens, which changes nothing here); the next LF
  // and CR are looked up again only once passed, so the input is read once. A Buffer is searched for byte values:
  // a string needle would be converted on every call.
  const find: (code: number, from: number) => number =
    typeof input === 'string' ? (code, from) => input.indexOf(String.fromCharCode(code), from) : (code, from) => input.indexOf(code, from);
  let lf = -2;
  let cr = -2;
  for (let open = find(0x22, 0); open >= 0; ) {
    const close = find(0x22, open + 1);
    const end = close < 0 ? input.length : close;
    if (lf !== -1 && lf < open) lf = find(0x0a, open + 1);
    if (lf >= 0 && lf < end) return true;
    if (cr !== -1 && cr < open) cr = find(0x0d, open + 1);
    if (cr >= 0 && cr < end) return true;
    if (close < 0) return false;
    open = find(0x22, close + 1);
  }
  return false;
}
