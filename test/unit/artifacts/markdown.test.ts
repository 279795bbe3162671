import { renderMarkdown } from '../../../shared/core/artifacts/markdown';
import { sampleReport } from './fixtures/report';

/** Cells of a GFM table row: split on pipes that are not escaped. */
const cells = (line: string) => line.replace(/^\| | \|$/g, '').split(/(?<!\\) \| /);

describe('report.md', () => {
  it('reads like the document: title, number, addressees, text, headings, issuer and date', () => {
    const md = renderMarkdown(sampleReport());
    const paragraphs = md.split('\n\n');
    expect(paragraphs.slice(0, 5)).toEqual([
      '# 灵寿县人民政府关于2021年度法治政府建设情况的报告',
      '灵政函〔2022〕6号',
      '中共灵寿县委、县人大常委会：',
      '2021年以来，灵寿县法治政府建设坚持以习近平新时代中国特色社会主义思想为指导，法治政府建设取得了新成效。现将主要工作情况报告如下：',
      '## 一、工作开展情况',
    ]);
    expect(paragraphs[5]).toBe(
      '**（一）构建系统完备、科学规范、运行有效的依法行政制度体系和健全科学、民主、依法决策机制情况。**2021年对政府常务会议题会前合法性审查125件，确保了决策的合法性。',
    );
    expect(paragraphs).toEqual(expect.arrayContaining(['<div align="right">灵寿县人民政府</div>', '<div align="right">2022年1月14日</div>']));
  });

  it('holds only the draft a county publishes: no sources, keys, completeness or warnings', () => {
    const report = sampleReport();
    const md = renderMarkdown(report);
    for (const f of report.figures.filter((f) => f.value !== null)) expect(md).toContain(f.display);
    expect(md).toContain('【待补充：聘用法律顾问的乡(镇)数】');
    expect(md).not.toContain('submissions/');
    expect(md).not.toContain('应报 6 个单位');
    for (const w of report.warnings) expect(md).not.toContain(w.code);
  });

  it('escapes text from submissions, so it cannot become markup or break a table', () => {
    const report = sampleReport();
    report.document.push({ kind: 'paragraph', segments: [{ text: '[点击](https://evil.example) *注意* <script>alert(1)</script>' }] });
    const table = report.document.find((b) => b.kind === 'table')!;
    if (table.kind === 'table') table.rows[0]![1] = '灵寿镇 | 乙';
    const md = renderMarkdown(report);
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\[点击\\](https://evil.example) \\*注意\\* \\<script\\>alert(1)\\</script\\>');
    const row = md.split('\n').find((l) => l.includes('灵寿镇 \\| 乙'))!;
    expect(cells(row)).toHaveLength(4);
  });

  it('marks a partial figure and a sentence claiming completeness on it, with a footnote naming the missing units', () => {
    const report = sampleReport();
    const figure = report.figures.find((f) => f.indicatorId === 'legality_review_meeting_items')!;
    figure.partial = { missingUnits: ['chatou_town'] };
    report.document.push({
      kind: 'paragraph',
      segments: [{ text: '截至目前' }, { text: '125', figure: figure.indicatorId, partial: figure.indicatorId }, { text: '个单位均已聘用。', partial: figure.indicatorId }, { text: '其余照常。' }],
    });
    const md = renderMarkdown(report);
    expect(md).toContain('截至目前<mark>125个单位均已聘用。</mark>[^p1]其余照常。');
    expect(md).toMatch(/\n\[\^p1\]: 不完整：“[^”]+”未计入灵寿县岔头镇人民政府（未报送或被退回）\n$/);
  });

  it('marks an undecided date (【成文日期】)', () => {
    const report = sampleReport();
    report.document = report.document.map((b) => (b.kind === 'date' ? { kind: 'date', text: '【成文日期】', placeholder: true } : b));
    expect(renderMarkdown(report)).toContain('<div align="right"><mark>【成文日期】</mark></div>');
  });
});
