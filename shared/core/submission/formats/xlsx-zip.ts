import { pipeline } from 'node:stream';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { MAX_SHARED_STRINGS_BYTES, MAX_XLSX_UNCOMPRESSED_BYTES, MAX_ZIP_ENTRIES, MAX_ZIP_ENTRY_RATIO, ZIP_RATIO_FLOOR_BYTES } from '../limits';
import { problem } from '../problem-codes';
import type { SubmissionProblem } from '../problems';

/**
 * An .xlsx read through its central directory only (yauzl), never by walking
 * local headers as exceljs's streaming reader does. Issue 14: an entry that
 * the directory does not list (a hidden sharedStrings.xml or worksheet)
 * passed a directory-only guard and was then inflated by exceljs.
 *
 *  1. the directory's declared sizes: entry count, total, per-entry ratio;
 *     no encryption, no macros, a workbook at all;
 *  2. the listed entries, local header by local header, must tile the bytes
 *     before the directory exactly and agree with it (name, method, flags,
 *     CRC, sizes): anything unlisted, overlapping or disagreeing is rejected;
 *  3. every entry exceljs does not read (styles, themes, properties,
 *     [Content_Types].xml for the macro check) is inflated now, its bytes
 *     counted (yauzl stops an entry the moment it passes its declared size)
 *     and its CRC checked;
 *  4. the entries exceljs reads are inflated once, while it parses them
 *     (CheckedZip.text): the same count and CRC, checked at each entry's end.
 *     Issue 16: inflating them here too and re-zipping them for exceljs cost
 *     a third of a parse.
 *
 * A failure found in step 4 comes after rows were read: the caller then asks
 * verdict(), which checks every entry as step 3 does, in directory order, so
 * the file gets the same one problem whichever way it was found.
 */
export type CheckedWorkbook = { ok: false; problem: SubmissionProblem } | { ok: true; zip: CheckedZip };

const CEN_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const DESCRIPTOR_SIG = 0x08074b50;
const FLAG_ENCRYPTED = 0x1;
const FLAG_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;
const WORKSHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;
const CONTENT_TYPES_MAX = 1024 * 1024;

export interface Listed {
  entry: yauzl.Entry;
  name: string;
  crc: number;
}

/** An entry that did not inflate to its declared size and CRC while it was being parsed. */
export class ZipEntryError extends Error {
  override readonly name = 'ZipEntryError';
}

export async function checkWorkbookZip(bytes: Uint8Array): Promise<CheckedWorkbook> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (code: Parameters<typeof problem>[0], detail: string): CheckedWorkbook => ({ ok: false, problem: problem(code, {}, detail) });
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false });
  } catch (err) {
    return fail('XLSX_ZIP_CORRUPT', `找不到或无法读取压缩目录（${(err as Error).message.slice(0, 80)}）`);
  }
  if (zip.entryCount > MAX_ZIP_ENTRIES) return fail('XLSX_ZIP_BOMB', `压缩包含${zip.entryCount}个文件，上限${MAX_ZIP_ENTRIES}`);

  const listed: Listed[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      listed.push({ entry, name: (entry.fileName as unknown as Buffer).toString('utf8'), crc: entry.crc32 });
    }
  } catch (err) {
    return fail('XLSX_ZIP_CORRUPT', `压缩目录已损坏（${(err as Error).message.slice(0, 80)}）`);
  }

  // 1. What the directory declares.
  let total = 0;
  for (const { entry, name } of listed) {
    total += entry.uncompressedSize;
    if (entry.generalPurposeBitFlag & FLAG_ENCRYPTED) return fail('XLSX_LEGACY_OR_ENCRYPTED', '工作簿已加密，请取消密码后再上传');
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > ZIP_RATIO_FLOOR_BYTES && ratio > MAX_ZIP_ENTRY_RATIO) {
      return fail('XLSX_ZIP_BOMB', `“${name}”压缩比为${Math.round(ratio)}:1，上限${MAX_ZIP_ENTRY_RATIO}:1`);
    }
    if (name === 'xl/sharedStrings.xml' && entry.uncompressedSize > MAX_SHARED_STRINGS_BYTES) {
      return fail('XLSX_ZIP_BOMB', `共享字符串表解压后${(entry.uncompressedSize / 1048576).toFixed(0)} MiB，上限${MAX_SHARED_STRINGS_BYTES / 1048576} MiB`);
    }
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return fail('XLSX_ZIP_CORRUPT', `“${name}”使用了不支持的压缩方式`);
  }
  if (total > MAX_XLSX_UNCOMPRESSED_BYTES) return fail('XLSX_ZIP_BOMB', `解压后共${(total / 1048576).toFixed(0)} MiB，上限${MAX_XLSX_UNCOMPRESSED_BYTES / 1048576} MiB`);
  if (listed.some((l) => /(^|\/)vbaProject\.bin$/i.test(l.name))) return fail('XLSX_MACRO_ENABLED', '请另存为不含宏的Excel工作簿（*.xlsx）');
  const byName = new Map(listed.map((l) => [l.name, l]));
  if (byName.size !== listed.length) return fail('XLSX_ZIP_TAMPERED', '压缩目录中有重名的文件');
  const contentTypes = byName.get('[Content_Types].xml');
  const workbook = byName.get('xl/workbook.xml');
  if (!contentTypes || !workbook) return fail('XLSX_NOT_A_WORKBOOK', '这是一个压缩文件，但不是Excel工作簿');

  // 2. Local headers agree with the directory and account for every byte before it.
  const tiling = await checkLocalHeaders(zip, buf, listed);
  if (tiling) return fail('XLSX_ZIP_TAMPERED', tiling);

  // 3. The entries exceljs does not read, now; a failure here is reported as the whole-file check reports it.
  const checked = new CheckedZip(zip, listed, {
    rels: byName.get('xl/_rels/workbook.xml.rels'),
    workbook,
    sharedStrings: byName.get('xl/sharedStrings.xml'),
    worksheets: listed.filter((l) => WORKSHEET.test(l.name)).map((l) => ({ listed: l, sheetNo: WORKSHEET.exec(l.name)![1]! })),
  });
  for (const l of listed) {
    if (checked.readByExcel.has(l)) continue;
    const outcome = await drain(zip, l, l === contentTypes ? CONTENT_TYPES_MAX : 0);
    if (typeof outcome === 'string' || (l === contentTypes && /macroEnabled/i.test(outcome.toString('utf8')))) {
      const p = await checked.verdict();
      if (p) return { ok: false, problem: p };
    }
  }
  return { ok: true, zip: checked };
}

