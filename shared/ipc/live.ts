import type { RequestName } from './contract';
import { TABLES, type TableName } from '../store/tables';

/**
 * Live queries, in the manner of Actual Budget's: every read request of the contract declares, here and only here,
 * the tables its answer is made from. After each write the host says which tables it touched ('workspace.changed');
 * a view showing a read runs it again when the write touched one of the read's tables (renderer/src/lib/api.ts
 * `useRequest`), so no screen names a table. The lists are read off the handlers (electron/services/app/handlers,
 * and the shared functions they call); electron/services/app/live-reads.test.ts runs every read
 * and fails when one reads a table its entry lacks.
 *
 * The renderer bundles this file: it takes the table list from store/tables.ts, which holds no SQL, not the schema.
 */

/**
 * The tables figures are computed from. A SQL figure may read any table, but the bookkeeping tables (meta, the
 * migration ledger, the audit log, comments, merge state) and the report's own text and parameters are not data a
 * figure is about; the figure tables themselves are its definition, below.
 */
/** What a figure is and how it is judged: its definition, the evidence linked to it, its approvals. */
export const FIGURE_DEFINITION = ['figures', 'figure_evidence', 'figure_approvals'] as const satisfies readonly TableName[];

/** The tables that are neither figure data nor a figure's definition. */
export const NOT_FIGURE_DATA = ['meta', 'migrations', 'reports', 'sections', 'comments', 'audit_log', 'merge_bases', 'merge_conflicts'] as const satisfies readonly TableName[];

export const FIGURE_DATA: readonly TableName[] = TABLES.filter((t) => !(NOT_FIGURE_DATA as readonly string[]).includes(t) && !(FIGURE_DEFINITION as readonly string[]).includes(t));

/** Every table: the workspace summary counts them all. */
export const EVERY_TABLE = 'every table';

const LOCATION_LIST = ['locations', 'providers', 'sectors', 'local_authorities', 'regions', 'ratings', 'key_questions', 'rating_values'] as const;
/** What computing a figure reads: its data, and meta, where the figure index keeps the generation it was built at. */
const FIGURE_INPUTS = [...FIGURE_DATA, 'meta'] as const;
/** A review pass reads the report, its sections, the evidence and findings its claims cite, and every figure in it. */
const REVIEW = [...FIGURE_INPUTS, ...FIGURE_DEFINITION, 'reports', 'sections'] as const;

/**
 * Requests that are not live reads: they write, or act on something outside the workspace (a file, a folder, a
 * dialog). A view never re-runs them on a change.
 */
export const COMMANDS = [
  'workspace.save',
  'settings.setUserName',
  'ratings.add',
  'ratings.update',
  'findings.save',
  'evidence.save',
  'evidence.verify',
  'assessments.create',
  'assessments.update',
  'assessments.setStatus',
  'scores.set',
  'draftRatings.set',
  'assessments.publish',
  'ratings.correct',
  'reports.create',
  'reports.setParams',
  'reports.setSettings',
  'reports.newEdition',
  'sections.add',
  'sections.rename',
  'sections.move',
  'sections.delete',
  'sections.saveContent',
  'sections.setStatus',
  'review.setSelfApproval',
  'figures.save',
  'figures.delete',
  'export.run',
  'export.showInFolder',
  // Opens a file outside the app (or hands its bytes to the page to save): nothing to re-run.
  'attachments.open',
  'review.copy',
  'comments.add',
  'comments.reply',
  'comments.resolve',
  'audit.exportCsv',
  // About a file the person chose, not the workspace: nothing to re-run when the workspace changes.
  'import.open',
  'import.preview',
  'import.run',
  // A file the person chose (merge.open previews it and writes nothing, but about that file), or a change.
  'merge.open',
  'merge.run',
  'merge.resolve',
  'inspectorPack.export',
] as const satisfies readonly RequestName[];

export type CommandName = (typeof COMMANDS)[number];
/** A request that only reads the workspace. */
export type ReadName = Exclude<RequestName, CommandName>;

