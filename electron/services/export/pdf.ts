import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { DocTree } from '../../../shared/document/tree';
import { buildHtml } from '../../../shared/export/html';
import { PLAYWRIGHT_PDF_OPTIONS, pagesFromOutline, type OutlineEntry } from '../../../shared/export/print';
import { UserError } from '../../../shared/util/errors';

/**
 * PDF in Node (CLI, tests, bench): the report's print HTML printed by a system Chromium through playwright-core. The app
 * prints the same HTML through Electron's printToPDF (see shared/export/print.ts).
 */

export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** No Chromium to print with: something the person can fix (install it, or set ASSAY_CHROMIUM), so it is a UserError. */
export class NoChromiumError extends UserError {
  constructor(message: string) {
    super('invalid', message);
    this.name = 'NoChromiumError';
  }
}

/** The Chromium to print with: $ASSAY_CHROMIUM, else the first usual install path that exists. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, candidates: readonly string[] = CHROMIUM_CANDIDATES): string {
  const fromEnv = env.ASSAY_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new NoChromiumError(`ASSAY_CHROMIUM is set to ${fromEnv}, but there is no file there.`);
    return fromEnv;
  }
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new NoChromiumError(
      'PDF export needs Chromium or Google Chrome, and none was found. Install one (on Debian or Ubuntu: apt install chromium), ' +
        `or set ASSAY_CHROMIUM to its path. Looked in: ${candidates.join(', ')}.`,
    );
  }
  return found;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
}

/** Prints one HTML document to PDF bytes. */
export async function printHtml(browser: Browser, html: string): Promise<Uint8Array> {
  const page = await browser.newPage();
  try {
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf(PLAYWRIGHT_PDF_OPTIONS);
    return new Uint8Array(pdf);
  } finally {
    await page.close();
  }
}

/** The bookmarks of a PDF, in order, with their pages: read with pdf.js. */
export async function readOutline(pdf: Uint8Array): Promise<OutlineEntry[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: pdf.slice(), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  const d = await task.promise;
  try {
    const out: OutlineEntry[] = [];
    type Item = { title: string; dest: string | unknown[] | null; items: Item[] };
    const walk = async (items: Item[] | null) => {
      for (const it of items ?? []) {
        let dest = it.dest;
        if (typeof dest === 'string') dest = await d.getDestination(dest);
        if (Array.isArray(dest) && dest[0]) {
          try {
            const idx = await d.getPageIndex(dest[0] as { num: number; gen: number });
            out.push({ title: it.title, page: idx + 1 });
          } catch {
            /* a bookmark without a page is skipped */
          }
        }
        await walk(it.items);
      }
    };
    await walk((await d.getOutline()) as Item[] | null);
    return out;
  } finally {
    await task.destroy();
  }
}

/**
 * The PDF edition. Printed twice: the first print says on which page each heading landed (from its bookmarks), the
 * second fills those page numbers into the contents. The contents reserve the same space either way, so the pages do
 * not move between the two prints.
 */
export async function buildPdf(doc: DocTree, opts: { browser?: Browser; dataFiles?: { csv?: string; xlsx?: string }; onStep?: (label: string) => void } = {}): Promise<Uint8Array> {
  const step = opts.onStep ?? (() => undefined);
  step('Printing the PDF');
  const browser = opts.browser ?? (await launchChromium());
  const dataFiles = opts.dataFiles ? { dataFiles: opts.dataFiles } : {};
  try {
    const first = await printHtml(browser, buildHtml(doc, { print: true, ...dataFiles }));
    const pages = pagesFromOutline(doc, await readOutline(first));
    if (pages.size === 0) return first;
    step('Printing the PDF with its contents’ page numbers');
    return await printHtml(browser, buildHtml(doc, { print: true, pageNumbers: pages, ...dataFiles }));
  } finally {
    if (!opts.browser) await browser.close();
  }
}
