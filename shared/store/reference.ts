import type { Tx } from './workspace';
import { insertScale, type ScaleDef } from './ratings';
import { insertRegions, insertSectors } from './locations';
import { insertThemes } from './area-reviews';
import type { PublicationLabel } from './labels';
import { V4_PUBLICATION_LABELS } from './schema';

/**
 * Reference data every new workspace starts with. Rating scales and key questions are rows, not code: another
 * regulator's scale is added as data (see `CARE_INSPECTORATE_SCALE` for an example used in tests).
 */

export type { ScaleDef };

export const CQC_SCALE: ScaleDef = {
  id: 'cqc',
  name: 'CQC four-point rating scale',
  regulator: 'Care Quality Commission',
  isDefault: true,
  values: [
    { label: 'Outstanding', rank: 1, colour: '#1b5e8c' },
    { label: 'Good', rank: 2, colour: '#3d8f5d' },
    { label: 'Requires improvement', rank: 3, colour: '#d98a1e' },
    { label: 'Inadequate', rank: 4, colour: '#b3261e' },
    { label: 'Insufficient evidence to rate', rank: null },
    { label: 'Inspected but not rated', rank: null },
    { label: 'No published rating', rank: null },
  ],
  keyQuestions: [
    { id: 'safe', name: 'Safe' },
    { id: 'effective', name: 'Effective' },
    { id: 'caring', name: 'Caring' },
    { id: 'responsive', name: 'Responsive' },
    { id: 'well-led', name: 'Well-led' },
    { id: 'overall', name: 'Overall', isOverall: true },
  ],
};

/** Care Inspectorate (Scotland) grades 6 (excellent) to 1 (unsatisfactory): proof that scales are data. */
export const CARE_INSPECTORATE_SCALE: ScaleDef = {
  id: 'care-inspectorate',
  name: 'Care Inspectorate six-point grades',
  regulator: 'Care Inspectorate (Scotland)',
  isDefault: false,
  values: [
    { label: '6 Excellent', rank: 1 },
    { label: '5 Very good', rank: 2 },
    { label: '4 Good', rank: 3 },
    { label: '3 Adequate', rank: 4 },
    { label: '2 Weak', rank: 5 },
    { label: '1 Unsatisfactory', rank: 6 },
  ],
  keyQuestions: [
    { id: 'ci-wellbeing', name: 'How well do we support people’s wellbeing?' },
    { id: 'ci-leadership', name: 'How good is our leadership?' },
    { id: 'ci-staff', name: 'How good is our staff team?' },
    { id: 'ci-setting', name: 'How good is our setting?' },
    { id: 'ci-care-planning', name: 'How well is our care and support planned?' },
  ],
};

/** The nine English regions as CQC names them, with their ONS codes. */
export const REGIONS: readonly { id: string; name: string }[] = [
  { id: 'E12000001', name: 'North East' },
  { id: 'E12000002', name: 'North West' },
  { id: 'E12000003', name: 'Yorkshire and The Humber' },
  { id: 'E12000004', name: 'East Midlands' },
  { id: 'E12000005', name: 'West Midlands' },
  { id: 'E12000006', name: 'East of England' },
  { id: 'E12000007', name: 'London' },
  { id: 'E12000008', name: 'South East' },
  { id: 'E12000009', name: 'South West' },
];

export const ENGLAND_AREA_CODE = 'E92000001';

export const SECTORS: readonly { id: string; name: string }[] = [
  { id: 'asc', name: 'Adult social care' },
  { id: 'hosp', name: 'Hospitals' },
  { id: 'pms', name: 'Primary medical services' },
];

/** Themes of CQC's local system reviews ("Beyond barriers", 2018). */
export const THEMES: readonly { id: string; name: string; description: string }[] = [
  { id: 'wellbeing-at-home', name: 'Maintaining wellbeing at home', description: 'Helping older people stay well and independent in their usual place of residence.' },
  { id: 'crisis', name: 'Crisis', description: 'What happens when an older person’s health or care needs escalate, including admission to hospital.' },
  { id: 'step-down', name: 'Step down and return home', description: 'Discharge from hospital, reablement and intermediate care, and the return to a usual place of residence.' },
  { id: 'leadership', name: 'Leadership and shared vision', description: 'A shared vision and joint leadership across health and social care.' },
  { id: 'commissioning', name: 'Commissioning and market shaping', description: 'How services are commissioned and how the care market is shaped.' },
  { id: 'workforce', name: 'Workforce', description: 'Recruitment, retention and joint workforce planning.' },
  { id: 'information-sharing', name: 'Information sharing', description: 'Sharing information and records between organisations.' },
];

/**
 * What CQC's publications print for the inspection categories and service groups its data files spell their own way
 * ("Acute hospital - NHS non-specialist" is printed "NHS acute hospitals"). Seeded by schema version 4 (so into every
 * workspace, new or migrated) and again by the CQC importer (adding any a later version knows); a workspace may change them (they are rows), and values without a label print as the data has them.
 */
export const CQC_PUBLICATION_LABELS: readonly PublicationLabel[] = V4_PUBLICATION_LABELS.map(([kind, value, label]) => ({ kind, value, label }));

/** Key for the default scale: the first key question id of the overall rating. */
export const OVERALL_KQ = 'overall';

/** Seeds a new workspace's reference data: CQC's scale and key questions, regions, sectors, and review themes (publication labels come with the schema). */
export function seedReference(tx: Tx): void {
  insertScale(tx, CQC_SCALE);
  insertRegions(tx, REGIONS);
  insertSectors(
    tx,
    SECTORS.map((s, i) => ({ ...s, position: i + 1 })),
  );
  insertThemes(
    tx,
    THEMES.map((t, i) => ({ ...t, position: i + 1 })),
  );
}

/** A stable id for a name that has no official code in the source (local authorities from CQC files). */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
