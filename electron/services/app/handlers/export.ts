import { resolve } from 'node:path';
import { AppError } from '../ipc/errors';
import type { PartialHandlerMap } from '../ipc/handler';
import { runExport } from './export-run';

export const exportHandlers: PartialHandlerMap<'export.run' | 'export.showInFolder'> = {
  'export.run': async (input, { session }) => {
    const folder = await session.host.exportFolder(session, input.folder);
    if (!folder) throw new AppError('conflict', 'Export cancelled: no folder was chosen.');
    const result = await runExport(session, { ...input, folder });
    for (const f of result.files) session.exported.add(resolve(f.path));
    return result;
  },

  'export.showInFolder': async ({ path }, { session }) => {
    // Only files this session wrote: the renderer must not be able to make the app reveal arbitrary paths.
    if (!session.exported.has(resolve(path))) {
      throw new AppError('invalid', 'Only files exported in this session can be shown in their folder.', { path: 'was not exported in this session' });
    }
    await session.host.showInFolder(resolve(path));
    return { ok: true as const };
  },
};
