import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { lineStarts, renderDocx, titleLines } from '../../../shared/core/artifacts/docx';
import { sampleReport } from './fixtures/report';
import { attrs, openDocx, paragraphs, part, styleXml } from './ooxml';

const mm = (twips: string | undefined) => (Number(twips) * 25.4) / 1440;

describe('report.docx (GB/T 9704-2012)', () => {
  let documentXml: string;
  let stylesXml: string;
  let bytes: Uint8Array;

  beforeAll(async () => {
    bytes = await renderDocx(sampleReport());
    const zip = await openDocx(bytes);
    documentXml = await part(zip, 'word/document.xml');
    stylesXml = await part(zip, 'word/styles.xml');
  });

  it('is A4 with margins 37/35/28/26 mm', () => {
    const size = attrs(documentXml, 'w:pgSz');
    expect([size['w:w'], size['w:h']]).toEqual(['11906', '16838']);
    const margin = attrs(documentXml, 'w:pgMar');
    expect({ top: margin['w:top'], bottom: margin['w:bottom'], left: margin['w:left'], right: margin['w:right'] }).toEqual({
      top: '2098',
      bottom: '1984',
      left: '1587',
      right: '1474',
    });
    expect(mm(margin['w:top'])).toBeCloseTo(37, 1);
    expect(mm(margin['w:right'])).toBeCloseTo(26, 1);
  });

  it('fits 22 lines of 28 characters in the text block, from the XML values', () => {
    const size = attrs(documentXml, 'w:pgSz');
    const margin = attrs(documentXml, 'w:pgMar');
    const body = styleXml(stylesXml, 'GwBody');
    const lineTwips = Number(attrs(body, 'w:spacing')['w:line']);
    expect(attrs(body, 'w:spacing')['w:lineRule']).toBe('exact');
    const rPrDefault = /<w:rPrDefault>([\s\S]*?)<\/w:rPrDefault>/.exec(stylesXml)![1]!;
    const charTwips = Number(attrs(body, 'w:sz')['w:val']) * 10 + Number(attrs(rPrDefault, 'w:spacing')['w:val']);
    const textHeight = Number(size['w:h']) - Number(margin['w:top']) - Number(margin['w:bottom']);
    const textWidth = Number(size['w:w']) - Number(margin['w:left']) - Number(margin['w:right']);
    expect(Math.floor(textHeight / lineTwips)).toBe(22);
    expect(Math.floor(textWidth / charTwips)).toBe(28);
  });

  it('names every font for East Asian text as well as Latin, at the official sizes', () => {
    const fonts = (id: string) => attrs(styleXml(stylesXml, id), 'w:rFonts');
    const size = (id: string) => attrs(styleXml(stylesXml, id), 'w:sz')['w:val'];
    const expectFont = (id: string, name: string) =>
      expect(fonts(id)).toEqual(expect.objectContaining({ 'w:ascii': name, 'w:hAnsi': name, 'w:eastAsia': name }));

    expectFont('GwTitle', '方正小标宋简体');
    expect(size('GwTitle')).toBe('44');
    expectFont('GwBody', '仿宋_GB2312');
    expect(size('GwBody')).toBe('32');
    expectFont('GwHeading1', '黑体');
    expect(size('GwHeading1')).toBe('32');
    expectFont('GwHeading2Char', '楷体_GB2312');
    expectFont('GwFooter', '宋体');
    expect(size('GwFooter')).toBe('28');
    const rPrDefault = /<w:rPrDefault>([\s\S]*?)<\/w:rPrDefault>/.exec(stylesXml)![1]!;
    expect(attrs(rPrDefault, 'w:rFonts')['w:eastAsia']).toBe('仿宋_GB2312');
    expect(attrs(rPrDefault, 'w:lang')['w:eastAsia']).toBe('zh-CN');
  });

  it('indents body and headings by two characters, centres the title, keeps addressees flush left', () => {
    for (const id of ['GwBody', 'GwHeading1', 'GwHeading2']) {
      expect(attrs(styleXml(stylesXml, id), 'w:ind')['w:firstLine']).toBe('640');
    }
    expect(attrs(styleXml(stylesXml, 'GwTitle'), 'w:jc')['w:val']).toBe('center');
    expect(attrs(styleXml(stylesXml, 'GwDocNumber'), 'w:jc')['w:val']).toBe('center');
    expect(attrs(styleXml(stylesXml, 'GwAddressees'), 'w:jc')['w:val']).toBe('left');
    expect(attrs(styleXml(stylesXml, 'GwAddressees'), 'w:ind')['w:firstLine']).toBe('0');
  });

  it('writes the paragraphs in the template order, the annex last on its own page', () => {
    const report = sampleReport();
    const ps = paragraphs(documentXml).filter((p) => p.text !== '');
    const expected: [string | undefined, string][] = [
      ['GwTitle', report.title],
      ['GwDocNumber', '灵政函〔2022〕6号'],
      ['GwAddressees', '中共灵寿县委、县人大常委会：'],
      ['GwBody', '2021年以来'],
      ['GwHeading1', '一、工作开展情况'],
      ['GwHeading2', '（一）构建系统完备'],
      ['GwHeading2', '（二）健全政府机构职能体系'],
      ['GwHeading2', '（三）推进严格规范公正文明执法'],
      ['GwHeading2', '（四）健全社会矛盾纠纷'],
      ['GwHeading1', '二、法治政府建设中存在的问题'],
      ['GwBody', '虽然我县法治政府建设'],
      ['GwBody', '特此报告。'],
      ['GwBody', '附件：2021年度各单位材料报送情况'],
      ['GwSignature', '灵寿县人民政府'],
      ['GwSignature', '2022年1月14日'],
      ['GwBody', '（此件公开发布）'],
      ['GwAnnexLabel', '附件'],
      ['GwAnnexTitle', '2021年度各单位材料报送情况'],
      ['GwTableHeader', '序号'],
    ];
    // Compare each paragraph's opening words: the style and where it starts are what matter here.
    expect(ps.slice(0, expected.length).map((p, i) => [p.style, p.text.slice(0, expected[i]![1].length)])).toEqual(expected);
    const annexLabel = ps.find((p) => p.style === 'GwAnnexLabel')!;
    expect(annexLabel.xml).toContain('<w:pageBreakBefore/>');
    // The whole completeness table follows: the missing unit is in it.
    expect(ps.map((p) => p.text)).toEqual(expect.arrayContaining(['灵寿县岔头镇人民政府', '未报送']));
  });

  it('prints each 楷体 level-2 heading and its 仿宋 text in one paragraph, with every figure', () => {
    const report = sampleReport();
    const headings = paragraphs(documentXml).filter((p) => p.style === 'GwHeading2');
    expect(headings).toHaveLength(4);
    for (const h of headings) {
      expect(h.runs[0]!.style).toBe('GwHeading2Char');
      expect(h.runs[0]!.text).toMatch(/^（[一二三四]）/);
      expect(h.runs.slice(1).every((r) => r.style !== 'GwHeading2Char')).toBe(true);
    }
    const text = paragraphs(documentXml).map((p) => p.text).join('\n');
    for (const f of report.figures.filter((f) => f.value !== null)) expect(text).toContain(f.display);
  });

  it('highlights the missing figure and nothing else', () => {
    const runs = paragraphs(documentXml).flatMap((p) => p.runs);
    const highlighted = runs.filter((r) => r.highlight);
    expect(highlighted.map((r) => [r.text, r.highlight])).toEqual([['【待补充：聘用法律顾问的乡(镇)数】', 'yellow']]);
  });

  it('sets issuer and date flush right, the date four characters in, the issuer centred over it', () => {
    const [issuer, date] = paragraphs(documentXml).filter((p) => p.style === 'GwSignature');
    expect(attrs(styleXml(stylesXml, 'GwSignature'), 'w:jc')['w:val']).toBe('right');
    expect(attrs(date!.xml, 'w:ind')['w:right']).toBe(String(4 * 320));
    // "2022年1月14日" is 6.5 characters wide, "灵寿县人民政府" 7: the issuer sits a quarter character further right.
    expect(attrs(issuer!.xml, 'w:ind')['w:right']).toBe(String(4 * 320 - 80));
  });

  it('breaks a long title after the issuer, as the county prints it', () => {
    const title = paragraphs(documentXml).find((p) => p.style === 'GwTitle')!;
    expect(title.runs.map((r) => r.text)).toEqual(['灵寿县人民政府', '关于2021年度法治政府建设情况的报告']);
    expect(title.runs[1]!.xml).toMatch(/^<w:br\/>/);
    expect(titleLines('关于2021年度法治政府建设情况的报告')).toEqual(['关于2021年度法治政府建设情况的报告']);
    // No place to break with the words intact: Word wraps it.
    expect(titleLines('一'.repeat(30))).toEqual(['一'.repeat(30)]);
  });

  it('notes the annex under the text, a long name wrapping under its own first character', () => {
    const note = paragraphs(documentXml).find((p) => p.text.startsWith('附件：'))!;
    expect(note.text).toBe('附件：2021年度各单位材料报送情况');
    // Starts two characters in (5 − 3), wraps five in: after "附件：".
    expect(attrs(note.xml, 'w:ind')).toEqual({ 'w:left': String(5 * 320), 'w:hanging': String(3 * 320) });
  });

  it('fits the annex table to the text block, widest column for the unit names', () => {
    const grid = [...documentXml.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    const margin = attrs(documentXml, 'w:pgMar');
    expect(grid.reduce((a, b) => a + b, 0)).toBe(11906 - Number(margin['w:left']) - Number(margin['w:right']));
    expect(Math.max(...grid)).toBe(grid[1]); // 单位
  });

  it('numbers pages "— n —" in the footer, odd pages right and even pages left', async () => {
    const zip = await openDocx(bytes);
    const rels = await part(zip, 'word/_rels/document.xml.rels');
    const sectPr = /<w:sectPr>([\s\S]*?)<\/w:sectPr>/.exec(documentXml)![1]!;
    const footers = Object.fromEntries(
      [...sectPr.matchAll(/<w:footerReference w:type="(\w+)" r:id="(\w+)"\/>/g)].map((m) => {
        const target = new RegExp(`Id="${m[2]}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${m[2]}"`).exec(rels)![1]!;
        return [m[1]!, target];
      }),
    );
    expect(Object.keys(footers).sort()).toEqual(['default', 'even']);
    const settings = await part(zip, 'word/settings.xml');
    expect(settings).toContain('<w:evenAndOddHeaders/>');
    for (const [kind, target] of Object.entries(footers)) {
      const xml = await part(zip, `word/${target}`);
      const [p] = paragraphs(xml);
      expect(p!.style).toBe('GwFooter');
      expect(p!.text).toBe('—  —'); // the PAGE field sits between the dashes
      expect(xml).toMatch(/— <\/w:t>[\s\S]*<w:fldChar w:fldCharType="begin"\/>[\s\S]*<w:instrText[^>]*>PAGE<\/w:instrText>[\s\S]*<w:fldChar w:fldCharType="end"\/>[\s\S]*> —<\/w:t>/);
      expect(attrs(p!.xml, 'w:jc')['w:val']).toBe(kind === 'default' ? 'right' : 'left');
    }
  });

  it('keeps the XML well-formed when submitted text carries control characters', async () => {
    const report = sampleReport();
    report.document.splice(4, 0, { kind: 'paragraph', segments: [{ text: '第一行\u000B第二行\u0001。\r\n　　续写\uFFFE' }] });
    report.completeness.units[0]!.unitName = '司法局\u0008';
    const xml = await part(await openDocx(await renderDocx(report)), 'word/document.xml');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(paragraphs(xml).map((p) => p.text)).toContain('第一行第二行。续写');
  });

  it('converts to PDF with LibreOffice where it is installed, and is a complete OOXML package everywhere', async () => {
    const zip = await openDocx(bytes);
    const contentTypes = await part(zip, '[Content_Types].xml');
    expect(contentTypes).toContain('application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml');
    expect(await part(zip, '_rels/.rels')).toContain('word/document.xml');
    expect(documentXml).toMatch(/^<\?xml[^>]*\?>\s*<w:document /);
    expect(documentXml.trimEnd().endsWith('</w:document>')).toBe(true);

    const office = ['soffice', 'libreoffice'].find((bin) => spawnSync('which', [bin]).status === 0);
    if (!office) {
      // CI installs LibreOffice (.ci/run), so there the PDF check always runs; test/e2e/report-print.test.ts names its absence elsewhere.
      expect(process.env.CI).not.toBe('true');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'report-docx-'));
    try {
      writeFileSync(join(dir, 'report.docx'), bytes);
      // A private profile: a user's running LibreOffice would otherwise swallow the conversion.
      execFileSync(office, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'report.docx')], {
        stdio: 'pipe',
        timeout: 120_000,
      });
      const pdf = readFileSync(join(dir, 'report.pdf'));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(2); // the text, and the annex on a page of its own
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('report.docx in Word and WPS without the official fonts', () => {
  it('declares every font it names in the font table, with the substitute stock Windows has', async () => {
    const xml = await part(await openDocx(await renderDocx(sampleReport())), 'word/fontTable.xml');
    const fonts = Object.fromEntries([...xml.matchAll(/<w:font w:name="([^"]+)">([\s\S]*?)<\/w:font>/g)].map((m) => [m[1], /<w:altName w:val="([^"]+)"/.exec(m[2]!)?.[1]]));
    expect(fonts).toMatchObject({ 仿宋_GB2312: '仿宋', 楷体_GB2312: '楷体', 方正小标宋简体: '华文中宋', 黑体: 'SimHei' });
    const styles = await part(await openDocx(await renderDocx(sampleReport())), 'word/styles.xml');
    for (const named of new Set([...styles.matchAll(/<w:rFonts [^>]*w:eastAsia="([^"]+)"/g)].map((m) => m[1]!))) expect(Object.keys(fonts)).toContain(named);
  });

  it('lets line-end punctuation hang in every paragraph of the text, as Word does for Chinese', async () => {
    const xml = await part(await openDocx(await renderDocx(sampleReport())), 'word/document.xml');
    const body = paragraphs(xml).filter((p) => p.style === 'GwBody' || p.style === 'GwHeading2');
    expect(body.length).toBeGreaterThan(3);
    for (const p of body) expect(p.xml).toContain('<w:overflowPunct/>');
  });

  it('prints a long last paragraph as head and tail: the tail (its last lines) keeps with 特此报告, the head fills its page, set edge to edge', async () => {
    const report = sampleReport();
    const long = '全面推行行政执法三项制度，贯彻落实行政执法公示办法、行政执法全过程记录办法、重大执法决定法制审核办法，深入推进三项制度信息化和规范化建设，强化三项制度落实情况督导检查，确保取得实效。持续推进综合执法改革，进一步整合执法队伍，推动落实市场监管、生态环境保护、文化市场、交通运输和农业综合行政执法改革，继续深入推进城市管理等其他跨领域跨部门综合执法，提高执法和服务水平。';
    const at = report.document.findIndex((b) => b.kind === 'closing') - 1;
    report.document[at] = { kind: 'paragraph', segments: [{ text: long }] };
    const ps = paragraphs(await part(await openDocx(await renderDocx(report)), 'word/document.xml'));
    const closing = ps.findIndex((p) => p.text === '特此报告。');
    const [head, tail] = [ps[closing - 2]!, ps[closing - 1]!];
    expect(head.text + tail.text).toBe(long);
    expect([...tail.text].length).toBeLessThanOrEqual(2 * 28);
    expect(head.xml).not.toContain('<w:keepNext/>');
    expect(head.xml).toContain('<w:jc w:val="distribute"/>');
    expect(tail.xml).toContain('<w:keepNext/>');
    expect(tail.xml).toContain('<w:keepLines/>');
    expect(attrs(tail.xml, 'w:ind')['w:firstLine']).toBe('0');
  });

  it('breaks lines as LibreOffice does: 28 a line, a closing mark takes the character before it down, digits as one word', () => {
    // As LibreOffice printed the Lingshou demo's last paragraph.
    const text = '（三）在队伍提升上精准推进。全面推行行政执法三项制度，贯彻落实《行政执法公示办法》《行政执法全过程记录办法》《重大执法决定法制审核办法》';
    const starts = lineStarts(text);
    // 26 fit after the indent, the 27th is 度 and then ， which may not start a line: 度， go down together.
    expect([...text].slice(0, starts[1]).join('')).toBe('（三）在队伍提升上精准推进。全面推行行政执法三项制');
    expect([...text].slice(starts[1], starts[2]).join('')).toBe('度，贯彻落实《行政执法公示办法》《行政执法全过程记录办');
  });

  it('keeps the last paragraph, 特此报告, issuer and date together, the date last', async () => {
    const ps = paragraphs(await part(await openDocx(await renderDocx(sampleReport())), 'word/document.xml'));
    const closing = ps.findIndex((p) => p.text === '特此报告。');
    const date = ps.findIndex((p) => p.text === '2022年1月14日');
    expect(closing).toBeGreaterThan(1);
    for (const p of ps.slice(closing - 1, date)) expect([p.text, p.xml.includes('<w:keepNext/>')]).toEqual([p.text, true]);
    expect(ps[closing - 2]!.xml).not.toContain('<w:keepNext/>');
  });
});

describe('版头 and 版记 (GB/T 9704 §7.2, §7.4)', () => {
  const framed = () => {
    const report = sampleReport();
    report.document.unshift({ kind: 'masthead', text: '测试县人民政府文件' });
    report.document.push({ kind: 'imprint', copyTo: ['县纪委监委', '县法院'], printedBy: '测试县人民政府办公室', printedOn: '2022年1月14日' });
    return report;
  };

  it('puts the red issuer mark first, the document number under it over a red line, then the title', async () => {
    const ps = paragraphs(await part(await openDocx(await renderDocx(framed())), 'word/document.xml'));
    expect(ps.slice(0, 3).map((p) => p.style)).toEqual(['GwMasthead', 'GwDocNumber', 'GwTitle']);
    expect(attrs(ps[1]!.xml, 'w:bottom')).toMatchObject({ 'w:color': 'FF0000' });
    expect(ps.filter((p) => p.style === 'GwDocNumber')).toHaveLength(1);
    const styles = await part(await openDocx(await renderDocx(framed())), 'word/styles.xml');
    expect(attrs(styleXml(styles, 'GwMasthead'), 'w:color')['w:val']).toBe('FF0000');
  });

  it('ends with the 抄送 and 印发 lines between rules, after the annex', async () => {
    const ps = paragraphs(await part(await openDocx(await renderDocx(framed())), 'word/document.xml'));
    const last = ps.slice(-2);
    expect(last.map((p) => [p.style, p.text])).toEqual([
      ['GwImprint', '抄送：县纪委监委，县法院。'],
      ['GwImprint', '测试县人民政府办公室2022年1月14日印发'],
    ]);
    expect(last[1]!.xml).toContain('<w:tab/>');
    expect(last[0]!.xml).toContain('<w:top ');
    expect(last[1]!.xml).toContain('<w:bottom ');
  });

  it('is absent unless the county configures it', async () => {
    const ps = paragraphs(await part(await openDocx(await renderDocx(sampleReport())), 'word/document.xml'));
    expect(ps.map((p) => p.style)).not.toContain('GwMasthead');
    expect(ps.map((p) => p.style)).not.toContain('GwImprint');
  });
});

describe('partial figures in report.docx', () => {
  it('highlights a partial figure and the sentence claiming completeness, with one Word comment naming the missing units', async () => {
    const report = sampleReport();
    const figure = report.figures.find((f) => f.indicatorId === 'legality_review_meeting_items')!;
    figure.partial = { missingUnits: ['chatou_town'] };
    report.document.splice(4, 0, {
      kind: 'paragraph',
      segments: [{ text: '截至目前' }, { text: '125', figure: figure.indicatorId, partial: figure.indicatorId }, { text: '个单位均已聘用。', partial: figure.indicatorId }, { text: '其余照常。' }],
    });
    const zip = await openDocx(await renderDocx(report));
    const p = paragraphs(await part(zip, 'word/document.xml')).find((x) => x.text.startsWith('截至目前'))!;
    expect(p.runs.filter((r) => r.text).map((r) => [r.text, r.highlight ?? null])).toEqual([
      ['截至目前', null],
      ['125', 'yellow'],
      ['个单位均已聘用。', 'yellow'],
      ['其余照常。', null],
    ]);
    expect(p.xml.match(/<w:commentRangeStart w:id="0"\/>/g)).toHaveLength(1);
    expect(p.xml.indexOf('<w:commentRangeEnd w:id="0"/>')).toBeGreaterThan(p.xml.indexOf('个单位均已聘用。'));
    const comments = await part(zip, 'word/comments.xml');
    expect(comments).toContain(`不完整：“${figure.name}”未计入灵寿县岔头镇人民政府（未报送或被退回）`);
  });

  it('opens with the notice, highlighted, when the report carries one', async () => {
    const report = sampleReport();
    report.document.unshift({ kind: 'notice', text: '【注意：仍有1个单位未报送。】' });
    const [first] = paragraphs(await part(await openDocx(await renderDocx(report)), 'word/document.xml'));
    expect([first!.text, first!.runs[0]!.highlight]).toEqual(['【注意：仍有1个单位未报送。】', 'yellow']);
  });

  it('prints an undecided date as a highlighted 【成文日期】, a decided one plainly', async () => {
    const undated = sampleReport();
    undated.document = undated.document.map((b) => (b.kind === 'date' ? { kind: 'date', text: '【成文日期】', placeholder: true } : b));
    const date = (ps: ReturnType<typeof paragraphs>) => ps.filter((p) => p.style === 'GwSignature').at(-1)!;
    const open = date(paragraphs(await part(await openDocx(await renderDocx(undated)), 'word/document.xml')));
    expect(open.runs.filter((r) => r.text).map((r) => [r.text, r.highlight ?? null])).toEqual([['【成文日期】', 'yellow']]);
    const decided = date(paragraphs(await part(await openDocx(await renderDocx(sampleReport())), 'word/document.xml')));
    expect(decided.runs.filter((r) => r.text).map((r) => [r.text, r.highlight ?? null])).toEqual([['2022年1月14日', null]]);
  });
});
