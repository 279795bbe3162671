import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeErrorReport } from '../../../shared/core/submission/parse';
import { FIXTURE_DIR } from '../../fixtures/submissions/make-fixtures';
import { parse } from './context';

describe('writeErrorReport', () => {
  it('lists every problem with its location in a Notepad-friendly Chinese text, and as JSON', async () => {
    const out = await parse(readFileSync(path.join(FIXTURE_DIR, 'ragged-rows.csv')), '行政诉讼案件台账.csv');
    if (out.ok) throw new Error('expected problems');
    const meta = { county: 'lingshou', year: 2021, unitId: 'justice_bureau', s3Key: 'submissions/2021/justice_bureau/行政诉讼案件台账.csv', versionId: 'v1', receivedAt: '2022-01-05T02:00:00.000Z', timeZone: 'Asia/Shanghai' };
    const report = writeErrorReport(out.problems, meta);

    const json = JSON.parse(report.json) as { $schema: string; errorCount: number; problems: { code: string; row?: number }[] };
    expect(json.$schema).toBe('yearly-report/error-report@1');
    expect(json.errorCount).toBe(2);
    expect(json.problems.map((p) => [p.code, p.row])).toEqual([
      ['CSV_RAGGED_ROW', 3],
      ['CSV_RAGGED_ROW', 4],
    ]);

    expect(report.text.startsWith('\uFEFF')).toBe(true);
    const lines = report.text.slice(1).split('\r\n');
    expect(lines[0]).toBe('报送文件检查结果：行政诉讼案件台账.csv');
    expect(lines).toContain('收到时间：2022年1月5日 10:00'); // the clerk's local time
    expect(json).toMatchObject({ receivedAt: '2022-01-05T02:00:00.000Z' }); // tools keep the instant
    expect(lines).toContain('结论：未通过。发现2处错误，请改正后重新上传。');
    expect(lines).toContain('1. （第3行）：CSV行的列数与表头不一致：表头有6列，此行只有4列 [填写内容：(2021)冀0126行初2号,2021/4/1,县自然资源局,审理中] (CSV_RAGGED_ROW)');
  });

  it('names the sheet and cell for a workbook problem', () => {
    const report = writeErrorReport(
      [{ severity: 'error', code: 'BAD_ENUM', message: '不是允许的选项：办理状态：可选：已结案、审理中', sheet: '行政诉讼案件台账', cell: 'D7', row: 7, column: '办理状态', value: '在审' }],
      { county: 'lingshou', year: 2021, unitId: 'justice_bureau' },
    );
    expect(report.text).toContain('1. 工作表“行政诉讼案件台账” D7（办理状态）：不是允许的选项：办理状态：可选：已结案、审理中 [填写内容：在审] (BAD_ENUM)');
  });
});
