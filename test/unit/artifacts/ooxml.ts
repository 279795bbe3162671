import JSZip from 'jszip';

/**
 * Just enough WordprocessingML reading for the tests: paragraphs with their
 * style and runs, straight from the XML the renderer wrote. Regexes suffice
 * because docx writes flat, predictable markup (paragraphs never nest).
 */
export interface RunXml {
  text: string;
  style?: string;
  highlight?: string;
  xml: string;
}
export interface ParagraphXml {
  style?: string;
  text: string;
  runs: RunXml[];
  xml: string;
}

const decode = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

export async function openDocx(bytes: Uint8Array): Promise<JSZip> {
  return JSZip.loadAsync(bytes);
}

export async function part(zip: JSZip, name: string): Promise<string> {
  const file = zip.file(name);
  if (!file) throw new Error(`part ${name} missing; parts: ${Object.keys(zip.files).join(', ')}`);
  return file.async('string');
}

export function paragraphs(xml: string): ParagraphXml[] {
  return [...xml.matchAll(/<w:p>([\s\S]*?)<\/w:p>|<w:p [^>]*>([\s\S]*?)<\/w:p>/g)].map((m) => {
    const body = m[1] ?? m[2] ?? '';
    const runs = [...body.matchAll(/<w:r>([\s\S]*?)<\/w:r>/g)].map((r) => {
      const runXml = r[1]!;
      return {
        text: decode([...runXml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')),
        style: /<w:rStyle w:val="([^"]+)"/.exec(runXml)?.[1],
        highlight: /<w:highlight w:val="([^"]+)"/.exec(runXml)?.[1],
        xml: runXml,
      };
    });
    return { style: /<w:pStyle w:val="([^"]+)"/.exec(body)?.[1], text: runs.map((r) => r.text).join(''), runs, xml: body };
  });
}

/** The <w:style> element with this id. */
export function styleXml(stylesXml: string, id: string): string {
  const m = new RegExp(`<w:style [^>]*w:styleId="${id}"[^>]*>([\\s\\S]*?)</w:style>`).exec(stylesXml);
  if (!m) throw new Error(`style ${id} not found`);
  return m[1]!;
}

/** Attribute values of the first element with this tag name. */
export function attrs(xml: string, tag: string): Record<string, string> {
  const m = new RegExp(`<${tag}( [^>]*)?/?>`).exec(xml);
  if (!m) throw new Error(`<${tag}> not found`);
  return Object.fromEntries([...(m[1] ?? '').matchAll(/([\w:]+)="([^"]*)"/g)].map((a) => [a[1]!, decode(a[2]!)]));
}
