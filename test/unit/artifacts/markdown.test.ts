import { SOURCES_HEADING, renderMarkdown } from '../../../shared/core/artifacts/markdown';
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

  it('keeps the draft first and the data sources in one section at the end', () => {
    const report = sampleReport();
    const md = renderMarkdown(report);
    const [draft, appendix] = md.split(`\n\n${SOURCES_HEADING}\n\n`);
    expect(appendix).toBeDefined();
    for (const f of report.figures.filter((f) => f.value !== null)) expect(draft).toContain(f.display);
    expect(draft).toContain('【待补充：聘用法律顾问的乡(镇)数】');
    expect(draft).not.toContain('submissions/');
    for (const s of report.figures.flatMap((f) => f.sources)) {
      expect(appendix).toContain(`\`${s.s3Key}\``);
      expect(appendix).toContain(`\`${s.versionId}\``);
    }
    expect(appendix).toContain('| 聘用法律顾问的乡(镇)数（`legal_advisers_hired`） | 待补充 | — | 灵寿县岔头镇人民政府 |');
    expect(appendix).toContain('应报 6 个单位，已报 5 个，采用 5 个，逾期 1 个，未报 1 个。');
    expect(appendix).toContain('| 灵寿县岔头镇人民政府 | 未报送 |');
    expect(appendix.match(/^- `[A-Z_]+` /gm)).toHaveLength(report.warnings.length);
  });

  it('escapes text from submissions, so it cannot become markup or break a table', () => {
    const report = sampleReport();
    report.figures[5]!.sources[0]!.unitName = '<script>alert(1)</script> | 灵寿镇';
    report.figures[5]!.sources[0]!.s3Key = 'submissions/2021/lingshou_town/a|b.csv';
    report.document.push({ kind: 'paragraph', segments: [{ text: '[点击](https://evil.example) *注意*' }] });
    const md = renderMarkdown(report);
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\> \\| 灵寿镇');
    expect(md).toContain('\\[点击\\](https://evil.example) \\*注意\\*');
    const row = md.split('\n').find((l) => l.includes('mediators_fulltime'))!;
    expect(cells(row)).toHaveLength(4);
  });
});
