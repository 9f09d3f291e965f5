import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { Workspace } from '../../../shared/store/workspace';
import { newId, nowIso } from '../../../shared/util/runtime';
import { getImport } from '../../../shared/store/imports';
import { CqcRatingsImporter, cqcContext, detectCqcLayout, CQC_LAYOUTS, type CqcImportOptions, type CqcLayoutId } from '../../../shared/import/cqc-ratings';
import { CqcLocationsImporter } from '../../../shared/import/cqc-locations';
import { allRegions } from '../../../shared/store/locations';
import { IndicatorImporter, indicatorContext, INDICATOR_TARGETS } from '../../../shared/import/indicators';
import { EvidenceImporter, evidenceContext, EVIDENCE_TARGETS } from '../../../shared/import/evidence';
import { suggestMapping, type ColumnMap, type TargetField } from '../../../shared/import/mapping';
import type { TextEncoding } from '../../../shared/import/encoding';
import type { ImportProblem, ImportWarning } from '../../../shared/import/problems';
import type { ImportRecord, TableCounts, TableImporter } from '../../../shared/import/table';
import type { WorkspaceFile } from '../workspace-file';
import { sharedFigureEngine } from '../../../shared/figures';
import { readCsv, type ReadProgress } from './csv-reader';

/**
 * The import service the CLI and the app's import wizard share. The wizard calls {@link previewCsv} to show the first
 * rows, the detected layout and a proposed column mapping, then {@link importFile} with a progress callback; both
 * return problems as data (never throw for a bad file) so the wizard can list them.
 */

export type ImportKind = 'cqc-ratings' | 'cqc-locations' | 'indicators' | 'evidence';
export const IMPORT_KINDS: readonly ImportKind[] = ['cqc-ratings', 'cqc-locations', 'indicators', 'evidence'];

export interface ImportProgress {
  phase: 'reading' | 'checking' | 'writing' | 'saving' | 'done';
  bytesRead?: number;
  totalBytes?: number | undefined;
}

export interface ImportOptions extends CqcImportOptions {
  /** Who is importing: goes into `imports.imported_by` and the audit log. */
  by?: string;
  /** The edition of the dataset, e.g. "February 2021". */
  edition?: string;
  encoding?: TextEncoding;
  /** Column mapping for indicators and evidence: target field -> the file's column. */
  map?: ColumnMap;
  /** The name recorded for the file (defaults to the path's base name; needed when importing from a stream). */
  fileName?: string;
  onProgress?: (p: ImportProgress) => void;
  /** Cancels the import while it reads (it rejects with an AbortError); once writing has begun it completes. */
  signal?: AbortSignal;
  /** Evidence: let rows lower the sensitivity of evidence already held (see EvidenceImportOptions). */
  allowLowerSensitivity?: boolean;
}

interface OutcomeBase {
  kind: ImportKind;
  fileName: string;
  fileHash: string;
  rowsRead: number;
  warnings: ImportWarning[];
  ms: number;
}

export interface ImportSuccess extends OutcomeBase {
  ok: true;
  /** The `imports` record written, or null when the workspace already held every row (nothing was written). */
  import: ImportRecord | null;
  tables: Record<string, TableCounts>;
  /** The importer's own summary (e.g. rows skipped for having no rating). */
  summary: Record<string, unknown>;
}

export interface ImportFailure extends OutcomeBase {
  ok: false;
  /** Every problem found (up to MAX_PROBLEMS; `problemCount` is exact). Nothing was written. */
  problems: ImportProblem[];
  problemCount: number;
}

export type ImportOutcome = ImportSuccess | ImportFailure;

function makeImporter(ws: Workspace, kind: ImportKind, opts: ImportOptions): TableImporter<Record<string, unknown>> {
  switch (kind) {
    case 'cqc-ratings':
      return new CqcRatingsImporter(cqcContext(ws), opts) as unknown as TableImporter<Record<string, unknown>>;
    case 'cqc-locations':
      return new CqcLocationsImporter({ regions: allRegions(ws) }) as unknown as TableImporter<Record<string, unknown>>;
    case 'indicators':
      return new IndicatorImporter(indicatorContext(ws), opts.map) as unknown as TableImporter<Record<string, unknown>>;
    case 'evidence':
      return new EvidenceImporter(evidenceContext(ws), opts.map, { allowLowerSensitivity: !!opts.allowLowerSensitivity }) as unknown as TableImporter<Record<string, unknown>>;
  }
}

/**
 * Reads, checks and (only if every row is sound) writes a CSV into a workspace in one transaction. Does not save:
 * callers holding a {@link WorkspaceFile} use {@link importFile}, which does.
 */
