/**
 * Text from submissions as it may appear in a document: XML 1.0 forbids
 * most control characters (a vertical tab pasted from Word, a stray \u0001
 * from a legacy system), and one of them makes Word refuse the whole file.
 * Line breaks inside a cell or narrative are an artefact of the form, not
 * of the sentence: Chinese prose runs on without a space.
 */
const LINE_BREAKS = /\s*[\r\n\u000B\u000C\u0085\u2028\u2029]+\s*/g;
const NOT_XML = /[\u0000-\u0008\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function printableText(text: string): string {
  return text.replace(LINE_BREAKS, '').replace(/\t/g, ' ').replace(NOT_XML, '');
}
