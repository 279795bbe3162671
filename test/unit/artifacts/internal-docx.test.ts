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
});
