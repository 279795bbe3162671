import { quoteFreeLines, RaggedRecords, STOP } from '../../../shared/core/submission/formats/csv-records';
import { hasMultilineField } from '../../../shared/core/submission/formats/csv';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { FIXTURE_DIR, gbkCsv } from '../../fixtures/submissions/make-fixtures';
import { errorsOf, parse, warningsOf } from './context';

const goodCsv = readFileSync(path.join(FIXTURE_DIR, 'good.csv'));

describe('CSV submissions', () => {
  it.each([
    ['UTF-8 with BOM', goodCsv],
    ['UTF-8 without BOM', goodCsv.subarray(3)],
    ['GBK (Excel on Chinese Windows)', gbkCsv(goodCsv.toString('utf8'))],
    ['GB18030', iconv.encode(goodCsv.toString('utf8').slice(1), 'gb18030')],
    ['UTF-16 tab-separated (Excel "Unicode text")', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(goodCsv.toString('utf8').slice(1).replace(/,/g, '\t').replace(/"1\t025"/, '1025'), 'utf-16le')])],
  ])('reads the multi-block file encoded as %s', async (_label, bytes) => {
    const out = await parse(new Uint8Array(bytes), 'good.csv');
    if (!out.ok) throw new Error(JSON.stringify(out.problems));
    const s = out.submission;
    expect(s.format).toBe('csv');
    expect(s.contact).toEqual({ name: '张三', phone: '0311-82522000' });
    expect(s.indicators.map((i) => [i.indicatorId, i.value, i.approximate])).toEqual([
      ['legality_review_meeting_items', 1025, false],
      ['enforcement_staff_trained', 1000, true],
    ]);
    expect(s.indicators[0]!.source).toEqual({ row: 9 });
    expect(s.ledgers.lawsuit_cases).toEqual([
      { row: 14, fields: { case_no: '(2021)冀0126行初1号', filed_date: '2021-03-05', defendant: '灵寿县自然资源和规划局', status: '已结案', head_appeared: true, outcome: '胜诉' } },
      { row: 15, fields: { case_no: '(2021)冀0126行初2号', filed_date: '2021-04-01', defendant: null, status: '审理中', head_appeared: false, outcome: null } },
    ]);
    expect(s.narratives).toEqual([expect.objectContaining({ section: 'decision_making', text: '严格落实重大行政决策程序，决策前均经合法性审查。' })]);
  });

  it('reports every ragged row with its line number, and keeps checking the rest', async () => {
    const out = await parse(readFileSync(path.join(FIXTURE_DIR, 'ragged-rows.csv')), '行政诉讼案件台账.csv');
    expect(errorsOf(out).map((p) => [p.code, p.row])).toEqual([
      ['CSV_RAGGED_ROW', 3],
      ['CSV_RAGGED_ROW', 4],
    ]);
  });

  it('names a single-ledger file by its file name, or recognises it by its header', async () => {
    const rows = '案号,收案日期,被申请人,办理状态,复议结果,结案日期\n灵复〔2021〕1号,2021-03-05,某镇政府,已结案,维持,2021-05-01\n';
    const byName = await parse(rows, '司法局-行政复议案件台账-2021.csv');
    const byHeader = await parse(rows, 'export.csv');
    for (const out of [byName, byHeader]) {
      expect(out.ok && out.submission.ledgers.reconsideration_cases?.length).toBe(1);
    }
  });

  it('locates cell problems by line and header', async () => {
    const out = await parse('【行政诉讼案件台账】\n案号,立案日期,办理状态\nA1,2021-02-30,已结案\nA2,2021-03-01,在审\n', 'x.csv');
    expect(errorsOf(out)).toEqual([
      expect.objectContaining({ code: 'BAD_DATE', row: 3, column: '立案日期', value: '2021-02-30' }),
      expect.objectContaining({ code: 'BAD_ENUM', row: 4, column: '办理状态', value: '在审' }),
    ]);
  });

  it('rejects a file whose content it cannot place', async () => {
    const out = await parse('甲,乙,丙\n1,2,3\n', 'data.csv');
    expect(errorsOf(out)).toEqual([expect.objectContaining({ code: 'CSV_UNKNOWN_BLOCK', row: 1 })]);
  });

  it('warns about an unknown column but accepts the rest', async () => {
    const out = await parse('【行政诉讼案件台账】\n案号,立案日期,办理状态,承办人\nA1,2021-03-01,已结案,李四\n', 'x.csv');
    expect(out.ok).toBe(true);
    expect(warningsOf(out)).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_COLUMN', row: 2, column: '承办人' }));
  });

  it('checks the cover block against the upload path', async () => {
    const out = await parse('【封面】\n填报单位,县教育局\n年度,2020\n【指标】\n指标代码,数值\nlegality_review_meeting_items,3\n', 'x.csv');
    expect(errorsOf(out).map((p) => [p.code, p.row])).toEqual([
      ['UNIT_MISMATCH', 2],
      ['YEAR_MISMATCH', 3],
    ]);
  });
});

