import type { Workspace } from './workspace';
import { tableCounts } from './replica';

export interface WorkspaceInfo {
  name: string;
  workspaceId: string;
  schemaVersion: number;
  integrity: string;
  demonstration: boolean;
  tables: Record<string, number>;
  /** Derived caches kept in the file (the figure index): whether each still matches the data it was built from. */
  derived: { name: string; bytes: number; current: boolean }[];
}

/** Facts about a workspace for `assay info` and the app's home screen. Runs SQLite's full integrity check. */
export function workspaceInfo(ws: Workspace, opts: { integrity?: boolean } = {}): WorkspaceInfo {
  const tables = tableCounts(ws);
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
    derived: derivedInfo(ws),
  };
}

/** The derived caches kept in the file, and whether each still matches the data it was built from. */
export function derivedInfo(ws: Workspace): WorkspaceInfo['derived'] {
  if (ws.schemaVersion < 2) return [];
  const gen = ws.metaValue('ratings_generation');
  return ws
    .all<{ name: string; bytes: number; generation: string }>('SELECT name, length(data) AS bytes, generation FROM derived_cache ORDER BY name')
    .map((r) => ({ name: r.name, bytes: r.bytes, current: r.generation === gen }));
}
