/**
 * Which upload file names are accepted: letters of any script (汉字 included),
 * digits, the space and - _ . ( ) （ ）. Everything else is refused at upload,
 * in the CLI and the API: backticks and <>| become markup in reports,
 * `${filename}` is an S3 POST policy variable, U+202E and other format
 * characters make a name read differently than it is stored.
 */
const SAFE = /^[\p{L}\p{Nd} \-_.()（）]+$/u;
const SAFE_CHAR = /[\p{L}\p{Nd} \-_.()（）]/u;

/** A Chinese message naming what is wrong with `name`, or undefined when it is acceptable. */
export function fileNameProblem(name: string): string | undefined {
  const allowed = '文件名只能使用汉字、字母、数字、空格和 - _ . ( ) （ ），请改名后重新上传';
  if (name.length === 0 || name.length > 200) return `文件名长度应为1至200个字符；${allowed}`;
  if (SAFE.test(name) && !/^[. ]|[. ]$/.test(name.replace(/\.[^.]+$/, ''))) return undefined;
  const bad = [...new Set([...name].filter((c) => !SAFE_CHAR.test(c)))];
  if (bad.length === 0) return `文件名“${shown(name)}”不能以点或空格开头或结尾；${allowed}`;
  return `文件名“${shown(name)}”含有不允许的字符 ${bad.map(describeChar).join(' ')}；${allowed}`;
}

/** Invisible and control characters by their code point, the rest as themselves. */
function describeChar(c: string): string {
  const cp = c.codePointAt(0)!;
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(c) ? `“${c}”` : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function shown(name: string): string {
  return [...name].map((c) => (SAFE_CHAR.test(c) || /[\p{P}\p{S}]/u.test(c) ? c : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)).join('');
}
