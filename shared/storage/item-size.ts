/**
 * The size DynamoDB charges an item against its 400 KB limit, in UTF-8 bytes
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * attribute names and strings by their UTF-8 length, a number at most 21
 * bytes, booleans and nulls 1, a list or map 3 plus 1 per element. dynalite
 * counts characters instead, so a CJK-heavy item that passes locally can fail
 * in AWS; ingest measures with this function before writing. Pure data.
 */
export const MAX_ITEM_BYTES = 400 * 1024;

const NUMBER_BYTES = 21;

export function itemBytes(item: Readonly<Record<string, unknown>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue; // the marshaller drops it
    total += Buffer.byteLength(name, 'utf8') + valueBytes(value);
  }
  return total;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') return NUMBER_BYTES;
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) {
    let n = 3;
    for (const v of value) n += 1 + (v === undefined ? 1 : valueBytes(v));
    return n;
  }
  if (typeof value === 'object') {
    let n = 3;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      n += 1 + Buffer.byteLength(k, 'utf8') + valueBytes(v);
    }
    return n;
  }
  return 0;
}
