/**
 * The domain tables, as a plain list with no SQL, so that code bundled into the renderer (the live-query map) can use
 * it without bundling the schema.
 */

/** Tables in the order a dump or a merge should visit them (parents before children). */
export const TABLES = [
  'meta',
  'migrations',
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
  'publication_labels',
  'assessment_frameworks',
  'framework_versions',
  'framework_groups',
  'quality_statements',
  'evidence_categories',
  'inspections',
  'assessments',
  'assessment_scores',
  'assessment_category_scores',
  'assessment_ratings',
  'ratings',
  'themes',
  'area_reviews',
  'area_review_themes',
  'indicators',
  'indicator_values',
  'attachments',
  'evidence',
  'findings',
  'finding_evidence',
  'reports',
  'sections',
  'figures',
  'figure_evidence',
  'figure_approvals',
  'comments',
  'audit_log',
  'merge_bases',
  'merge_conflicts',
] as const;

export type TableName = (typeof TABLES)[number];
