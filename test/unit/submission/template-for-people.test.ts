import ExcelJS from 'exceljs';
import { narrativeSections } from '../../../shared/core/submission/assignment';
import { TEMPLATE_INDICATOR_COLUMN, TEMPLATE_NARRATIVE_COLUMN } from '../../../shared/core/submission/layout';
import { buildTemplateWorkbook } from '../../../shared/core/submission/template-workbook';
import { readSampleFiles } from '../../../shared/local/sample-data';
import { fillWorkbook, templateFor } from '../../fixtures/submissions/make-fixtures';
import { catalogue, county, errorsOf, parse, warningsOf } from './context';

/** The template and its messages as a clerk meets them: Chinese first, no codes or raw placeholders in the way. */
const load = async (bytes: Buffer) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
};
const rowOf = (ws: ExcelJS.Worksheet, code: string) => {
  let found = 0;
  ws.eachRow((row, n) => {
    if (row.getCell(TEMPLATE_INDICATOR_COLUMN.code).value === code) found = n;
  });
  return found;
};

describe('the 指标 sheet', () => {
  it('starts with the indicator name; the codes are the last column, hidden', async () => {
    const ws = (await load(await templateFor('justice_bureau'))).getWorksheet('指标')!;
    expect(ws.getCell('A1').value).toBe('指标名称');
    expect(ws.getCell('A2').value).toBe('政府常务会议题会前合法性审查件数');
    expect(ws.getColumn(TEMPLATE_INDICATOR_COLUMN.code).hidden).toBe(true);
    expect(TEMPLATE_INDICATOR_COLUMN.code).toBe(Math.max(...Object.values(TEMPLATE_INDICATOR_COLUMN)));
    expect(ws.getRow(2).getCell(TEMPLATE_INDICATOR_COLUMN.code).value).toBe('legality_review_meeting_items');
  });
});

describe('the 工作情况 sheet', () => {
  it('labels each section with a short heading, never the published paragraph or a {{fig:…}} placeholder', async () => {
    const ws = (await load(await templateFor('justice_bureau'))).getWorksheet('工作情况')!;
    const sections = narrativeSections(county, 2021);
    const labels = sections.map((_, i) => String(ws.getRow(i + 2).getCell(TEMPLATE_NARRATIVE_COLUMN.label).value));
    expect(labels).toContain('法治政府建设中存在的问题');
    for (const label of labels) {
      expect(label).not.toContain('{{');
      expect(label.length).toBeLessThanOrEqual(50);
    }
    expect(ws.getColumn(TEMPLATE_NARRATIVE_COLUMN.section).hidden).toBe(true);
  });

  it('reads a second item whose section was picked by its label', async () => {
    const sections = narrativeSections(county, 2021);
    const bytes = await fillWorkbook(await templateFor('justice_bureau'), (wb) => {
      const ws = wb.getWorksheet('工作情况')!;
      const extra = ws.getRow(sections.length + 2);
      extra.getCell(TEMPLATE_NARRATIVE_COLUMN.label).value = '法治政府建设中存在的问题';
      extra.getCell(TEMPLATE_NARRATIVE_COLUMN.text).value = '基层执法力量不足。';
    });
    const out = await parse(new Uint8Array(bytes), 'n.xlsx');
    expect(out.ok && out.submission.narratives).toEqual([expect.objectContaining({ section: 'problems', text: '基层执法力量不足。' })]);
  });
});

describe('an unknown section in the 工作情况 sheet', () => {
  it('lists the sections by the labels the sheet shows, not by their keys', async () => {
    const sections = narrativeSections(county, 2021);
    const bytes = await fillWorkbook(await templateFor('justice_bureau'), (wb) => {
      const extra = wb.getWorksheet('工作情况')!.getRow(sections.length + 2);
      extra.getCell(TEMPLATE_NARRATIVE_COLUMN.label).value = '其他工作';
      extra.getCell(TEMPLATE_NARRATIVE_COLUMN.text).value = '内容';
    });
    const [error] = errorsOf(await parse(new Uint8Array(bytes), 'n.xlsx'));
    expect(error).toMatchObject({ code: 'UNKNOWN_SECTION' });
    expect(error!.message).toContain('法治政府建设中存在的问题');
    expect(error!.message).not.toMatch(/decision_making|problems/);
  });
});