export interface WorkbookParts {
  rels: Listed | undefined;
  workbook: Listed;
  sharedStrings: Listed | undefined;
  /** Worksheet entries in directory order, with the number exceljs matches against the workbook's relationships. */
  worksheets: { listed: Listed; sheetNo: string }[];
}

/** A workbook past steps 1–3: the entries exceljs reads, each inflated once as it parses. */
export class CheckedZip {
  readonly readByExcel: ReadonlySet<Listed>;
  private readonly verified = new Set<Listed>();

  constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly listed: readonly Listed[],
    readonly parts: WorkbookParts,
  ) {
    const read = new Set<Listed>([parts.workbook, ...parts.worksheets.map((w) => w.listed)]);
    if (parts.rels) read.add(parts.rels);
    if (parts.sharedStrings) read.add(parts.sharedStrings);
    this.readByExcel = read;
  }

  /**
   * One entry as text, inflated as the consumer reads. Decoded here with a
   * streaming decoder: exceljs decodes each chunk on its own (TextDecoder
   * without {stream: true}), so a character split between inflate chunks
   * became U+FFFD ("９" read as "���"). Throws ZipEntryError at the end (or
   * as soon as the entry passes its declared size) when the bytes are not
   * the ones the directory declared.
   */
  async *text(l: Listed): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8');
    let count = 0;
    let crc = 0;
    try {
      for await (const chunk of await inflateStream(this.zip, l)) {
        count += chunk.length;
        if (count > l.entry.uncompressedSize) throw new Error(tooMany(l));
        crc = zlib.crc32(chunk, crc);
        const text = decoder.decode(chunk, { stream: true });
        if (text !== '') yield text;
      }
    } catch (err) {
      throw new ZipEntryError(`${l.name}: ${(err as Error).message}`);
    }
    const tail = decoder.decode();
    if (count !== l.entry.uncompressedSize || (crc >>> 0) !== l.crc) throw new ZipEntryError(`${l.name}: ${count} bytes, CRC ${crc >>> 0}`);
    this.verified.add(l);
    if (tail !== '') yield tail;
  }

  /**
   * After a parse that went through: entries exceljs stopped reading before
   * their end are checked now. The problem to report, or undefined.
   */
  async confirm(): Promise<SubmissionProblem | undefined> {
    for (const l of this.readByExcel) {
      if (this.verified.has(l)) continue;
      if (typeof (await drain(this.zip, l, 0)) === 'string') return this.verdict();
    }
    return undefined;
  }

  /**
   * The whole-file check of issue 14, for a file found bad or unreadable:
   * every entry inflated in directory order, the first that fails named
   * (XLSX_ZIP_BOMB past its size, XLSX_ZIP_CORRUPT otherwise), then the
   * macro content type. Undefined when every entry is sound.
   */
  async verdict(): Promise<SubmissionProblem | undefined> {
    let types: Buffer | undefined;
    for (const l of this.listed) {
      const isTypes = l.name === '[Content_Types].xml';
      const outcome = await drain(this.zip, l, isTypes ? CONTENT_TYPES_MAX : 0);
      if (typeof outcome === 'string') return problem(outcome.startsWith('bomb:') ? 'XLSX_ZIP_BOMB' : 'XLSX_ZIP_CORRUPT', {}, outcome.replace(/^bomb:/, ''));
      if (isTypes) types = outcome;
    }
    if (types && /macroEnabled/i.test(types.toString('utf8'))) return problem('XLSX_MACRO_ENABLED', {}, '工作簿类型为启用宏的工作簿（.xlsm），请另存为.xlsx');
    return undefined;
  }
}

