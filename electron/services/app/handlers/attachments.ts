import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartialHandlerMap } from '../ipc/handler';
import { checkedAttachment } from '../../../../shared/review/evidence';
import { writeAtomic } from '../../workspace-file';

/**
 * Opening an evidence source's attached file. The bytes are checked against the content hash they were stored under
 * first (shared/review/evidence.ts checkedAttachment). Where the host can open files (Electron), the file is written
 * to a folder of its own under the system's temporary folder, readable by this user only, and handed to the system's
 * viewer; the loopback host sends the bytes back for the page to download.
 */

/** A private folder for one opened file, so that two attachments with the same name never overwrite each other. */
export function privateCopyFolder(root = join(tmpdir(), 'assay-attachments')): string {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return mkdtempSync(join(root, 'open-'));
}

export const attachmentHandlers: PartialHandlerMap<'attachments.open'> = {
  'attachments.open': async ({ evidenceId }, { session }) => {
    const file = checkedAttachment(session.ws, evidenceId);
    const open = session.host.openFile;
    if (!open) return { opened: false as const, name: file.name, mediaType: file.mediaType, base64: Buffer.from(file.bytes).toString('base64') };
    const folder = privateCopyFolder();
    const path = join(folder, file.name);
    try {
      await writeAtomic(path, file.bytes);
      await open(path);
    } catch (e) {
      rmSync(folder, { recursive: true, force: true });
      throw e;
    }
    return { opened: true as const, name: file.name };
  },
};
