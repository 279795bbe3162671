import { renderInternalDocx } from '../../../shared/core/artifacts/internal-docx';
import { sampleReport } from './fixtures/report';
import { openDocx, paragraphs, part } from './ooxml';

/** 报送情况.docx: what the office checks and does not publish. */
describe('报送情况.docx', () => {
  const texts = async (report = sampleReport()) => paragraphs(await part(await openDocx(await renderInternalDocx(report)), 'word/document.xml')).map((p) => p.text);

  it('says it is internal, and when it was made, in the county’s local time', async () => {
    const all = await texts();
    expect(all[0]).toBe('灵寿县2021年度法治政府建设情况报告报送情况'); // two lines: the break is no character
    expect(all[1]).toBe('内部材料，不对外公开');
    expect(all[2]).toMatch(/^生成时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}。/);
  });

  it('lists every unit with its status, lateness and local submission time', async () => {
    const report = sampleReport();
    const all = await texts(report);
    expect(all).toContain('应报6个单位，已报5个，采用5个，逾期1个，未报1个。');
    for (const u of report.completeness.units) expect(all).toContain(u.unitName);
    expect(all).toContain('已采用（逾期）');
    expect(all).toContain('未报送');
    expect(all.filter((t) => /^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/.test(t)).length).toBe(report.completeness.units.filter((u) => u.receivedAt).length);
    expect(all.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('names each partial figure with the units it lacks, and every warning', async () => {
    const report = sampleReport();
    report.figures[0]!.partial = { missingUnits: ['chatou_town'] };
    const all = await texts(report);
    const at = all.indexOf(report.figures[0]!.name);
    expect(at).toBeGreaterThan(0);
    expect(all.slice(at, at + 3)).toEqual([report.figures[0]!.name, `${report.figures[0]!.display}${report.figures[0]!.unit}`, '灵寿县岔头镇人民政府']);
    for (const [i, w] of report.warnings.entries()) expect(all).toContain(`${i + 1}．${w.message}`);
    expect(all).toContain(`三、预警（${report.warnings.length}条）`);
  });

  it('says so when no figure is partial', async () => {
    expect(await texts()).toContain('无。草稿中每个数字都包含全部应报单位的材料。');
  });

  it('lists as partial in the draft only the figures the draft prints, and names the others after the table', async () => {
    const report = sampleReport();
    const printedFigure = report.figures.find((f) => f.indicatorId === 'services_fully_online')!;
    const unprinted = { ...report.figures[0]!, indicatorId: 'not_in_the_text', name: '草稿未引用的指标', partial: { missingUnits: ['chatou_town'] } };
    printedFigure.partial = { missingUnits: ['chatou_town'] };
    report.figures.push(unprinted);
    const all = await texts(report);
    const table = all.slice(all.indexOf('草稿中的数字') - 1, all.findIndex((t) => t.startsWith('另有')));
    expect(table).toContain(printedFigure.name);
    expect(table).not.toContain('草稿未引用的指标');
    expect(all).toContain('另有1项指标草稿未引用，同样缺少部分单位的材料（见四、数据来源）：草稿未引用的指标。');
  });

  it('names every source as the office finds it: unit, file, sheet and cell or ledger and rows, 分子/分母; never an id', async () => {
    const report = sampleReport();
    const ratio = report.figures.find((f) => f.indicatorId === 'reconsideration_closed')!;
    ratio.aggregation = { kind: 'ratio', numerator: 'reconsideration_closed', denominator: 'reconsideration_received' };
    ratio.sources = [
      { ...ratio.sources[0]!, part: 'numerator', partIndicatorId: 'reconsideration_closed', partName: '行政复议结案数' },
      { ...report.figures.find((f) => f.indicatorId === 'reconsideration_received')!.sources[0]!, part: 'denominator', partIndicatorId: 'reconsideration_received', partName: '行政复议收案数' },
    ];
    const zip = await openDocx(await renderInternalDocx(report));
    const xml = await part(zip, 'word/document.xml');
    const rows = [...xml.matchAll(/<w:tr>([\s\S]*?)<\/w:tr>|<w:tr [^>]*>([\s\S]*?)<\/w:tr>/g)].map((m) => paragraphs(m[1] ?? m[2] ?? '').map((p) => p.text));
    const sourceRows = rows.slice(rows.findIndex((r) => r.join('|') === '指标|全县数|报送单位|填报数|文件|位置') + 1);
    // The workbook's indicator cell, and the ledger by the name of its sheet.
    expect(sourceRows).toContainEqual(['政府常务会议题会前合法性审查件数', '125件', '灵寿县司法局', '125', '司法局2021年度报表.xlsx', '工作表“指标” C3']);
    expect(sourceRows).toContainEqual(['乡(镇)专职调解员人数', '7名', '灵寿县灵寿镇人民政府', '2', '灵寿镇.csv', '第4行']);
    expect(sourceRows).toContainEqual(['未报：灵寿县岔头镇人民政府']);
    expect(sourceRows.flat()).toContain('工作表“行政复议案件台账”，11行');
    expect(sourceRows.flat()).toEqual(expect.arrayContaining(['分子 9', '分母 11']));
    expect(sourceRows.flat().find((t) => t.startsWith(ratio.name))).toBe(`${ratio.name}（分子：行政复议结案数；分母：行政复议收案数）`);
    const text = paragraphs(xml).map((p) => p.text).join('\n');
    expect(text).not.toMatch(/indicators\.|reconsideration_cases|\$\.|台账 [a-z]/);
  });

  it('numbers its pages and prints the sources on landscape pages', async () => {
    const zip = await openDocx(await renderInternalDocx(sampleReport()));
    const xml = await part(zip, 'word/document.xml');
    const footers = await Promise.all(Object.keys(zip.files).filter((n) => /^word\/footer\d+\.xml$/.test(n)).map((n) => part(zip, n)));
    expect(footers.length).toBeGreaterThan(0);
    for (const f of footers) expect(f).toMatch(/PAGE[\s\S]*NUMPAGES/);
    expect(xml.match(/<w:pgSz [^>]*w:orient="landscape"/g)).toHaveLength(1);
  });
});
