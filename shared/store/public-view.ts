import { RESTRICTED_SENSITIVITIES } from './repo';

/**
 * The workspace as a public edition may see it. Analysts' SQL figures for a public edition run against a copy of the
 * workspace to which these statements have been applied, so restricted material does not exist for them: no figure,
 * however its SQL is written, can print it.
 *
 * - Evidence marked official-sensitive or personal is gone, with its links and its attached files.
 * - A finding that rests only on such evidence keeps its row (structured counts stay the same) but not its text.
 * - Tables that record people's work rather than published data (the audit log, comments, merge bookkeeping) and
 *   derived caches are emptied: their before/after copies would otherwise hold what was just removed.
 * - secure_delete overwrites freed pages, so the removed text does not linger in the file's free space.
 */

/** Tables that can hold restricted material. A SQL figure that reads any of them may appear in internal editions only. */
export const RESTRICTED_TABLES: readonly string[] = [
  'evidence',
  'attachments',
  'findings',
  'finding_evidence',
  'audit_log',
  'comments',
  'merge_conflicts',
  'merge_bases',
];

/** What each restricted table holds, in words for the message that refuses a figure reading it. */
export const RESTRICTED_TABLE_WORDS: Readonly<Record<string, string>> = {
  evidence: 'evidence records',
  attachments: 'attached files',
  findings: 'findings',
  finding_evidence: 'the evidence behind findings',
  audit_log: 'the audit log',
  comments: 'reviewers’ comments',
  merge_conflicts: 'merge conflicts',
  merge_bases: 'merge records',
};

/** The statements that turn a copy of a workspace into its public view. Run them on a copy, never on the workspace. */
export function publicViewStatements(restricted: readonly string[] = RESTRICTED_SENSITIVITIES): string[] {
  const list = restricted.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ');
  const restrictedIds = `SELECT id FROM evidence WHERE sensitivity IN (${list})`;
  return [
    'PRAGMA foreign_keys = OFF',
    'PRAGMA secure_delete = ON',
    'BEGIN',
    // A finding whose every cited source is restricted keeps its row (counts of findings do not change) but not its text.
    `UPDATE findings SET text = '' WHERE id IN (SELECT finding_id FROM finding_evidence WHERE evidence_id IN (${restrictedIds}))
       AND id NOT IN (SELECT fe.finding_id FROM finding_evidence fe JOIN evidence e ON e.id = fe.evidence_id WHERE e.sensitivity NOT IN (${list}))`,
    `DELETE FROM finding_evidence WHERE evidence_id IN (${restrictedIds})`,
    `DELETE FROM figure_evidence WHERE evidence_id IN (${restrictedIds})`,
    `DELETE FROM evidence WHERE sensitivity IN (${list})`,
    'DELETE FROM attachments WHERE hash NOT IN (SELECT attachment_hash FROM evidence WHERE attachment_hash IS NOT NULL)',
    'DELETE FROM audit_log',
    'DELETE FROM comments',
    'DELETE FROM merge_conflicts',
    'DELETE FROM merge_bases',
    'DELETE FROM derived_cache',
    'COMMIT',
  ];
}
