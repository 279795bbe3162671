import MarkdownIt from 'markdown-it';
import { code } from '../../../shared/core/artifacts/markdown';
import { fileNameProblem } from '../../../shared/core/file-name';
import { requestUpload, type UploadAccessDeps } from '../../../shared/core/upload-access/request-upload';
import { countyDirInRepo, loadCounty } from '../../../shared/core/county/load';
import { issueUploadToken } from '../../../shared/core/upload-access/token';

/** Names that would be markup, an S3 POST variable, or read differently than stored (issue 14). */
export const HOSTILE_NAMES = ['``<img src=x onerror=alert(1)>``.json', '${filename}.json', '报送\u202Egnp.json', 'a|b<c>.csv', '`反引号`.csv', 'tab\there.json', '..json', ' 空格开头.json'];

describe('file names', () => {
  it.each(['灵寿县司法局2021年度报送.xlsx', 'Report (1).csv', '报送（修订版）.json', 'a-b_c.d.json', 'Ünïcödé 名册.csv'])('accepts %s', (name) => {
    expect(fileNameProblem(name)).toBeUndefined();
  });

  it.each(HOSTILE_NAMES)('refuses %j with a Chinese message that names the character', (name) => {
    const problem = fileNameProblem(name);
    expect(problem).toMatch(/^文件名/);
    expect(problem).toContain('只能使用汉字、字母、数字、空格和');
  });

  it('shows an invisible character by its code point', () => {
    expect(fileNameProblem('报送\u202Egnp.json')).toContain('U+202E');
  });
});

describe('the upload API', () => {
  const county = loadCounty(countyDirInRepo('lingshou')).config;
  const now = new Date('2022-01-05T02:00:00Z');
  const justice = issueUploadToken({ county: 'lingshou', unitId: 'justice_bureau', createdBy: 't', now, validDays: 120 });
  const deps: UploadAccessDeps = { county, now: () => now, findToken: async () => justice.record, yearLock: async () => ({ locked: false, exceptions: [] }), maxBytes: 1024 };
  it.each(HOSTILE_NAMES.filter((n) => !n.includes('\t')))('refuses %j (400 unsafe_file_name)', async (fileName) => {
    const decision = await requestUpload({ authorization: `Bearer ${justice.token}`, body: { year: 2021, unit: 'justice_bureau', fileName } }, deps);
    expect(decision).toMatchObject({ status: 400, error: 'unsafe_file_name', message: expect.stringMatching(/^文件名不符合要求：文件名/) });
  });
});

describe('markdown code spans', () => {
  const md = new MarkdownIt({ html: true });
  it.each(['plain', 'one ` tick', 'two `` ticks <img src=x onerror=alert(1)>', '```` four', '`edge`'])('%j stays literal code, whatever its backticks', (text) => {
    const html = md.renderInline(code(text));
    expect(html).not.toMatch(/<img/);
    expect(html.startsWith('<code>') && html.endsWith('</code>')).toBe(true);
    expect(md.utils.unescapeAll(html.slice('<code>'.length, -'</code>'.length)).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/&quot;/g, '"')).toBe(text);
  });
});