export async function importIntoWorkspace(ws: Workspace, kind: ImportKind, source: string | Readable, opts: ImportOptions = {}): Promise<ImportOutcome> {
  const t0 = performance.now();
  const fileName = opts.fileName ?? (typeof source === 'string' ? basename(source) : 'stream.csv');
  const importer = makeImporter(ws, kind, opts);
  const progress = opts.onProgress;
  const read = await readCsv(source, importer, {
    fileName,
    ...(opts.encoding ? { encoding: opts.encoding } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(progress ? { onProgress: (p: ReadProgress) => progress({ phase: 'reading', ...p }) } : {}),
  });
  opts.signal?.throwIfAborted();
  progress?.({ phase: 'checking' });
  importer.finish();
  const base: OutcomeBase = { kind, fileName, fileHash: read.sha256, rowsRead: importer.rowsRead, warnings: importer.warnings, ms: 0 };
  if (!importer.ok) {
    return { ...base, ok: false, problems: importer.problems, problemCount: importer.problemCount, ms: performance.now() - t0 };
  }
  progress?.({ phase: 'writing' });
  const by = opts.by ?? 'unknown';
  const record: ImportRecord = {
    id: newId(),
    kind,
    fileName,
    fileHash: read.sha256,
    edition: opts.edition ?? null,
    rows: importer.rowsRead,
    importedBy: by,
    importedAt: nowIso(),
    notes: null,
  };
  // Unjournaled: a bulk import is followed by a full save (importFile) before success is reported, and journalling
  // 74,000 statements would cost more than the import.
  const { value } = await ws.write(`import.${kind}`, (tx) => importer.write(tx, { ...record, importedAt: tx.at }), { actor: by, unjournaled: true });
  const summary = value.summary as Record<string, unknown> & { tables: Record<string, TableCounts> };
  const written = value.changed > 0 ? getImport(ws, record.id) : undefined;
  return {
    ...base,
    ok: true,
    import: written ?? null,
    tables: summary.tables,
    summary,
    ms: performance.now() - t0,
  };
}

/** Imports into an open workspace file and saves it before reporting success. */
export async function importFile(wf: WorkspaceFile, kind: ImportKind, source: string | Readable, opts: ImportOptions = {}): Promise<ImportOutcome> {
  const outcome = await importIntoWorkspace(wf.workspace, kind, source, opts);
  if (outcome.ok && outcome.import) {
    opts.onProgress?.({ phase: 'saving' });
    // Bring the figure index up to date now, while the user is waiting for the import anyway, so the save stores it
    // and the first figure afterwards (or on the next open) does not pay for reading every rating again.
    sharedFigureEngine(wf.workspace).prepare();
    await wf.save({ derived: true });
  }
  opts.onProgress?.({ phase: 'done' });
  return outcome;
}

export interface CsvPreview {
  fileName: string;
  header: string[];
  /** The first rows after the header, as the file has them. */
  rows: string[][];
  /** Problems found in the rows read (encoding, CSV syntax); a full check happens on import. */
  problems: ImportProblem[];
  /** For CQC files: the layout the header was recognised as. */
  layout?: { id: CqcLayoutId; name: string; missingColumns: string[] };
  /** For indicators and evidence: the fields, and the mapping the wizard should propose. */
  targets?: readonly TargetField[];
  suggestedMap?: ColumnMap;
}

/**
 * The first rows of a CSV and what the importer would make of its header, for the wizard's preview step. Given the
 * workspace, an evidence preview also lists the rows that would lower the sensitivity of evidence already held.
 */
export async function previewCsv(
  kind: ImportKind,
  source: string | Readable,
  opts: { rows?: number; encoding?: TextEncoding; fileName?: string; workspace?: Workspace } = {},
): Promise<CsvPreview> {
  const fileName = opts.fileName ?? (typeof source === 'string' ? basename(source) : 'stream.csv');
  const rows: string[][] = [];
  const problems: ImportProblem[] = [];
  let header: string[] = [];
  const ws = opts.workspace;
  const checker = kind === 'evidence' && ws ? makeImporter(ws, 'evidence', {}) : undefined;
  await readCsv(
    source,
    {
      row: (fields, pos) => {
        checker?.row(fields, pos);
        if (header.length === 0 && rows.length === 0) header = fields.map((f) => f.trim());
        else rows.push(fields);
      },
      problem: (p) => problems.push(p),
    },
    { maxRecords: (opts.rows ?? 20) + 1, fileName, ...(opts.encoding ? { encoding: opts.encoding } : {}) },
  );
  // The full check runs on import; the preview shows only what the person must decide about before it.
  if (checker) problems.push(...checker.problems.filter((p) => p.code === 'lowers-sensitivity'));
  const preview: CsvPreview = { fileName, header, rows, problems };
  if (kind === 'cqc-ratings' || kind === 'cqc-locations') {
    const layout = detectCqcLayout(header);
    const have = new Set(header.map((h) => h.toLowerCase()));
    preview.layout = { id: layout.id, name: CQC_LAYOUTS[layout.id].name, missingColumns: layout.required.filter((c) => !have.has(c.toLowerCase())) };
  } else {
    const targets = kind === 'indicators' ? INDICATOR_TARGETS : EVIDENCE_TARGETS;
    preview.targets = targets;
    preview.suggestedMap = suggestMapping(targets, header);
  }
  return preview;
}
