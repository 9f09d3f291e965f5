import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PageNumberEstimator } from 'docx';

/**
 * The Word edition's contents with page numbers from a real layout: the document is written once, laid out by
 * LibreOffice (headless, converting it to PDF, whose bookmarks say on which page each heading landed), and written
 * again with those numbers in its contents and its page count in "Page n of m". `libreoffice --convert-to docx` does not
 * update a TOC field on this machine's LibreOffice (checked: the contents came back without numbers), so the numbers
 * are read from the render instead. Word still updates them itself when the file is opened.
 */

export const LIBREOFFICE_CANDIDATES = ['/usr/bin/soffice', '/usr/bin/libreoffice', '/usr/lib/libreoffice/program/soffice', '/Applications/LibreOffice.app/Contents/MacOS/soffice', 'C:\\Program Files\\LibreOffice\\program\\soffice.exe'];

export function findLibreOffice(): string | undefined {
  const env = process.env.ASSAY_LIBREOFFICE;
  if (env) return existsSync(env) ? env : undefined;
  return LIBREOFFICE_CANDIDATES.find((p) => existsSync(p));
}

/** Converts a .docx to PDF with LibreOffice, in a profile of its own so that a running LibreOffice is not disturbed. */
export async function libreOfficePdf(soffice: string, docx: Uint8Array, timeoutMs = 120_000): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-lo-'));
  try {
    const input = join(dir, 'document.docx');
    writeFileSync(input, docx);
    await new Promise<void>((resolve, reject) => {
      execFile(
        soffice,
        [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, input],
        { timeout: timeoutMs },
        (err) => (err ? reject(err) : resolve()),
      );
    });
    const out = join(dir, 'document.pdf');
    if (!existsSync(out)) throw new Error('LibreOffice did not write a PDF.');
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The names of the bookmarks docx puts on the headings its contents list ("_Toc…"), in the order of the body. */
function tocBookmarks(body: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) for (const y of x) walk(y);
    else if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        if (k === 'w:bookmarkStart') {
          const name = (v as { _attr?: Record<string, unknown> })?._attr?.['w:name'];
          if (typeof name === 'string' && name.startsWith('_Toc')) out.push(name);
        } else walk(v);
      }
    }
  };
  walk(body);
  return out;
}

/**
 * A page number estimator that gives the pages LibreOffice laid the headings on: each heading is looked for, in order,
 * as a line of the PDF's text from the page of the one before, starting at the contents (whose entries are one line
 * with the heading's number, so they do not match a numbered heading's text); the i-th bookmarked heading is the i-th heading. Undefined when a heading is not found (then the contents
 * are left for Word to fill in). LibreOffice 7.4's PDF export writes no bookmarks for a converted .docx, so the text
 * is read rather than the outline.
 */
export async function pagesFromRender(pdf: Uint8Array, headings: readonly string[], contentsTitle = 'Contents'): Promise<PageNumberEstimator | undefined> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: pdf.slice(), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  const d = await task.promise;
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const pageCount = d.numPages;
  const lines: Set<string>[] = [];
  try {
    for (let i = 1; i <= pageCount; i++) {
      const tc = await (await d.getPage(i)).getTextContent();
      const xs = tc.items.map((it) => norm((it as { str?: string }).str ?? '')).filter(Boolean);
      // A heading that wraps is two or three lines on the page: each line, and each run of up to three, is looked for.
      lines.push(new Set(xs.flatMap((x, k) => [x, ...(k + 1 < xs.length ? [`${x} ${xs[k + 1]}`] : []), ...(k + 2 < xs.length ? [`${x} ${xs[k + 1]} ${xs[k + 2]}`] : [])])));
    }
  } finally {
    await task.destroy();
  }
  const pages: number[] = [];
  let from = lines.findIndex((l) => l.has(contentsTitle));
  if (from < 0) return undefined;
  for (const h of headings) {
    let found = -1;
    for (let i = from; i < lines.length; i++) if (lines[i]!.has(norm(h))) { found = i; break; }
    if (found < 0) return undefined;
    pages.push(found + 1);
    from = found;
  }
  const estimator = (body: unknown) => {
    const names = tocBookmarks(body);
    const bookmarks = new Map<string, string>();
    const numbers = new Map<string, number>();
    names.forEach((n, i) => {
      const p = pages[i];
      if (p !== undefined) {
        bookmarks.set(n, String(p));
        numbers.set(n, p);
      }
    });
    return { bookmarks, bookmarkPageNumbers: numbers, pageCount };
  };
  return estimator as unknown as PageNumberEstimator;
}
