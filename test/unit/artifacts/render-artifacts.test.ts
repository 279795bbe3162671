import { spawnSync } from 'child_process';
import { join } from 'path';
import { renderArtifacts } from '../../../shared/core/artifacts';
import { ReportSchema } from '../../../shared/core/report/schema';
import { sampleReport } from './fixtures/report';

const root = join(__dirname, '../../..');

describe('renderArtifacts', () => {
  it('returns the publishable artifacts, then the internal companion and the data, in order, each with its content type', async () => {
    const artifacts = await renderArtifacts(sampleReport());
    expect(artifacts.map((a) => [a.fileName, a.contentType])).toEqual([
      ['report.json', 'application/json; charset=utf-8'],
      ['report.md', 'text/markdown; charset=utf-8'],
      ['report.html', 'text/html; charset=utf-8'],
      ['report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['报送情况.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['data.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
    const [json, md, html, docx, internal, xlsx] = artifacts.map((a) => a.body);
    expect(ReportSchema.parse(JSON.parse(json as string))).toEqual(sampleReport());
    expect(md).toMatch(/^# 灵寿县人民政府关于2021年度法治政府建设情况的报告\n/);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    // Both OOXML files are zip archives.
    for (const bytes of [docx, internal, xlsx]) expect(Buffer.from(bytes as Uint8Array).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('does not load docx or exceljs until a report is rendered (Lambda cold start)', () => {
    // A fresh process: jest's module registry would hide what a real require loads.
    const script = `
      require('tsx/cjs');
      const loaded = () => Object.keys(require.cache).filter((p) => /node_modules[\\\\/](docx|exceljs)[\\\\/]/.test(p)).length;
      const { renderArtifacts } = require('./shared/core/artifacts');
      const { sampleReport } = require('./test/unit/artifacts/fixtures/report');
      const before = loaded();
      renderArtifacts(sampleReport()).then(() => console.log(JSON.stringify({ before, after: loaded() > 0 })));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    // After rendering they are loaded: the check above can see them.
    expect(JSON.parse(run.stdout.trim())).toEqual({ before: 0, after: true });
  });
});
