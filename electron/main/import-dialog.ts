import { dialog, type BrowserWindow } from 'electron';
import { basename } from 'node:path';
import { importFile, type ImportKind } from '../services/import';
import type { AppSession } from '../services/app/session';
import { describeImportOutcome } from '../services/app/import-summary';

const KINDS: { kind: ImportKind; label: string }[] = [
  { kind: 'cqc-ratings', label: 'CQC ratings' },
  { kind: 'indicators', label: 'Indicators' },
  { kind: 'evidence', label: 'Evidence register' },
];

/** File > Import…: pick a CSV, say what it holds, import it into the window's workspace and say what happened. */
export async function runImportDialog(win: BrowserWindow, session: AppSession): Promise<void> {
  const picked = await dialog.showOpenDialog(win, {
    title: 'Import data',
    filters: [{ name: 'CSV files', extensions: ['csv', 'txt'] }],
    properties: ['openFile'],
  });
  const file = picked.filePaths[0];
  if (picked.canceled || !file) return;
  const choice = await dialog.showMessageBox(win, {
    type: 'question',
    title: 'Import data',
    message: `What does ${basename(file)} hold?`,
    buttons: [...KINDS.map((k) => k.label), 'Cancel'],
    cancelId: KINDS.length,
    defaultId: 0,
  });
  const kind = KINDS[choice.response]?.kind;
  if (!kind) return;
  win.setProgressBar(2); // indeterminate
  try {
    const outcome = await importFile(session.file, kind, file, { by: session.actor() });
    const summary = describeImportOutcome(outcome);
    await dialog.showMessageBox(win, { type: outcome.ok ? 'info' : 'warning', title: 'Import data', message: summary.message, detail: summary.detail });
  } catch (e) {
    await dialog.showMessageBox(win, { type: 'error', title: 'Import data', message: 'The file could not be imported.', detail: (e as Error).message });
  } finally {
    win.setProgressBar(-1);
  }
}
