import { workspaceInfo } from '../../../../shared/store/info';
import { recentImports } from '../../../../shared/store/imports';
import { recentChanges } from '../../../../shared/store/audit';
import type { PartialHandlerMap } from '../ipc/handler';

export const workspaceHandlers: PartialHandlerMap<'workspace.info' | 'workspace.save' | 'settings.get' | 'settings.setUserName'> = {
  'workspace.info': (_input, { session }) => {
    const ws = session.ws;
    // The full integrity check reads every page: too slow for a home screen that refreshes after each write.
    const info = workspaceInfo(ws, { integrity: false });
    const imports = recentImports(ws, 50).map((i) => ({ id: i.id, kind: i.kind, fileName: i.fileName, rows: i.rows, importedBy: i.importedBy, importedAt: i.importedAt }));
    const changes = recentChanges(ws, 20);
    return {
      path: session.path,
      name: info.name || session.name,
      workspaceId: info.workspaceId,
      demonstration: info.demonstration,
      schemaVersion: info.schemaVersion,
      counts: info.tables,
      imports,
      recentChanges: changes,
      dirty: ws.isDirty,
    };
  },

  'workspace.save': async (_input, { session }) => {
    const r = await session.save();
    return { savedAt: r.savedAt, bytes: r.bytes };
  },

  'settings.get': (_input, { session }) => ({ userName: session.settings.userName }),

  'settings.setUserName': async ({ name }, { session }) => {
    await session.settings.setUserName(name);
    return { userName: name };
  },
};
