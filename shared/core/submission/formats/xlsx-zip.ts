import { Readable } from 'node:stream';
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
 *  3. every entry is inflated as a stream, its bytes counted (yauzl stops an
 *     entry the moment it passes its declared size) and its CRC checked;
 *  4. exceljs is then fed a zip written here, in memory-bounded streaming
 *     form: only the entries it reads, uncompressed, with the workbook, its
 *     relationships and the shared strings ahead of every worksheet. exceljs
 *     parks a worksheet in a temp file when it arrives before those; here it
 *     never does, so a parse writes nothing to disk.
 */
export type CheckedWorkbook = { ok: false; problem: SubmissionProblem } | { ok: true; content: () => Readable };

const LOC_SIG = 0x04034b50;
const CEN_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const DESCRIPTOR_SIG = 0x08074b50;
const FLAG_ENCRYPTED = 0x1;
const FLAG_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;
const WORKSHEET = /^xl\/worksheets\/sheet\d+\.xml$/;
const CONTENT_TYPES_MAX = 1024 * 1024;

interface Listed {
  entry: yauzl.Entry;
  name: string;
  crc: number;
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

  // 3. Inflate everything once, counting and checking CRCs; keep [Content_Types].xml for the macro check.
  let types: Buffer | undefined;
  for (const l of listed) {
    const keep = l === contentTypes ? [] as Buffer[] : undefined;
    const outcome = await drain(zip, l, keep);
    if (typeof outcome === 'string') return fail(outcome.startsWith('bomb:') ? 'XLSX_ZIP_BOMB' : 'XLSX_ZIP_CORRUPT', outcome.replace(/^bomb:/, ''));
    if (keep) types = Buffer.concat(keep);
  }
  if (types && /macroEnabled/i.test(types.toString('utf8'))) return fail('XLSX_MACRO_ENABLED', '工作簿类型为启用宏的工作簿（.xlsm），请另存为.xlsx');

  // 4. The entries exceljs reads, in an order that keeps it streaming.
  const parts: Part[] = [];
  const add = (name: string, l: Listed | undefined, fallback: string) => parts.push(l ? { name, listed: l } : { name, synthetic: Buffer.from(fallback, 'utf8') });
  add('xl/_rels/workbook.xml.rels', byName.get('xl/_rels/workbook.xml.rels'), '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>');
  add('xl/workbook.xml', workbook, '');
  add('xl/sharedStrings.xml', byName.get('xl/sharedStrings.xml'), '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>');
  for (const l of listed) if (WORKSHEET.test(l.name)) parts.push({ name: l.name, listed: l });
  return { ok: true, content: () => Readable.from(storedZip(zip, parts)) };
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

/** Inflates one entry as a stream, counting bytes and computing its CRC; collects it into `keep` (capped) when given. */
async function drain(zip: yauzl.ZipFile, l: Listed, keep?: Buffer[]): Promise<number | string> {
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(l.entry);
  } catch {
    return `“${l.name}”无法解压`;
  }
  let count = 0;
  let crc = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      count += chunk.length;
      crc = zlib.crc32(chunk, crc);
      if (keep && count <= CONTENT_TYPES_MAX) keep.push(chunk);
    }
  } catch (err) {
    const message = (err as Error).message ?? '';
    // yauzl's validateEntrySizes: "too many bytes in the stream" once past the declared size.
    if (/too many bytes/i.test(message)) return `bomb:“${l.name}”解压后超过目录声明的${l.entry.uncompressedSize}字节`;
    return `“${l.name}”无法解压或大小与目录不符`;
  }
  if (count !== l.entry.uncompressedSize) return `“${l.name}”解压后大小与目录不符`;
  if ((crc >>> 0) !== l.crc) return `“${l.name}”校验值不符（文件可能已损坏）`;
  return count;
}

type Part = { name: string; listed: Listed } | { name: string; synthetic: Buffer };

/**
 * A stored (uncompressed) zip of `parts`, produced as the consumer reads:
 * each listed entry is inflated again straight from the upload. Sizes and
 * CRCs are known from the check, so every local header carries them and a
 * streaming reader needs no data descriptors.
 */
async function* storedZip(zip: yauzl.ZipFile, parts: readonly Part[]): AsyncGenerator<Buffer> {
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const size = 'listed' in part ? part.listed.entry.uncompressedSize : part.synthetic.length;
    const crc = 'listed' in part ? part.listed.crc : zlib.crc32(part.synthetic) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOC_SIG, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(FLAG_UTF8, 6);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    yield Buffer.concat([local, name]);
    if ('listed' in part) {
      let produced = 0;
      // exceljs decodes each chunk on its own (TextDecoder without {stream: true}), so a
      // character split between chunks became U+FFFD: "９" read as "���", names garbled.
      // Chunks are cut at UTF-8 character boundaries; the tail waits for the next one.
      let carry: Buffer = Buffer.alloc(0);
      for await (const chunk of (await zip.openReadStreamPromise(part.listed.entry)) as AsyncIterable<Buffer>) {
        produced += chunk.length;
        const joined = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
        const cut = utf8Boundary(joined);
        carry = joined.subarray(cut);
        if (cut > 0) yield joined.subarray(0, cut);
      }
      if (carry.length > 0) yield carry;
      // Checked in step 3 already; a second inflate of the same bytes cannot differ, but a reader must never get a lying header.
      if (produced !== size) throw new Error(`${part.name}: ${produced} bytes, header said ${size}`);
    } else {
      yield part.synthetic;
    }
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(CEN_SIG, 0);
    cen.writeUInt16LE(20, 4);
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(FLAG_UTF8, 8);
    cen.writeUInt32LE(crc, 16);
    cen.writeUInt32LE(size, 20);
    cen.writeUInt32LE(size, 24);
    cen.writeUInt16LE(name.length, 28);
    cen.writeUInt32LE(offset, 42);
    central.push(cen, name);
    offset += 30 + name.length + size;
  }
  const directory = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(EOCD_SIG, 0);
  eocd.writeUInt16LE(parts.length, 8);
  eocd.writeUInt16LE(parts.length, 10);
  eocd.writeUInt32LE(directory.length, 12);
  eocd.writeUInt32LE(offset, 16);
  yield directory;
  yield eocd;
}

/** The end of the last complete UTF-8 character in `buf` (its length when it ends on a boundary). */
export function utf8Boundary(buf: Buffer): number {
  const n = buf.length;
  // Look back over at most three continuation bytes (10xxxxxx) to the lead byte of the last character.
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = buf[n - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const width = b < 0x80 ? 1 : (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 1;
    return width > back ? n - back : n;
  }
  return n;
}