/** The bytes before the central directory are exactly the listed entries, each local header agreeing with its directory record. */
async function checkLocalHeaders(zip: yauzl.ZipFile, buf: Buffer, listed: readonly Listed[]): Promise<string | undefined> {
  const spans: [number, number, string][] = [];
  for (const { entry, name } of listed) {
    let local: yauzl.LocalFileHeader;
    try {
      local = await zip.readLocalFileHeaderPromise(entry);
    } catch {
      return `“${name}”的本地文件头缺失或损坏`;
    }
    if (!local.fileName.equals(entry.fileName as unknown as Buffer)) return `“${name}”的本地文件头名称与目录不一致`;
    if (local.compressionMethod !== entry.compressionMethod) return `“${name}”的压缩方式与目录不一致`;
    if ((local.generalPurposeBitFlag & ~FLAG_UTF8) !== (entry.generalPurposeBitFlag & ~FLAG_UTF8)) return `“${name}”的标志位与目录不一致`;
    let end = local.fileDataStart + entry.compressedSize;
    if (entry.generalPurposeBitFlag & FLAG_DESCRIPTOR) {
      // Sizes follow the data (data descriptor), optionally with a signature; 32-bit sizes (no ZIP64 here).
      const at = buf.length >= end + 4 && buf.readUInt32LE(end) === DESCRIPTOR_SIG ? end + 4 : end;
      if (at + 12 > buf.length || buf.readUInt32LE(at) !== entry.crc32 || buf.readUInt32LE(at + 4) !== entry.compressedSize || buf.readUInt32LE(at + 8) !== entry.uncompressedSize) {
        return `“${name}”的数据描述符与目录不一致`;
      }
      end = at + 12;
    } else if (local.crc32 !== entry.crc32 || (local.compressedSize !== 0xffffffff && (local.compressedSize !== entry.compressedSize || local.uncompressedSize !== entry.uncompressedSize))) {
      return `“${name}”的本地文件头大小或校验值与目录不一致`;
    }
    spans.push([entry.relativeOffsetOfLocalHeader, end, name]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let cursor = 0;
  for (const [start, end, name] of spans) {
    if (start !== cursor) return start > cursor ? `第${cursor}字节起有目录未列出的内容（可能隐藏了文件）` : `“${name}”与其他文件的数据重叠`;
    cursor = end;
  }
  const next = cursor + 4 <= buf.length ? buf.readUInt32LE(cursor) : -1;
  if (next !== CEN_SIG && !(listed.length === 0 && next === EOCD_SIG)) return `第${cursor}字节起有目录未列出的内容（可能隐藏了文件）`;
  return undefined;
}

/** Inflates one entry as a stream, counting bytes and computing its CRC: its first `keep` bytes, or why it is bad. */
async function drain(zip: yauzl.ZipFile, l: Listed, keep: number): Promise<Buffer | string> {
  let stream: AsyncIterable<Buffer>;
  try {
    stream = await inflateStream(zip, l);
  } catch {
    return `“${l.name}”无法解压`;
  }
  let count = 0;
  let crc = 0;
  const kept: Buffer[] = [];
  try {
    for await (const chunk of stream) {
      count += chunk.length;
      if (count > l.entry.uncompressedSize) throw new Error(tooMany(l));
      crc = zlib.crc32(chunk, crc);
      if (count <= keep) kept.push(chunk);
    }
  } catch (err) {
    const message = (err as Error).message ?? '';
    if (/too many bytes/i.test(message)) return `bomb:“${l.name}”解压后超过目录声明的${l.entry.uncompressedSize}字节`;
    return `“${l.name}”无法解压或大小与目录不符`;
  }
  if (count !== l.entry.uncompressedSize) return `“${l.name}”解压后大小与目录不符`;
  if ((crc >>> 0) !== l.crc) return `“${l.name}”校验值不符（文件可能已损坏）`;
  return Buffer.concat(kept);
}

/**
 * The bytes of one entry as stored, inflated when deflated (yauzl reads
 * exactly the compressed span the directory gives; the size cap is the
 * caller's, one Transform fewer than yauzl's own inflating stream). zlib's
 * default 16 KiB pieces: at 64 KiB a decoded piece is a string of over
 * 128 KB, which V8 keeps in large-object space, and the cell values sliced
 * out of it kept whole pieces alive — a 200,000-row sheet peaked at 283 MB
 * instead of 175 MB.
 */
async function inflateStream(zip: yauzl.ZipFile, l: Listed): Promise<AsyncIterable<Buffer>> {
  if (l.entry.compressionMethod !== 8) return (await zip.openReadStreamPromise(l.entry)) as AsyncIterable<Buffer>;
  const raw = await zip.openReadStreamPromise(l.entry, { decompress: false });
  return pipeline(raw, zlib.createInflateRaw(), () => undefined) as AsyncIterable<Buffer>;
}

/** An entry stops the moment it passes its declared size, so a forged directory cannot make us inflate a bomb. */
function tooMany(l: Listed): string {
  return `too many bytes in the stream: “${l.name}” passed its declared ${l.entry.uncompressedSize}`;
}
