import type { TableName } from '../store/schema';

/**
 * Some answers of the contract are keyed by table (the workspace summary's counts, an import's rows per table, the
 * tables a change touched). The renderer never names a table (renderer/src/no-table-names.test.ts); it asks here for
 * the words people use, and for the counts by the names the interface uses. Type-only import: the renderer bundles
 * this file.
 */

const WORDS: Partial<Record<TableName, string>> = {
  locations: 'Locations',
  providers: 'Providers',
  ratings: 'Ratings',
  inspections: 'Inspections',
  assessments: 'Inspections and assessments',
  assessment_scores: 'Quality statement scores',
  assessment_ratings: 'Draft ratings',
  area_reviews: 'Area reviews',
  findings: 'Findings',
  evidence: 'Evidence sources',
  reports: 'Reports',
  sections: 'Report sections',
  figures: 'Figures',
  indicators: 'Indicators',
  indicator_values: 'Indicator values',
  local_authorities: 'Local authorities',
  regions: 'Regions',
  imports: 'Imports',
  attachments: 'Attachments',
  comments: 'Comments',
  figure_approvals: 'Figure approvals',
  audit_log: 'Audit entries',
  themes: 'Themes',
  assessment_category_scores: 'Evidence category scores',
  area_review_themes: 'Area review themes',
  finding_evidence: 'Evidence cited by findings',
  merge_conflicts: 'Merge conflicts',
};

/** A table's name from a change event, a count or an import summary, in the words people use. */
export function tableWords(table: string): string {
  return WORDS[table as TableName] ?? table.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** What the home screen and the data browser count, by the name the interface uses, and the table it is counted in. */
export const COUNTED = {
  locations: 'locations',
  providers: 'providers',
  ratings: 'ratings',
  inspections: 'inspections',
  areaReviews: 'area_reviews',
  findings: 'findings',
  evidence: 'evidence',
  indicators: 'indicators',
  figures: 'figures',
  reports: 'reports',
  conflicts: 'merge_conflicts',
} as const satisfies Record<string, TableName>;
export type Counted = keyof typeof COUNTED;

/** How many of `what` a workspace summary's counts hold; undefined when they do not count it. */
export function countOf(counts: Readonly<Record<string, number>>, what: Counted): number | undefined {
  const table = COUNTED[what];
  return Object.prototype.hasOwnProperty.call(counts, table) ? counts[table] : undefined;
}
