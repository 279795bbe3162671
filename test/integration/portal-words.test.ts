import { startPortal, tokenOf, uploadAsClerk, type PortalHarness } from '../portal/portal-harness';
import { submissionFile } from './helpers';

/**
 * What a clerk reads from the portal API (issue 22, item 10): Chinese they can
 * act on, indicators by name, places in the file as a person finds them (never
 * a JSON path), an error report named for the unit and year, and a wrong
 * unit's file explained without "上传位置".
 */
let portal: PortalHarness;
let justice: string;

beforeAll(async () => {
  portal = await startPortal();
  justice = tokenOf(await portal.server.unitLink('justice_bureau'));
});
afterAll(async () => portal?.stop());

const JSON_PATH = /indicators\.|ledgers\.|narratives\[|\$schema|\.value\b/;

it('an .xls file is told, in Chinese, to be saved as .xlsx from Excel or WPS', async () => {
  const { status, body } = await uploadAsClerk(portal.server.url, justice, '县司法局2021.xls', Buffer.from('not really'));
  expect(status).toBe(400);
  expect(body.message).toBe('不能上传.xls格式的表格：请在Excel或WPS表格中打开它，点“文件”→“另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再上传另存得到的.xlsx文件');
  const pdf = await uploadAsClerk(portal.server.url, justice, '报告.pdf', Buffer.from('%PDF'));
  expect(pdf.body.message).toBe('不能上传.pdf格式的文件，只能上传按模板填写的.json、.csv、.xlsx文件');
  expect(`${body.message}${pdf.body.message}`).not.toMatch(/fileName|submission file|请求内容不正确/);
});

it("an accepted JSON upload's warnings and figures name indicators by their Chinese names, not JSON paths", async () => {
  const { body } = await uploadAsClerk(portal.server.url, justice, '司法局.json', Buffer.from(submissionFile('县司法局', { legality_review_meeting_items: 125 })));
  expect(body.state).toBe('accepted');
  const warnings = body.warnings as string[];
  // The message names the missing indicator itself: no place in front that says it again.
  expect(warnings).toContainEqual('缺少本单位应填报的指标：聘用法律顾问人数');
  expect(warnings.filter((w) => /^指标“([^”]+)”：.*\1/.test(w))).toEqual([]);
  expect(warnings.join('\n')).not.toMatch(JSON_PATH);
  const figures = body.figures as { name: string; where: string }[];
  expect(figures).toContainEqual(expect.objectContaining({ name: '政府常务会议题会前合法性审查件数', where: '指标“政府常务会议题会前合法性审查件数”' }));
});

it('a rejected JSON upload shows readable places, and its error report downloads as 单位-年度-错误报告.txt', async () => {
  const bytes = Buffer.from(submissionFile('县司法局', { legality_review_meeting_items: '很多' }, { year: 2020 }));
  const { body } = await uploadAsClerk(portal.server.url, justice, '司法局-有错误.json', bytes);
  expect(body.state).toBe('rejected');
  const problems = body.problems as { where: string; message: string }[];
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ where: '年度', message: '年度与所报年度不符：文件填写2020年度，所报年度为2021年度' }),
      expect.objectContaining({ where: '指标“政府常务会议题会前合法性审查件数”' }),
    ]),
  );
  expect(problems.map((p) => `${p.where} ${p.message}`).join('\n')).not.toMatch(/上传位置|indicators\./);

  const report = await fetch(`${portal.server.url}/api/clerk/error-report?key=${encodeURIComponent(String(body.errorReportKey))}`, { headers: { authorization: `Bearer ${justice}` } });
  expect(report.status).toBe(200);
  expect(decodeURIComponent(report.headers.get('content-disposition')!)).toContain("filename*=UTF-8''灵寿县司法局-2021-错误报告.txt");
  const text = await report.text();
  expect(text).toContain('指标“政府常务会议题会前合法性审查件数”：不是有效数字');
  expect(text).not.toMatch(JSON_PATH);
});

it("another unit's file is explained by whom it is for, without 上传位置", async () => {
  const { body } = await uploadAsClerk(portal.server.url, justice, '教育局.json', Buffer.from(submissionFile('县教育局', {})));
  expect(body.state).toBe('rejected');
  const messages = (body.problems as { where: string; message: string }[]).map((p) => `${p.where}：${p.message}`);
  expect(messages).toContainEqual('填报单位：填报单位不一致：文件填写“灵寿县教育局”，报送单位为“灵寿县司法局”');
  expect(messages.join('\n')).not.toContain('上传位置');
});
