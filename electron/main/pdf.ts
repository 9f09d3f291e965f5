import { BrowserWindow } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ELECTRON_PRINT_OPTIONS } from '../../shared/export/print';
import { windowOptions } from './window-options';

/**
 * Prints a report's print HTML (the exporters' buildHtml with print: true) to PDF in a hidden window, with scripts
 * off: the HTML is self-contained (inline SVG charts, CSS paged media), so nothing in it needs to run. It is loaded
 * from a private temporary file rather than a data: URL, which Chromium caps in length.
 */
export async function printHtmlToPdf(html: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-print-'));
  const file = join(dir, 'report.html');
  const options = windowOptions({ title: 'Printing', print: true });
  const win = new BrowserWindow({
    ...options,
    webPreferences: {
      ...options.webPreferences,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      javascript: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  try {
    await writeFile(file, html, { encoding: 'utf8', mode: 0o600 });
    await win.loadFile(file);
    const pdf = await win.webContents.printToPDF({ ...ELECTRON_PRINT_OPTIONS });
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    win.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
