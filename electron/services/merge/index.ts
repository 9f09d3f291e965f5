import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { WorkspaceError } from '../../../shared/store/errors';
import { mergeWorkspaces, resolveConflict, type ConflictChoice, type MergeResult } from '../../../shared/merge/merge';
import { buildInspectorPack, type InspectorPackOptions, type InspectorPackResult } from '../../../shared/merge/inspector-pack';
import { WorkspaceFile } from '../workspace-file';
import { sharedFigureEngine } from '../../../shared/figures';

export type { ConflictChoice, MergeResult, MergeTableResult, MergeConflictInfo, MergeConflictRow } from '../../../shared/merge/merge';
export { editableColumns, listConflicts } from '../../../shared/merge/merge';
export { assignmentsOf, type InspectorPackResult } from '../../../shared/merge/inspector-pack';

export interface MergeFileOptions {
  actor?: string;
  /** Only work out what the merge would do: nothing is written or saved (the app's preview). */
  dryRun?: boolean;
  /** The name to record for the source (an uploaded file's own name rather than its temporary path). */
  sourceFileName?: string;
}

/**
 * Merges the workspace file at `sourcePath` into a workspace the app already has open, and saves it. The source is
 * opened read-only (no lock, nothing written to it): an inspector's file handed over on a shared drive stays theirs.
 */
export async function mergeIntoOpenWorkspace(target: WorkspaceFile, sourcePath: string, opts: MergeFileOptions = {}): Promise<MergeResult> {
  if (realpathSync(target.path) === realpathSync(sourcePath)) {
    throw new WorkspaceError('invalid', `${basename(sourcePath)} is the workspace being merged into; choose another workspace to merge from.`, sourcePath);
  }
  const source = await WorkspaceFile.open(sourcePath, { readOnly: true });
  try {
    const hash = createHash('sha256').update(readFileSync(sourcePath)).digest('hex');
    const result = await mergeWorkspaces(target.workspace, source.workspace, {
      ...(opts.actor ? { actor: opts.actor } : {}),
      sourceFileName: opts.sourceFileName ?? basename(sourcePath),
      sourceFileHash: hash,
      ...(opts.dryRun ? { dryRun: true } : {}),
    });
    if (result.changed && !opts.dryRun) {
      // As after an import: bring the figure index up to date while the user waits for the merge, and store it.
      sharedFigureEngine(target.workspace).prepare();
      await target.save({ derived: true });
    }
    return result;
  } finally {
    await source.close();
  }
}

/** `assay merge <target> <source>`: opens the target (taking its lock), merges, saves, closes. */
export async function mergeWorkspaceFiles(targetPath: string, sourcePath: string, opts: MergeFileOptions = {}): Promise<MergeResult> {
  const target = await WorkspaceFile.open(targetPath);
  try {
    return await mergeIntoOpenWorkspace(target, sourcePath, opts);
  } finally {
    await target.close();
  }
}

/** Settles a listed merge conflict in an open workspace (the app's conflict list calls this), and saves. */
export async function resolveMergeConflict(target: WorkspaceFile, conflictId: string, choice: ConflictChoice | 'ours' | 'theirs', by: string): Promise<void> {
  await target.workspace.write('merge.resolve', (tx) => resolveConflict(tx, conflictId, choice, by), { actor: by });
}

/**
 * "Export for inspector": a new workspace file at `outPath` for one inspector's assignments, made from an open
 * workspace (only read). Written whole or not at all; an existing file is never overwritten.
 */
export async function exportForInspector(source: WorkspaceFile, outPath: string, opts: InspectorPackOptions): Promise<InspectorPackResult & { path: string }> {
  let result: InspectorPackResult | undefined;
  const from = source.workspace.metaValue('name') ?? basename(source.path);
  const wf = await WorkspaceFile.create(outPath, {
    name: `${opts.inspector.trim()} – fieldwork from ${from}`,
    seed: async (ws) => {
      result = await buildInspectorPack(ws, source.workspace, opts);
    },
  });
  await wf.close();
  return { ...result!, path: outPath };
}
