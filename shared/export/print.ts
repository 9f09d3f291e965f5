import type { DocTree } from '../document/tree';

/**
 * How the report's print HTML (buildHtml(doc, { print: true })) is printed to PDF. Page size, margins, the running
 * header and the page numbers are in the HTML's CSS (@page and its margin boxes), so the printer only has to honour the
 * CSS page size, print backgrounds, and write a tagged PDF with bookmarks.
 */

/** Options for playwright-core's `page.pdf` (Node: CLI, tests, bench). */
export const PLAYWRIGHT_PDF_OPTIONS = {
  preferCSSPageSize: true,
  printBackground: true,
  displayHeaderFooter: false,
  tagged: true,
  outline: true,
} as const;

/** Options for Electron's `webContents.printToPDF` (the app): the same settings under Electron's names. */
export const ELECTRON_PRINT_OPTIONS = {
  preferCSSPageSize: true,
  printBackground: true,
  displayHeaderFooter: false,
  generateTaggedPDF: true,
  generateDocumentOutline: true,
} as const;

/** A PDF bookmark as a PDF reader lists it: its title and the page it points to (1-based). */
export interface OutlineEntry {
  title: string;
  page: number;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Matches the PDF's bookmarks (from a first print) to the document's headings, in order, to give the page of each
 * heading for the contents of the second print. Chromium makes one bookmark per heading, titled with its text.
 */
export function pagesFromOutline(doc: DocTree, outline: OutlineEntry[]): Map<string, number> {
  const pages = new Map<string, number>();
  let i = 0;
  const want = [...doc.headings.map((h) => ({ id: h.id, text: h.text })), ...(doc.notes.length ? [{ id: 'notes-title', text: 'Notes' }] : [])];
  // A heading that wraps is bookmarked without the space at its line break ("ensures safetywithin the system"): such a
  // title is matched with its spaces left out, after the heading's number.
  const bare = (s: string) => s.replace(/\s+/g, '');
  for (const h of want) {
    const t = norm(h.text);
    for (let j = i; j < outline.length; j++) {
      const o = norm(outline[j]!.title);
      if (o === t || o.endsWith(` ${t}`) || bare(o).replace(/^\d+(?:\.\d+)*/, '') === bare(t)) {
        pages.set(h.id, outline[j]!.page);
        i = j + 1;
        break;
      }
    }
  }
  return pages;
}
