import { dialog, type BrowserWindow } from 'electron';

/**
 * The native open dialog for a CSV to import: what import.open asks the host for in Electron. The page's import
 * wizard then previews it, maps its columns and imports it (File › Import… opens that wizard too); the file's bytes
 * are read here in main and never cross to the page.
 */
export async function chooseImportFile(win: BrowserWindow | undefined): Promise<string | null> {
  const opts = { title: 'Import data', buttonLabel: 'Open', filters: [{ name: 'CSV files', extensions: ['csv', 'txt'] }], properties: ['openFile'] as 'openFile'[] };
  const picked = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  return picked.canceled ? null : (picked.filePaths[0] ?? null);
}