describe('a word in a number cell', () => {
  it.each(['无', '没有', '/'])('“%s” says to enter 0 or 未发生 if none happened, or 暂无数据 when unknown', async (word) => {
    const bytes = await fillWorkbook(await templateFor('justice_bureau'), (wb) => {
      const ws = wb.getWorksheet('指标')!;
      ws.getRow(rowOf(ws, 'legality_review_meeting_items')).getCell(TEMPLATE_INDICATOR_COLUMN.value).value = word;
    });
    const [error] = errorsOf(await parse(new Uint8Array(bytes), 'w.xlsx'));
    expect(error).toMatchObject({ code: 'NOT_A_NUMBER', sheet: '指标', cell: 'C2' });
    expect(error!.message).toContain(`“${word}”不是数字：没有发生的请填0或“未发生”；暂时没有数据的请填“暂无数据”（不要填0）`);
  });

  it('gives an example for any other text', async () => {
    const bytes = await fillWorkbook(await templateFor('justice_bureau'), (wb) => {
      const ws = wb.getWorksheet('指标')!;
      ws.getRow(rowOf(ws, 'legality_review_meeting_items')).getCell(TEMPLATE_INDICATOR_COLUMN.value).value = '很多';
    });
    expect(errorsOf(await parse(new Uint8Array(bytes), 'w.xlsx'))[0]!.message).toContain('请填写阿拉伯数字，如125');
  });
});

describe('a ledger that disagrees with the typed summary', () => {
  it('is named in Chinese at its cell, not by an indicators.<id> path', async () => {
    let row = 0;
    const bytes = await fillWorkbook(await templateFor('justice_bureau'), (wb) => {
      const ws = wb.getWorksheet('指标')!;
      row = rowOf(ws, 'reconsideration_received');
      ws.getRow(row).getCell(TEMPLATE_INDICATOR_COLUMN.value).value = 9;
      wb.getWorksheet('行政复议案件台账')!.getRow(2).values = ['灵复决字〔2021〕1号', '2021-01-03', '灵寿县公安局', '已结案', '维持', '2021-03-04'];
    });
    const warning = warningsOf(await parse(new Uint8Array(bytes), 'l.xlsx')).find((w) => w.code === 'LEDGER_SUMMARY_DISAGREE');
    expect(warning).toMatchObject({ sheet: '指标', cell: `C${row}` });
    expect(warning!.path).toBeUndefined();
    expect(warning!.message).toContain('“行政复议收案数”填报为9');
  });
});

describe('template --fill-sample', () => {
  it("holds exactly the unit's sample data, typed as a clerk would", async () => {
    const unit = county.config.units.find((u) => u.id === 'justice_bureau')!;
    const sample = readSampleFiles(county.dir, 2021).find((s) => s.unitId === unit.id)!;
    const fromJson = await parse(sample.bytes, sample.fileName);
    if (!fromJson.ok) throw new Error('the sample must parse');
    const filled = await buildTemplateWorkbook({ county, catalogue, year: 2021, unit, prefill: fromJson.submission });
    const fromXlsx = await parse(new Uint8Array(filled), '司法局.xlsx');
    if (!fromXlsx.ok) throw new Error(JSON.stringify(fromXlsx.problems));
    // Figures its ledgers count are not typed into the template (由台账自动统计): the ledger rows carry them.
    const countedByLedger = new Set(catalogue.indicators.filter((d) => d.fromLedger && (fromJson.submission.ledgers[d.fromLedger.ledger]?.length ?? 0) > 0).map((d) => d.id));
    const values = (s: typeof fromJson.submission) => s.indicators.filter((i) => !countedByLedger.has(i.indicatorId)).map((i) => [i.indicatorId, i.value, i.approximate, i.note]).sort();
    expect(countedByLedger.size).toBeGreaterThan(0);
    expect(values(fromXlsx.submission)).toEqual(values(fromJson.submission));
    const rows = (s: typeof fromJson.submission) => Object.fromEntries(Object.entries(s.ledgers).map(([id, list]) => [id, list.map((r) => r.fields)]));
    expect(rows(fromXlsx.submission)).toEqual(rows(fromJson.submission));
    expect(fromXlsx.submission.contact).toEqual(fromJson.submission.contact);
  });
});

describe('a summary cell left empty', () => {
  const withLedger = async (keep: boolean) =>
    fillWorkbook(await templateFor('justice_bureau'), (wb) => {
      if (keep) wb.getWorksheet('行政复议案件台账')!.getRow(2).values = ['灵复决字〔2021〕1号', '2021-01-03', '灵寿县公安局', '已结案', '维持', '2021-03-04'];
      else wb.getWorksheet('工作情况')!.getCell('B2').value = '内容';
    });
  const emptyNames = async (bytes: Buffer) => warningsOf(await parse(new Uint8Array(bytes), 'e.xlsx')).filter((w) => w.code === 'INDICATOR_EMPTY').map((w) => w.message);

  it('is no reminder when the unit kept the ledger that gives it, as the 说明 sheet says', async () => {
    const names = await emptyNames(await withLedger(true));
    expect(names).not.toContainEqual(expect.stringContaining('行政复议收案数'));
    // A summary with no ledger behind it is still a reminder.
    expect(names).toContainEqual(expect.stringContaining('政府常务会议题会前合法性审查件数'));
  });

  it('is a reminder when the ledger was not kept', async () => {
    expect(await emptyNames(await withLedger(false))).toContainEqual(expect.stringContaining('行政复议收案数'));
  });
});
