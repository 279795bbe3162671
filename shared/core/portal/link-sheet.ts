/**
 * The county office's printable list of unit links (`yearly-report links`):
 * one A4 page of cards, each with the unit's name, its link, the link's
 * expiry in the county's time, and a QR code of the link. The office cuts
 * the cards apart and hands each unit its own. Everything on it is Chinese
 * and names units, never ids. A self-contained HTML file (inline SVG, inline
 * CSS): it prints from any browser and needs no network.
 */
export interface LinkCard {
  unitName: string;
  link: string;
  /** In the county's time zone, as people write it (2022年1月9日 10:00). */
  validUntil: string;
  /** The QR code of `link`, an SVG document (qrcode's toString). */
  qrSvg: string;
}

export interface LinkSheet {
  countyName: string;
  /** When the links were made, in the county's time. */
  issuedAt: string;
  sessionHours: number;
  cards: LinkCard[];
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function linkSheetHtml(sheet: LinkSheet): string {
  const cards = sheet.cards
    .map(
      (card) => `<section class="card">
  <div class="qr">${card.qrSvg.replace(/^<\?xml[^>]*>\s*/, '')}</div>
  <div class="text">
    <h2>${escape(card.unitName)}</h2>
    <p class="link">${escape(card.link)}</p>
    <p>有效期至 ${escape(card.validUntil)}</p>
  </div>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="renderer" content="webkit">
<title>${escape(sheet.countyName)}单位报送链接</title>
<style>
  @page { size: A4; margin: 12mm; }
  body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 10.5pt; color: #000; margin: 0; }
  header { margin-bottom: 4mm; }
  h1 { font-size: 15pt; margin: 0 0 2mm; }
  header p { margin: 1mm 0; }
  .cards { display: grid; grid-template-columns: 1fr 1fr; gap: 0; }
  .card { display: flex; gap: 3mm; align-items: center; border: 1px dashed #666; margin: -0.5px; padding: 3mm; break-inside: avoid; page-break-inside: avoid; }
  .qr { flex: none; }
  .qr svg { width: 30mm; height: 30mm; display: block; flex: none; }
  .text { min-width: 0; }
  h2 { font-size: 13pt; margin: 0 0 1.5mm; }
  .card p { margin: 1mm 0; }
  .link { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 7.5pt; word-break: break-all; }
</style>
</head>
<body>
<header>
  <h1>${escape(sheet.countyName)}法治政府建设情况报送 · 单位报送链接</h1>
  <p>${escape(sheet.issuedAt)}生成，共 ${sheet.cards.length} 个单位。请沿虚线剪开，把每个单位的链接单独交给该单位的填报人员，不要张贴或群发。</p>
  <p>每个链接只能打开一次：用电脑浏览器输入链接或用手机扫描二维码打开后，${sheet.sessionHours} 小时内在打开的页面中下载模板、上传文件。之后如需再次上传，请向县司法局重新获取链接。</p>
</header>
<div class="cards">
${cards}
</div>
</body>
</html>
`;
}
