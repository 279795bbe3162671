/**
 * Text clean-up for what clerks type in Excel on Chinese Windows: full-width
 * digits and punctuation from the Chinese IME, non-breaking and ideographic
 * spaces, zero-width characters pasted from web pages or WeChat.
 */

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
// Ideographic space, NBSP, and the other Unicode spaces Excel keeps verbatim.
const ODD_SPACES = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
const WHITESPACE_RUN = /\s+/g;

/** Full-width ASCII (！ to ～) and the ideographic space become their half-width forms. */
export function toHalfWidth(text: string): string {
  // Most text has nothing to change: find the first character that does before building a copy.
  let first = 0;
  while (first < text.length) {
    const code = text.charCodeAt(first);
    if ((code >= 0xff01 && code <= 0xff5e) || code === 0x3000) break;
    first++;
  }
  if (first === text.length) return text;
  let out = text.slice(0, first);
  let changed = false;
  for (let i = first; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) {
      out += String.fromCharCode(code - 0xfee0);
      changed = true;
    } else if (code === 0x3000) {
      out += ' ';
      changed = true;
    } else {
      out += text[i];
    }
  }
  return changed ? out : text;
}

/** Trim, drop zero-width characters, and collapse any run of spaces to one ordinary space. */
export function cleanText(text: string): string {
  // Fast path: the common cell has no odd characters at all.
  if (!hasSpaceLike(text)) return text;
  return text.replace(ZERO_WIDTH, '').replace(ODD_SPACES, ' ').replace(WHITESPACE_RUN, ' ').trim();
}

/**
 * True when `text` holds a character /[\s\u200B-\u200D\u2060\uFEFF]/
 * matches (whitespace, odd spaces, zero-width): a char loop, cheaper than
 * that regex on the short strings of ledger cells, called for every cell.
 */
export function hasSpaceLike(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20) {
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
    } else if (c >= 0xa0 && (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200d) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x2060 || c === 0x3000 || c === 0xfeff)) {
      return true;
    }
  }
  return false;
}

/** For matching names and headers: no whitespace at all, half-width, lower-case ascii. */
export function matchKey(text: string): string {
  return toHalfWidth(text.replace(ZERO_WIDTH, '')).replace(/\s+/g, '').toLowerCase();
}

/** A cell that holds nothing a person would call a value. */
export function isBlank(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return cleanText(value) === '';
  return false;
}
