import { renderHtml } from '../../../shared/core/artifacts/html';
import { Report } from '../../../shared/core/report/schema';
import { sampleReport } from './fixtures/report';

const ALLOWED_TAGS = new Set(
  'html head meta title style body main article section div p h1 h2 span a mark br table caption colgroup col thead tbody tr th td ul li details summary'.split(' '),
);
const ALLOWED_ATTRIBUTES = new Set(['lang', 'charset', 'name', 'content', 'class', 'id', 'href']);

/** Every tag and attribute of the page, outside the <style> element. */
function tags(html: string): { name: string; attributes: [string, string][] }[] {
  const markup = html.replace(/<!DOCTYPE html>/, '').replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  return [...markup.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)].map((m) => ({
    name: m[1]!.toLowerCase(),
    attributes: [...m[2]!.matchAll(/([^\s=]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, a[2] ?? '']),
  }));
}

/** The page loads nothing and runs nothing: only known tags and attributes, links only to its own anchors. */
function expectSelfContained(html: string) {
  for (const tag of tags(html)) {
    expect(ALLOWED_TAGS).toContain(tag.name);
    for (const [name, value] of tag.attributes) {
      expect(ALLOWED_ATTRIBUTES).toContain(name.toLowerCase());
      if (name === 'href') expect(value).toMatch(/^#[A-Za-z0-9_-]+$/);
    }
  }
  const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
  expect(css).not.toMatch(/url\(|@import|@font-face|expression\(/i);
  // Escaped text may say "src=" (the allowlist above already rules it out as an attribute); a tag cannot hide.
  expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed/i);
}

describe('report.html', () => {
  it('holds every figure as printed, linked to its row in the figures table', () => {
    const report = sampleReport();
    const html = renderHtml(report);
    const withValue = report.figures.filter((f) => f.value !== null);
    expect(withValue.length).toBeGreaterThan(5);
    for (const f of withValue) {
      expect(html).toContain(`<a class="figure" href="#figure-${f.indicatorId}">${f.display}</a>`);
      expect(html).toContain(`<tr id="figure-${f.indicatorId}">`);
      expect(html).toContain(`${f.display}${f.unit}`);
    }
  });

  it('highlights the missing figure in the text and in the table', () => {
    const html = renderHtml(sampleReport());
    expect(html).toContain('<a class="figure" href="#figure-legal_advisers_hired"><mark class="missing">【待补充：聘用法律顾问的乡(镇)数】</mark></a>');
    const row = /<tr id="figure-legal_advisers_hired">[\s\S]*?<\/tr>/.exec(html)![0];
    expect(row).toContain('<mark class="missing">待补充</mark>');
    expect(row).toContain('未报：灵寿县岔头镇人民政府');
  });

  it('lists each figure source: unit, file key, version and location', () => {
    const report = sampleReport();
    const html = renderHtml(report);
    const row = /<tr id="figure-mediators_fulltime">[\s\S]*?<\/tr>/.exec(html)![0];
    for (const s of report.figures.find((f) => f.indicatorId === 'mediators_fulltime')!.sources) {
      expect(row).toContain(`${s.unitName}：${s.value}`);
      expect(row).toContain(s.s3Key);
      expect(row).toContain(`版本 ${s.versionId}`);
    }
    expect(row).toContain('工作表“指标” C9 第9行');
    expect(html).toContain('台账 reconsideration_cases，11行');
  });

  it('reports completeness with the missing unit, and every warning', () => {
    const report = sampleReport();
    const html = renderHtml(report);
    const section = /<section id="completeness">[\s\S]*?<\/section>/.exec(html)![0];
    expect(section).toContain('应报 6 个单位，已报 5 个，采用 5 个，逾期 1 个，未报 1 个。');
    const cells = (unitName: string) =>
      [...new RegExp(`<tr><td[^>]*>${unitName}</td>[\\s\\S]*?</tr>`).exec(section)![0].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]);
    expect(cells('灵寿县岔头镇人民政府').slice(0, 3)).toEqual(['灵寿县岔头镇人民政府', '未报送', '']);
    expect(cells('灵寿县塔上镇人民政府').slice(0, 3)).toEqual(['灵寿县塔上镇人民政府', '已采用', '逾期']);
    const warnings = /<section id="warnings">[\s\S]*?<\/section>/.exec(html)![0];
    expect(warnings.match(/<li>/g)).toHaveLength(report.warnings.length);
    expect(warnings).toContain('=SUM(A1)');
  });

  it('is self-contained: no scripts, links, images or external resources', () => {
    expectSelfContained(renderHtml(sampleReport()));
  });

  it('escapes text from submissions, so a unit name cannot inject markup', () => {
    const report: Report = sampleReport();
    const attack = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    report.figures[5]!.sources[0]!.unitName = attack;
    report.completeness.units[0]!.unitName = attack;
    report.warnings.push({ code: 'VALUE_NOT_A_NUMBER', message: '" onmouseover="alert(3)' });
    report.document.push({ kind: 'paragraph', segments: [{ text: '</p><script src="https://evil.example/x.js"></script>' }] });
    const html = renderHtml(report);
    expectSelfContained(html);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&quot; onmouseover=&quot;alert(3)');
  });
});
