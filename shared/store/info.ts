import { TABLES } from './schema';
import type { Workspace } from './workspace';

export interface WorkspaceInfo {
  name: string;
  workspaceId: string;
  schemaVersion: number;
  integrity: string;
  demonstration: boolean;
  tables: Record<string, number>;
}

/** Facts about a workspace for `assay info` and the app's home screen. Runs SQLite's full integrity check. */
export function workspaceInfo(ws: Workspace, opts: { integrity?: boolean } = {}): WorkspaceInfo {
  const tables: Record<string, number> = {};
  for (const t of TABLES) tables[t] = Number(ws.value(`SELECT count(*) FROM "${t}"`) ?? 0);
  const integrity =
    opts.integrity === false
      ? 'not checked'
      : ws
          .all<{ integrity_check: string }>('PRAGMA integrity_check')
          .map((r) => r.integrity_check)
          .join('; ');
  return {
    name: ws.metaValue('name') ?? '',
    workspaceId: ws.metaValue('workspace_id') ?? '',
    schemaVersion: ws.schemaVersion,
    integrity,
    demonstration: ws.metaValue('demonstration') === 'true',
    tables,
  };
}
