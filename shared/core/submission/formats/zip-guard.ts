import zlib from 'node:zlib';
import { MAX_XLSX_UNCOMPRESSED_BYTES, MAX_ZIP_ENTRIES, MAX_ZIP_ENTRY_RATIO, ZIP_RATIO_FLOOR_BYTES } from '../limits';
import { problem } from '../problem-codes';
import type { SubmissionProblem } from '../problems';

/**
 * Inspects an .xlsx's zip structure before exceljs inflates anything:
 *  1. the central directory's declared sizes (total cap, per-entry ratio);
 *  2. no macros (vbaProject.bin, a macroEnabled content type), no encryption;
 *  3. it is a workbook at all ([Content_Types].xml and xl/workbook.xml);
 *  4. the actual inflated size of every entry, counted while streaming and
 *     abandoned the moment it exceeds what the directory declared, so a
 *     forged directory cannot smuggle a bomb past step 1.
 */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;

export async function inspectXlsxZip(bytes: Uint8Array): Promise<SubmissionProblem | undefined> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const listed = readCentralDirectory(buf);
  if (typeof listed === 'string') return problem('XLSX_ZIP_CORRUPT', {}, listed);
  const entries = listed;
  if (entries.length > MAX_ZIP_ENTRIES) return problem('XLSX_ZIP_BOMB', {}, `压缩包含${entries.length}个文件，上限${MAX_ZIP_ENTRIES}`);

  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    if (e.uncompressedSize > ZIP_RATIO_FLOOR_BYTES && e.uncompressedSize / Math.max(e.compressedSize, 1) > MAX_ZIP_ENTRY_RATIO) {
      return problem('XLSX_ZIP_BOMB', {}, `“${e.name}”压缩比为${Math.round(e.uncompressedSize / Math.max(e.compressedSize, 1))}:1，上限${MAX_ZIP_ENTRY_RATIO}:1`);
    }
    if (e.flags & 0x1) return problem('XLSX_LEGACY_OR_ENCRYPTED', {}, '工作簿已加密，请取消密码后再上传');
  }
  if (total > MAX_XLSX_UNCOMPRESSED_BYTES) {
    return problem('XLSX_ZIP_BOMB', {}, `解压后共${(total / 1048576).toFixed(0)} MiB，上限${MAX_XLSX_UNCOMPRESSED_BYTES / 1048576} MiB`);
  }
  if (entries.some((e) => /(^|\/)vbaProject\.bin$/i.test(e.name))) return problem('XLSX_MACRO_ENABLED', {}, '请另存为不含宏的Excel工作簿（*.xlsx）');
  const contentTypes = entries.find((e) => e.name === '[Content_Types].xml');
  if (!contentTypes || !entries.some((e) => e.name === 'xl/workbook.xml')) {
    return problem('XLSX_NOT_A_WORKBOOK', {}, '这是一个压缩文件，但不是Excel工作簿');
  }
  for (const e of entries) {
    const actual = await inflatedSize(buf, e);
    if (typeof actual === 'string') return problem(actual.startsWith('bomb:') ? 'XLSX_ZIP_BOMB' : 'XLSX_ZIP_CORRUPT', {}, actual.replace(/^bomb:/, ''));
  }
  const types = await inflateEntry(buf, contentTypes);
  if (types === undefined) return problem('XLSX_ZIP_CORRUPT', {}, '[Content_Types].xml 无法解压');
  if (/macroEnabled/i.test(types.toString('utf8'))) return problem('XLSX_MACRO_ENABLED', {}, '工作簿类型为启用宏的工作簿（.xlsm），请另存为.xlsx');
  return undefined;
}

export function readCentralDirectory(buf: Buffer): ZipEntry[] | string {
  const minEocd = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= minEocd; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return '找不到压缩目录（文件可能不完整）';
  const count = buf.readUInt16LE(eocd + 10);
  const size = buf.readUInt32LE(eocd + 12);
  const offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return '不支持ZIP64格式的工作簿';
  if (offset + size > eocd) return '压缩目录位置超出文件范围（文件可能不完整）';
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CEN_SIG) return '压缩目录已损坏';
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    entries.push({
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localHeaderOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + extraLength + commentLength;
    if (entries.length > MAX_ZIP_ENTRIES) break;
  }
  return entries;
}

function entryData(buf: Buffer, e: ZipEntry): Buffer | undefined {
  const p = e.localHeaderOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOC_SIG) return undefined;
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const end = start + e.compressedSize;
  if (end > buf.length) return undefined;
  return buf.subarray(start, end);
}

/**
 * Inflates the entry with the output capped at its declared size: zlib stops
 * (ERR_BUFFER_TOO_LARGE) the moment a forged entry passes it, so memory is
 * bounded by the declared sizes already checked against the total cap.
 */
async function inflatedSize(buf: Buffer, e: ZipEntry): Promise<number | string> {
  const data = entryData(buf, e);
  if (!data) return `“${e.name}”的数据超出文件范围（文件可能不完整）`;
  if (e.method === 0) return data.length === e.uncompressedSize ? data.length : `“${e.name}”大小与目录不符`;
  if (e.method !== 8) return `“${e.name}”使用了不支持的压缩方式`;
  let produced: number;
  try {
    produced = zlib.inflateRawSync(data, { maxOutputLength: Math.max(e.uncompressedSize, 1), chunkSize: 1 << 20 }).length;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      return `bomb:“${e.name}”解压后超过目录声明的${e.uncompressedSize}字节`;
    }
    return `“${e.name}”无法解压`;
  }
  return produced === e.uncompressedSize || (e.uncompressedSize === 0 && produced <= 1) ? produced : `“${e.name}”解压后大小与目录不符`;
}

async function inflateEntry(buf: Buffer, e: ZipEntry): Promise<Buffer | undefined> {
  const data = entryData(buf, e);
  if (!data) return undefined;
  if (e.method === 0) return data;
  try {
    return zlib.inflateRawSync(data, { maxOutputLength: Math.max(e.uncompressedSize, 1) });
  } catch {
    return undefined;
  }
}
