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
      if (name === 'href') expect(value).toMatch(/^(#[A-Za-z0-9_-]+|报送情况\.docx|data\.xlsx)$/); // its own anchors and the companions beside it
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
    expect(html).toContain('台账“行政复议案件台账”，11行');
    expect(html).not.toContain('台账 reconsideration_cases');
  });

  it('keeps completeness and warnings out of the page and links the internal companion instead', () => {
    const report = sampleReport();
    const html = renderHtml(report);
    expect(html).not.toContain('<section id="completeness">');
    expect(html).not.toContain('<section id="warnings">');
    expect(html).not.toContain('应报 6 个单位');
    for (const w of report.warnings) expect(html).not.toContain(w.code);
    expect(html).toContain('<a href="报送情况.docx">报送情况.docx</a>');
  });

  it('marks a partial figure and the sentence claiming completeness on it, naming the missing units', () => {
    const report = sampleReport();
    const figure = report.figures.find((f) => f.indicatorId === 'legality_review_meeting_items')!;
    figure.partial = { missingUnits: ['chatou_town'] };
    report.document.push({
      kind: 'paragraph',
      segments: [{ text: '截至目前' }, { text: '125', figure: figure.indicatorId, partial: figure.indicatorId }, { text: '个单位均已聘用。', partial: figure.indicatorId }, { text: '其余照常。' }],
    });
    const html = renderHtml(report);
    expect(html).toContain(
      `<p>截至目前<a class="figure" href="#figure-legality_review_meeting_items"><mark class="partial">125</mark></a><mark class="partial">个单位均已聘用。</mark><span class="partial-note">〔不完整：“${figure.name}”未计入灵寿县岔头镇人民政府（未报送或被退回）〕</span>其余照常。</p>`,
    );
    const row = /<tr id="figure-legality_review_meeting_items">[\s\S]*?<\/tr>/.exec(html)![0];
    expect(row).toContain('<mark class="partial">不完整');
  });

  it('is self-contained: no scripts, links, images or external resources', () => {
    expectSelfContained(renderHtml(sampleReport()));
  });

  it('escapes text from submissions, so a unit name cannot inject markup', () => {
    const report: Report = sampleReport();
    const attack = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    report.figures[5]!.sources[0]!.unitName = attack;
    report.completeness.units[0]!.unitName = attack;
    report.figures[0]!.name = '" onmouseover="alert(3)'; // a printed figure: its name is in the sources table
    report.document.push({ kind: 'paragraph', segments: [{ text: '</p><script src="https://evil.example/x.js"></script>' }] });
    const html = renderHtml(report);
    expectSelfContained(html);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&quot; onmouseover=&quot;alert(3)');
  });

  it('marks an undecided date (【成文日期】) as it marks a gap', () => {
    const report = sampleReport();
    report.document = report.document.map((b) => (b.kind === 'date' ? { kind: 'date', text: '【成文日期】', placeholder: true } : b));
    expect(renderHtml(report)).toContain('<p class="date"><mark class="missing">【成文日期】</mark></p>');
    expect(renderHtml(sampleReport())).toContain('<p class="date">2022年1月14日</p>');
  });
});