describe('CSV syntax and workbook sheet names', () => {
  it('reports an unclosed quote as CSV_SYNTAX with the line', async () => {
    const out = await parse('【行政诉讼案件台账】\n案号,立案日期,办理状态\n"A1,2021-03-01,已结案\nA2,2021-03-02,已结案\n', 'x.csv');
    expect(errorsOf(out)).toEqual([expect.objectContaining({ code: 'CSV_SYNTAX' })]);
    expect(errorsOf(out)[0]!.row).toBeGreaterThanOrEqual(3);
  });

  it('keeps line numbers right when a quoted field spans lines', async () => {
    const out = await parse('【工作情况】\n栏目代码,工作情况\ndecision_making,"第一段\n第二段"\nnowhere,内容\n', 'x.csv');
    expect(errorsOf(out)).toEqual([expect.objectContaining({ code: 'UNKNOWN_SECTION', row: 5 })]);
  });
});

describe('large CSV files are fed to csv-parse in pieces, each record handed on as it completes', () => {
  const records = (pieces: (string | Buffer)[], stopAfter = Infinity) => {
    const out: [string[], number][] = [];
    const parser = new RaggedRecords({ delimiter: ',', skip_empty_lines: false, bom: true }, (record, lines) => {
      out.push([record, lines]);
      return out.length >= stopAfter ? STOP : true;
    });
    let reading = true;
    for (const piece of pieces) if (!(reading = parser.write(piece, false))) break;
    if (reading) parser.write(undefined, true);
    return out;
  };
  const text = Buffer.from('\uFEFF姓名,执法证号\r\n张三,"1301\r\n26"\r\n\r\n李四,2,多一列\r\n王五,3');

  it('gives the same records and line counts whatever the cuts, even inside a character, a quoted field or a line break', () => {
    const whole = records([text]);
    expect(whole.map(([r]) => r)).toEqual([['姓名', '执法证号'], ['张三', '1301\r\n26'], [''], ['李四', '2', '多一列'], ['王五', '3']]);
    // The line counts are csv-parse's own (a quoted CRLF counts twice); what matters is that no cut changes them.
    expect(whole.map(([, lines]) => lines)).toEqual([1, 4, 5, 6, 7]);
    for (let cut = 1; cut < text.length; cut++) {
      expect(records([text.subarray(0, cut), text.subarray(cut)])).toEqual(whole);
    }
  });

  it('stops when the consumer says so', () => {
    expect(records([text], 2).map(([r]) => r[0])).toEqual(['姓名', '张三']);
  });

  it.each([
    ['without a quote (split natively)', false],
    ['with one quoted field (read by csv-parse, in slices)', true],
  ])('keeps line numbers and rows right in a 6 MiB ledger %s', async (_, quoted) => {
    const lines = ['【行政执法人员名册】', '姓名,执法证号,培训课时'];
    for (let i = 1; i <= 150_000; i++) lines.push(`执法人员${i},13012620${String(i).padStart(7, '0')},${i % 90}`);
    if (quoted) lines[2] = '"执法人员1",130126200000001,1';
    lines[120_000] = '李四,130126209999999,四十课时多'; // line 120,001: approximate hours are not allowed in a ledger
    const out = await parse(lines.join('\r\n') + '\r\n', 'big.csv');
    expect(errorsOf(out)).toEqual([expect.objectContaining({ code: 'APPROXIMATE_NOT_ALLOWED', row: 120_001, column: '培训课时' })]);
    const good = await parse(lines.filter((_, i) => i !== 120_000).join('\r\n') + '\r\n', 'big.csv');
    expect(good.ok && good.submission.ledgers.enforcement_staff?.length).toBe(150_000 - 1);
    expect(good.ok && good.submission.ledgers.enforcement_staff?.at(-1)).toEqual({ row: 150_001, fields: { name: '执法人员150000', certificate_no: '130126200150000', training_hours: 60 } });
  });
});

