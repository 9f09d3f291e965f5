import type { TableName } from '../store/schema';
import type { Workspace } from '../store/workspace';
import type { Db } from '../store/query';
import { audit } from '../store/audit';
import { WorkspaceError } from '../store/errors';
import { SENSITIVITIES, type Sensitivity } from '../store/evidence';
import { listAssessments, type AssessmentRecord } from '../store/assessments';
import { insertTableRows, setMergeBases, tableColumns, tableRows, type Row } from '../store/replica';
import { mergeBaseOf } from './merge';

/**
 * An inspector's workspace made from the editor's ("Export for inspector"): what the inspector needs to do their
 * assignments offline, and nothing else.
 *
 * - The register and reference data, whole: regions, local authorities, providers, locations and their history,
 *   sectors, rating scales, key questions, service groups, themes, and the assessment frameworks with their rules.
 * - Their assignments (assessments chosen by id, or those not yet published that name the inspector as lead or in the
 *   team), with every other assessment of the same subjects (earlier ones, for context), their scores and ratings;
 *   the published ratings and earlier inspections of the locations concerned; the findings of those assessments,
 *   inspections and locations; and the evidence they hold or cite, with its attached files, up to the sensitivity the
 *   inspector is cleared for. Evidence above it is withheld (a finding that cites it keeps its text, not the link).
 * - Not the reports, figures, comments or review history: those are the editor's.
 *
 * Every record handed over is filed as agreed with the editor's workspace (merge_bases, keyed by the editor's
 * workspace id), so bringing the inspector's workspace back in later knows what each side changed since: a record
 * only the inspector changed is taken, one only the editor changed is kept, and one both changed is a conflict.
 */

export interface InspectorPackOptions {
  /** Who the workspace is for: their name as it appears in assessment teams. */
  inspector: string;
  /** The assessments to hand over; by default those not yet published that name the inspector. */
  assessmentIds?: readonly string[];
  /** The most sensitive evidence the inspector is cleared for (default official-sensitive: no personal data). */
  clearance?: Sensitivity;
  actor?: string;
}

export interface InspectorPackResult {
  inspector: string;
  assignments: { id: string; title: string }[];
  /** Records handed over, by table (reference data included). */
  tables: Record<string, number>;
  /** Evidence held back because it is more sensitive than the inspector's clearance, by sensitivity. */
  withheld: Record<string, number>;
}

/** The assessments an inspector is named on (lead or team) that are not yet published: their default assignments. */
export function assignmentsOf(db: Db, inspector: string): AssessmentRecord[] {
  const name = inspector.trim().toLowerCase();
  return listAssessments(db, { limit: 1_000_000 }).filter(
    (a) => a.status !== 'published' && (a.leadInspector?.trim().toLowerCase() === name || a.team.some((m) => m.name.trim().toLowerCase() === name)),
  );
}

