import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';

/**
 * Reading a .docx as a person would: LibreOffice lays it out and prints it
 * to PDF, poppler's pdftotext reads the pages back. `.ci/run` installs both.
 */
export const office = ['soffice', 'libreoffice'].find((bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0);
export const popplerInstalled = spawnSync('sh', ['-c', 'command -v pdftotext && command -v pdfinfo']).status === 0;

export interface PrintedPdf {
  /** pdftotext's text of each page, in order. */
  pages: string[];
  pageCount: number;
  /** The first page is wider than high (pdfinfo's page size). */
  landscape?: boolean;
}

export function printDocx(bytes: Uint8Array): PrintedPdf {
  return printOfficeFile(bytes, 'docx');
}

/** A workbook printed as LibreOffice Calc prints it (its page setup: orientation, fit to width, header and footer). */
export function printXlsx(bytes: Uint8Array): PrintedPdf {
  return printOfficeFile(bytes, 'xlsx');
}

/** Whether LibreOffice can open workbooks here (Calc: libreoffice-calc-nogui; .ci/run installs it). */
export const calcInstalled = spawnSync('sh', ['-c', 'ls /usr/lib/libreoffice/program/libsclo.so']).status === 0;

function printOfficeFile(bytes: Uint8Array, ext: 'docx' | 'xlsx'): PrintedPdf {
  if (!office || !popplerInstalled) throw new Error('LibreOffice (soffice) and poppler-utils (pdftotext, pdfinfo) are needed: apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk poppler-utils');
  const dir = mkdtempSync(join(tmpdir(), `print-${ext}-`));
  try {
    writeFileSync(join(dir, `doc.${ext}`), bytes);
    // A private profile: a user's running LibreOffice would otherwise swallow the conversion.
    execFileSync(office, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, `doc.${ext}`)], { stdio: 'pipe', timeout: 120_000 });
    const info = execFileSync('pdfinfo', [join(dir, 'doc.pdf')], { encoding: 'utf8' });
    const pageCount = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
    const size = /^Page size:\s+([\d.]+) x ([\d.]+)/m.exec(info);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' });
    // pdftotext ends every page with a form feed.
    const pages = text.split('\f').slice(0, pageCount);
    return { pages, pageCount, ...(size ? { landscape: Number(size[1]) > Number(size[2]) } : {}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

const paragraphTexts = (xml: string) =>
  [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) => decode([...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)].map((t) => t[1] ?? ' ').join('')));

/**
 * The text of word/document.xml in reading order, one string per paragraph
 * (tabs as spaces): the running text apart from the table cells, whose
 * reading order pdftotext does not keep.
 */
export async function docxTexts(bytes: Uint8Array): Promise<{ running: string[]; cells: string[]; tableRows: number }> {
  const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
  const tables = [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => m[0]);
  return { running: paragraphTexts(xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '')), cells: tables.flatMap(paragraphTexts), tableRows: tables.reduce((n, t) => n + (t.match(/<w:tr[ >]/g) ?? []).length, 0) };
}

/** Whitespace and line breaks do not count: a line break in print is no character of the text. */
export const withoutWhitespace = (text: string) => text.replace(/\s+/g, '');

/** The "— 3 —" page number pdftotext reads from a page's footer. */
export const PAGE_NUMBER = /—\s*\d+\s*—/g;
