import { readFileSync } from 'node:fs';
import { JSON_SCHEMA_FILE, submissionFileJsonSchema } from '../../fixtures/submissions/write-json-schema';
import { errorsOf, jsonFile, parse, warningsOf } from './context';

describe('JSON submission file (submission-file@1)', () => {
  it('accepts ids, names and aliases, normalizing values and keeping the approximate marker', async () => {
    const out = await parse(
      jsonFile({
        unit: '县司法局',
        contact: { name: '张三', phone: '0311-82522000' },
        indicators: { legality_review_meeting_items: '１２５件', enforcement_staff_trained: '1000余', reconsideration_received: { value: 2, note: '含1件不予受理' } },
        ledgers: {
          reconsideration_cases: [
            { 案号: '灵复〔2021〕1号', 收案日期: '2021年3月5日', 状态: '已结案', 结果: '维持' },
            { case_no: '灵复〔2021〕2号', received_date: 44260, status: '审理中' },
          ],
        },
        narratives: [{ section: 'decision_making', text: '  开展合法性审查。 ' }],
      }),
      'report.json',
    );
    if (!outOk(out)) throw new Error(JSON.stringify(out));
    const s = out.submission;
    expect(s.format).toBe('json');
    expect(s.contact).toEqual({ name: '张三', phone: '0311-82522000' });
    expect(s.indicators.find((i) => i.indicatorId === 'legality_review_meeting_items')).toMatchObject({ value: 125, approximate: false, raw: '１２５件' });
    expect(s.indicators.find((i) => i.indicatorId === 'enforcement_staff_trained')).toMatchObject({ value: 1000, approximate: true, raw: '1000余' });
    expect(s.indicators.find((i) => i.indicatorId === 'reconsideration_received')).toMatchObject({ value: 2, note: '含1件不予受理' });
    expect(s.ledgers.reconsideration_cases).toEqual([
      { row: 1, fields: { case_no: '灵复〔2021〕1号', received_date: '2021-03-05', status: '已结案', result: '维持' } },
      { row: 2, fields: { case_no: '灵复〔2021〕2号', received_date: '2021-03-05', status: '审理中', result: null } },
    ]);
    expect(s.narratives).toEqual([expect.objectContaining({ section: 'decision_making', text: '开展合法性审查。' })]);
  });

  it.each([
    ['UNIT_MISMATCH', { unit: '县教育局' }, 'unit'],
    ['UNKNOWN_UNIT', { unit: '县宣传部' }, 'unit'],
    ['YEAR_MISMATCH', { year: 2020 }, 'year'],
    ['COUNTY_MISMATCH', { county: '平山县' }, 'county'],
    ['UNKNOWN_INDICATOR', { indicators: { no_such_indicator: 1 } }, 'indicators.no_such_indicator'],
    ['NEGATIVE_NUMBER', { indicators: { legality_review_meeting_items: -3 } }, 'indicators.legality_review_meeting_items'],
    ['APPROXIMATE_NOT_ALLOWED', { indicators: { legality_review_meeting_items: '近300' } }, 'indicators.legality_review_meeting_items'],
    ['NOT_A_NUMBER', { indicators: { legality_review_meeting_items: '若干' } }, 'indicators.legality_review_meeting_items'],
    ['NOT_AN_INTEGER', { indicators: { legality_review_meeting_items: 2.5 } }, 'indicators.legality_review_meeting_items'],
    ['UNKNOWN_LEDGER', { ledgers: { no_such_ledger: [] } }, 'ledgers.no_such_ledger'],
    ['UNKNOWN_SECTION', { narratives: [{ section: 'nowhere', text: '内容' }] }, 'narratives[0].section'],
    ['MISSING_FIELD', { unit: undefined }, 'unit'],
    ['JSON_SCHEMA', { extra: 1 }, '(root)'],
  ])('%s for %j at %s', async (code, overrides, path) => {
    const errors = errorsOf(await parse(jsonFile(overrides), 'x.json'));
    expect(errors).toEqual([expect.objectContaining({ code, path })]);
  });

  it('reports ledger cell problems with the row path, all in one pass', async () => {
    const out = await parse(
      jsonFile({
        ledgers: {
          lawsuit_cases: [
            { case_no: '(2021)冀0126行初1号', filed_date: '2021.3.5', status: '已结案', head_appeared: '是', outcome: '胜诉' },
            { case_no: '(2021)冀0126行初2号', filed_date: '2021-02-30', status: '已结案' },
            { case_no: '(2021)冀0126行初3号', filed_date: '2021/4/1', status: '在审', head_appeared: '也许' },
            { case_no: '(2021)冀0126行初1号', filed_date: '2021/4/1', status: '审理中' },
            { filed_date: '2021/4/1', status: '审理中' },
          ],
        },
      }),
      'x.json',
    );
    expect(errorsOf(out).map((p) => [p.code, p.path])).toEqual([
      ['BAD_DATE', 'ledgers.lawsuit_cases[1].filed_date'],
      ['BAD_ENUM', 'ledgers.lawsuit_cases[2].status'],
      ['BAD_BOOLEAN', 'ledgers.lawsuit_cases[2].head_appeared'],
      ['DUPLICATE_LEDGER_KEY', 'ledgers.lawsuit_cases[3].case_no'],
      ['REQUIRED_CELL_EMPTY', 'ledgers.lawsuit_cases[4].case_no'],
    ]);
  });

  it('warns, without rejecting, when an assigned indicator is empty or the ledger contradicts the summary', async () => {
    const out = await parse(
      jsonFile({
        indicators: { legality_review_meeting_items: '', reconsideration_received: 5 },
        ledgers: { reconsideration_cases: [{ case_no: 'a', received_date: '2021-01-02', status: '已结案' }] },
      }),
      'x.json',
    );
    expect(out.ok).toBe(true);
    const warnings = warningsOf(out);
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'INDICATOR_EMPTY', path: 'indicators.legality_review_meeting_items' }));
    const disagree = warnings.find((w) => w.code === 'LEDGER_SUMMARY_DISAGREE');
    expect(disagree?.path).toBe('indicators.reconsideration_received');
    expect(disagree?.message).toContain('行政复议案件台账');
    expect(disagree?.message).toContain('5');
    expect(disagree?.message).toContain('1');
  });

  it('ignores, with a warning, an indicator that belongs to another unit', async () => {
    const out = await parse(jsonFile({ indicators: { services_fully_online: 12, legality_review_meeting_items: 3 } }), 'x.json');
    expect(out.ok).toBe(true);
    expect(warningsOf(out)).toContainEqual(expect.objectContaining({ code: 'INDICATOR_NOT_FOR_UNIT', path: 'indicators.services_fully_online' }));
    if (out.ok) expect(out.submission.indicators.some((i) => i.indicatorId === 'services_fully_online')).toBe(false);
  });
});

function outOk<T extends { ok: boolean }>(o: T): o is T & { ok: true } {
  return o.ok;
}

describe('the published JSON Schema (submission-file.v1.schema.json)', () => {
  it('matches the zod schema the parser uses; regenerate with test/fixtures/submissions/write-json-schema.ts', () => {
    expect(readFileSync(JSON_SCHEMA_FILE, 'utf8')).toBe(submissionFileJsonSchema());
  });
});