describe('a CSV without quotes is split natively, exactly as csv-parse reads it', () => {
  const viaCsvParse = (text: string) => {
    const out: string[][] = [];
    new RaggedRecords({ delimiter: ',', skip_empty_lines: false, bom: true }, (record) => {
      out.push(record);
    }).write(Buffer.from(text), true);
    return out;
  };
  // Seeded, so a failure names an input that can be replayed.
  let seed = 0x5eed;
  const next = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const pieces = ['a', '中', '１', ' ', ',', ',', '\t', ';', '', 'x,y', '\u00a0'];
  const randomText = (ending: () => string) => {
    const lines = Array.from({ length: 1 + next(8) }, () => Array.from({ length: next(6) }, () => pieces[next(pieces.length)]).join(''));
    return (next(4) === 0 ? '\uFEFF' : '') + lines.map((l, i) => l + (i < lines.length - 1 || next(2) === 0 ? ending() : '')).join('');
  };

  it.each([
    ['\r\n', () => '\r\n'],
    ['\n', () => '\n'],
    ['\r', () => '\r'],
  ])('lines ending in %j: the same records, for 2,000 random files', (_, ending) => {
    for (let n = 0; n < 2_000; n++) {
      const text = randomText(ending);
      const lines = quoteFreeLines(text, 1024 * 1024);
      expect({ text, records: lines?.map((l) => l.split(',')) }).toEqual({ text, records: viaCsvParse(text) });
      expect({ text, fromBytes: quoteFreeLines(Buffer.from(text), 1024 * 1024) }).toEqual({ text, fromBytes: lines });
    }
  });

  it('leaves to csv-parse a file with a quote, with lines ending in more than one way, or with a very long line', () => {
    expect(quoteFreeLines('a,"b"\r\n', 1024)).toBeUndefined();
    for (const text of ['a\r\nb\nc', 'a\nb\r\nc', 'a\rb\nc', 'a\nb\rc', 'a\r\nb\rc']) expect({ text, lines: quoteFreeLines(text, 1024) }).toEqual({ text, lines: undefined });
    expect(quoteFreeLines(`a,${'b'.repeat(400)}\n`, 1024)).toBeUndefined();
    expect(quoteFreeLines(`a,${'b'.repeat(300)}\n`, 1024)).toEqual([`a,${'b'.repeat(300)}`]);
    // And csv-parse reads those mixed endings its own way: the first ending found is the only one.
    expect(viaCsvParse('a\nb\r\nc')).toEqual([['a'], ['b\r'], ['c']]);
  });
});

describe('hasMultilineField: whether records and lines differ', () => {
  it.each([
    ['no quote', 'a,b\r\nc,d\r\n', false],
    ['quoted fields on one line each', '"a",b\r\n"c,d","e""f"\r\n', false],
    ['a line feed inside quotes', 'a,"b\nc"\n', true],
    ['a carriage return inside quotes', 'a,"b\rc"\r', true],
    ['after a doubled quote, still inside', '"x""\r\ny"\r\n', true],
    ['an unclosed quote before a line break', 'a,"b\r\nc\r\n', true],
    ['line breaks only between quoted fields', '"a"\n"b"\r\n"c"', false],
  ])('%s', (_, text, expected) => {
    expect(hasMultilineField(text)).toBe(expected);
    expect(hasMultilineField(Buffer.from(text))).toBe(expected);
  });
});