/** Per read request, the tables its answer depends on. An empty list: its answer does not come from the workspace. */
export const LIVE_READS: { readonly [N in ReadName]: readonly TableName[] | typeof EVERY_TABLE } = {
  'workspace.info': EVERY_TABLE,
  'settings.get': [],
  // Service groups come from the ratings.
  // Service groups come from the current ratings, whose index reads locations, imports and its generation in meta.
  // The latest-ratings service behind the reference lists reads the register's details history (first listings).
  'reference.get': ['regions', 'local_authorities', 'sectors', 'key_questions', 'rating_values', 'themes', 'indicators', 'ratings', 'locations', 'location_details', 'imports', 'meta'],
  'locations.list': LOCATION_LIST,
  'locations.get': LOCATION_LIST,
  'providers.list': ['providers', 'locations'],
  // A conflict names its record from the record as stored with it (a score by its statement's name, an assessment by
  // its subject's), and says which peer it came from.
  'merge.conflicts': ['merge_conflicts', 'imports', 'assessment_frameworks', 'framework_groups', 'framework_versions', 'quality_statements', 'assessments', 'locations', 'providers', 'local_authorities'],
  'inspectorPack.options': ['assessments', 'locations', 'providers', 'local_authorities'],
  'inspections.list': ['inspections', 'locations'],
  'areaReviews.list': ['area_reviews', 'local_authorities', 'findings', 'evidence'],
  'findings.list': ['findings', 'finding_evidence', 'themes', 'locations', 'providers', 'area_reviews'],
  'evidence.list': ['evidence'],
  'evidence.get': ['evidence'],
  'framework.get': ['assessment_frameworks', 'framework_versions', 'framework_groups', 'quality_statements', 'evidence_categories'],
  'assessments.list': ['assessments', 'locations', 'providers', 'local_authorities'],
  'assessments.get': [
    'assessments',
    'locations',
    'providers',
    'local_authorities',
    'assessment_frameworks',
    'framework_versions',
    'framework_groups',
    'quality_statements',
    'assessment_scores',
    'assessment_category_scores',
    'assessment_ratings',
    'ratings',
    'key_questions',
    'findings',
    'finding_evidence',
    'themes',
    'area_reviews',
    'evidence',
  ],
  'evidence.citedBy': ['evidence', 'findings', 'finding_evidence', 'figures', 'figure_evidence', 'sections', 'reports'],
  'evidence.register': ['evidence', 'attachments', 'finding_evidence', 'figure_evidence'],
  'indicators.list': ['indicators', 'indicator_values'],
  'templates.list': [],
  'reports.list': ['reports', 'sections'],
  'reports.get': ['reports', 'sections'],
  // Both editions' figures, computed from the data with each edition's parameters.
  'reports.blackline': REVIEW,
  // The rows a figure counts, with its names and the imports' words.
  'figures.rows': [...FIGURE_INPUTS, ...FIGURE_DEFINITION, 'reports', 'imports'],
  // How many sections (of reports) use each figure comes from the sections.
  'figures.list': ['figures', 'figure_evidence', 'sections', 'reports'],
  'figures.get': ['figures', 'figure_evidence'],
  'figures.preview': FIGURE_INPUTS,
  // Report parameters come from the report.
  'figures.evaluate': [...FIGURE_INPUTS, ...FIGURE_DEFINITION, 'reports'],
  'review.ledger': REVIEW,
  'review.checks': REVIEW,
  'review.whatChanged': REVIEW,
  // The section as it would be signed off (every figure computed), the evidence its changes name, and the setting (meta).
  'sections.approval': REVIEW,
  'review.settings': ['meta'],
  'comments.list': ['comments', 'sections'],
  'comments.people': ['comments', 'audit_log'],
  'comments.activity': ['comments', 'sections', 'reports'],
  'audit.list': ['audit_log'],
};

export function isRead(name: RequestName): name is ReadName {
  return Object.prototype.hasOwnProperty.call(LIVE_READS, name);
}

/** The tables a read depends on, or EVERY_TABLE. */
export function tablesOf(name: ReadName): readonly TableName[] | typeof EVERY_TABLE {
  return LIVE_READS[name];
}

/** Whether a write that touched `changed` (the 'workspace.changed' event's tables) can change the read's answer. */
export function changeAffects(name: ReadName, changed: readonly string[]): boolean {
  const deps = LIVE_READS[name];
  if (deps === EVERY_TABLE) return changed.length > 0;
  return changed.some((t) => (deps as readonly string[]).includes(t));
}

const DATA: ReadonlySet<string> = new Set(FIGURE_DATA);
const DEFINITION: ReadonlySet<string> = new Set(FIGURE_DEFINITION);

/**
 * What the report editor re-evaluates after a write that touched `changed`:
 * - 'all' when a figure's definition, linked evidence or approval changed (its meaning or state, not its data);
 * - 'reading' when figure data changed: the figures whose provenance read one of the changed tables (and any not yet
 *   shown);
 * - 'none' when nothing a figure reads changed: the editor's own autosaves (a section, the report's updated_at, the
 *   audit log), comments. A change of report parameters reaches the editor separately.
 */
export function figureRefreshFor(changed: readonly string[]): 'none' | 'all' | 'reading' {
  if (changed.some((t) => DEFINITION.has(t))) return 'all';
  if (changed.some((t) => DATA.has(t))) return 'reading';
  return 'none';
}