/** Reference data handed over whole: the register, scales and frameworks. Order: parents before children. */
const REFERENCE: readonly TableName[] = [
  'regions',
  'local_authorities',
  'imports',
  'providers',
  'sectors',
  'locations',
  'location_details',
  'rating_scales',
  'rating_values',
  'key_questions',
  'service_groups',
  'service_group_spellings',
  'themes',
  'assessment_frameworks',
  'framework_versions',
  'framework_groups',
  'quality_statements',
  'evidence_categories',
];

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Fills `target`, a new empty workspace, from `source` for one inspector. The source is only read. */
export async function buildInspectorPack(target: Workspace, source: Db & Pick<Workspace, 'metaValue'>, opts: InspectorPackOptions): Promise<InspectorPackResult> {
  const inspector = opts.inspector.trim();
  if (!inspector) throw new WorkspaceError('invalid', 'Name the inspector the workspace is for.');
  const clearance = opts.clearance ?? 'official-sensitive';
  const cleared = new Set(SENSITIVITIES.slice(0, SENSITIVITIES.indexOf(clearance) + 1));
  const peer = source.metaValue('workspace_id');
  if (!peer) throw new WorkspaceError('invalid', 'This workspace has no workspace id, so work brought back from it could not be matched.');

  const all = listAssessments(source, { limit: 1_000_000 });
  const byId = new Map(all.map((a) => [a.id, a]));
  const assigned = opts.assessmentIds ? opts.assessmentIds.map((id) => byId.get(id) ?? missing(id)) : assignmentsOf(source, inspector);
  if (!assigned.length) throw new WorkspaceError('invalid', `${inspector} has no assessments to do: choose the assessments to hand over.`);

  // Subjects of the assignments; the locations concerned (a provider's are all its locations).
  const subjects = new Set(assigned.map((a) => `${a.subjectType}|${a.subjectId}`));
  const locationRows = tableRows(source, 'locations');
  const providers = new Set(assigned.filter((a) => a.subjectType === 'provider').map((a) => a.subjectId));
  const locations = new Set(assigned.filter((a) => a.subjectType === 'location').map((a) => a.subjectId));
  for (const l of locationRows) if (providers.has(String(l.provider_id))) locations.add(String(l.id));

  const assessments = new Set(all.filter((a) => subjects.has(`${a.subjectType}|${a.subjectId}`)).map((a) => a.id));
  const inspections = new Set(
    tableRows(source, 'inspections')
      .filter((r) => locations.has(String(r.location_id)))
      .map((r) => String(r.id)),
  );
  const ratings = tableRows(source, 'ratings').filter((r) => locations.has(String(r.location_id)));
  const findings = tableRows(source, 'findings').filter(
    (f) =>
      assessments.has(str(f.assessment_id) ?? '') ||
      inspections.has(str(f.inspection_id) ?? '') ||
      (f.subject_type === 'location' && locations.has(String(f.subject_id))) ||
      (f.subject_type === 'provider' && providers.has(String(f.subject_id))),
  );
  const findingIds = new Set(findings.map((f) => String(f.id)));
  const links = tableRows(source, 'finding_evidence').filter((l) => findingIds.has(String(l.finding_id)));
  const cited = new Set(links.map((l) => String(l.evidence_id)));
  const withheld: Record<string, number> = {};
  const evidence = tableRows(source, 'evidence').filter((e) => {
    const wanted =
      cited.has(String(e.id)) || assessments.has(str(e.assessment_id) ?? '') || inspections.has(str(e.inspection_id) ?? '') || locations.has(str(e.location_id) ?? '');
    if (!wanted) return false;
    if (cleared.has(e.sensitivity as Sensitivity)) return true;
    withheld[String(e.sensitivity)] = (withheld[String(e.sensitivity)] ?? 0) + 1;
    return false;
  });
  const evidenceIds = new Set(evidence.map((e) => String(e.id)));

  // What the records handed over point at comes too, so every reference holds in the new workspace.
  for (const r of [...ratings, ...findings, ...evidence]) {
    if (r.inspection_id) inspections.add(String(r.inspection_id));
    if (r.assessment_id) assessments.add(String(r.assessment_id));
  }
  const areaReviews = new Set([
    ...evidence.map((e) => str(e.area_review_id)).filter((x): x is string => !!x),
    ...findings.filter((f) => f.subject_type === 'area review' && f.subject_id).map((f) => String(f.subject_id)),
  ]);
  const attachments = new Set(evidence.map((e) => str(e.attachment_hash)).filter((x): x is string => !!x));
  const ofAssessment = (r: Row) => assessments.has(String(r.assessment_id));

  const handed: [TableName, Row[]][] = [
    ['attachments', tableRows(source, 'attachments').filter((a) => attachments.has(String(a.hash)))],
    ['inspections', tableRows(source, 'inspections').filter((r) => inspections.has(String(r.id)))],
    ['assessments', tableRows(source, 'assessments').filter((r) => assessments.has(String(r.id)))],
    ['assessment_scores', tableRows(source, 'assessment_scores').filter(ofAssessment)],
    ['assessment_category_scores', tableRows(source, 'assessment_category_scores').filter(ofAssessment)],
    ['assessment_ratings', tableRows(source, 'assessment_ratings').filter(ofAssessment)],
    ['ratings', ratings],
    ['area_reviews', tableRows(source, 'area_reviews').filter((r) => areaReviews.has(String(r.id)))],
    ['area_review_themes', tableRows(source, 'area_review_themes').filter((r) => areaReviews.has(String(r.area_review_id)))],
    ['evidence', evidence],
    ['findings', findings],
    ['finding_evidence', links.filter((l) => evidenceIds.has(String(l.evidence_id)))],
  ];

  const tables: Record<string, number> = {};
  await target.write(
    'pack.create',
    (tx) => {
      for (const t of REFERENCE) {
        const rows = t === 'locations' ? locationRows : tableRows(source, t);
        insertTableRows(tx, t, tableColumns(tx, t), rows, { skipExisting: true });
        tables[t] = rows.length;
      }
      for (const [t, rows] of handed) {
        insertTableRows(tx, t, tableColumns(tx, t), rows);
        tables[t] = rows.length;
        const bases = rows.map((r) => mergeBaseOf(tx, t, r)).filter((b): b is readonly [string, string] => !!b);
        setMergeBases(tx, peer, t, bases);
      }
      audit(tx, 'pack.create', 'assessments', null, null, {
        from: source.metaValue('name') ?? peer,
        inspector,
        clearance,
        assignments: assigned.map((a) => a.id),
        withheld,
      });
    },
    { actor: opts.actor ?? 'assay', unjournaled: true },
  );
  return { inspector, assignments: assigned.map((a) => ({ id: a.id, title: a.title ?? a.subjectName })), tables, withheld };
}

function missing(id: string): never {
  throw new WorkspaceError('not-found-record', `There is no assessment ${id} in this workspace.`);
}
