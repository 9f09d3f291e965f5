import type { Workspace } from './workspace';
import { tableCounts } from './replica';
import { loggedChanges } from './current-ratings';

export interface WorkspaceInfo {
  name: string;
  workspaceId: string;
  schemaVersion: number;
  integrity: string;
  demonstration: boolean;
  tables: Record<string, number>;
  /** Derived caches kept in the file (the figure index): whether each still matches the data it was built from. */
  /** `patchable`: out of date, but the change log holds every change since, so it is patched on next use, not rebuilt. */
  derived: { name: string; bytes: number; current: boolean; patchable?: boolean }[];
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
    .map((r) => {
      const current = r.generation === gen;
      if (current || r.name !== 'rating-index' || gen === undefined) return { name: r.name, bytes: r.bytes, current };
      let patchable = false;
      try {
        patchable = typeof loggedChanges(ws, r.generation, gen) !== 'string';
      } catch {
        // No change log in this file: rebuilt on next use.
      }
      return { name: r.name, bytes: r.bytes, current, patchable };
    });
}
