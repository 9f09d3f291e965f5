import type { RequestOutputs } from '../../../../shared/ipc/contract';
import { workspaceInfo } from '../../../../shared/store/info';
import type { PartialHandlerMap } from '../handler';

export const workspaceHandlers: PartialHandlerMap<'workspace.info' | 'workspace.save' | 'settings.get' | 'settings.setUserName'> = {
  'workspace.info': (_input, { session }) => {
    const ws = session.ws;
    // The full integrity check reads every page: too slow for a home screen that refreshes after each write.
    const info = workspaceInfo(ws, { integrity: false });
    const imports = ws.all<RequestOutputs['workspace.info']['imports'][number]>(
      'SELECT id, kind, file_name AS fileName, rows, imported_by AS importedBy, imported_at AS importedAt FROM imports ORDER BY imported_at DESC LIMIT 50',
    );
    const recentChanges = ws.all<RequestOutputs['workspace.info']['recentChanges'][number]>(
      'SELECT at, actor, action, table_name AS tableName, record_id AS recordId FROM audit_log ORDER BY id DESC LIMIT 20',
    );
    return {
      path: session.path,
      name: info.name || session.name,
      workspaceId: info.workspaceId,
      demonstration: info.demonstration,
      schemaVersion: info.schemaVersion,
      counts: info.tables,
      imports,
      recentChanges,
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
