/**
 * What a file is, by its first bytes rather than its name: an .xlsx must be
 * a zip, an old .xls or an encrypted workbook is an OLE compound file, and
 * a CSV or JSON must be text.
 */
export type Sniffed = 'empty' | 'zip' | 'ole' | 'json' | 'text' | 'binary';

const SAMPLE_BYTES = 8192;

export function sniff(bytes: Uint8Array): Sniffed {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let firstVisible = -1;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) {
      firstVisible = i;
      break;
    }
  }
  if (firstVisible < 0) return 'empty';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05 || bytes[2] === 0x07)) return 'zip';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'ole';
  if (isUtf16Bom(bytes)) return 'text';
  if (looksBinary(bytes)) return 'binary';
  const c = bytes[firstVisible];
  return c === 0x7b /* { */ || c === 0x5b /* [ */ ? 'json' : 'text';
}

export function isUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/** NUL bytes or more than 1% control characters in the first 8 KiB: not something a person typed. */
function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SAMPLE_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) control++;
  }
  return control > n / 100;
}
