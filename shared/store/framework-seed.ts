/**
 * CQC's assessment frameworks as data: the single assessment framework for services (five key questions, 34 quality
 * statements), its local authority assessment (four themes, nine quality statements), the six evidence categories, and
 * the scoring rules of each framework version with the dates they apply from. Schema version 8 seeds these rows into
 * every workspace (new or migrated), so this file is part of that migration's SQL: never edit it, add rows through a
 * later migration instead (shared/store/schema.test.ts fails when a shipped migration's SQL changes).
 *
 * No rule is code: shared/store/scoring.ts applies whatever rules a version holds.
 *
 * Sources (read through the search tool's stored copies of CQC's pages; see the notes on each rule for what could and
 * could not be checked there):
 * - "How we reach a rating": https://www.cqc.org.uk/guidance-regulation/providers/assessment/assessing-quality-and-performance/reach-rating
 * - "Example: how we reach a rating" (GP practice, infection prevention and control):
 *   https://www.cqc.org.uk/guidance-regulation/providers/assessment/assessing-quality-and-performance/reach-rating/example-gp-practice
 * - "How we reach a rating (for assessments before December 2024)", page last updated 10 January 2025 (CQC's site,
 *   stored as https://gl-cqc.axis12.com/node/11030)
 * - "How we aggregate ratings using the rating principles: adult social care services":
 *   https://www.cqc.org.uk/guidance-providers/adult-social-care/how-we-aggregate-ratings-using-rating-principles-adult-social
 * - The December 2024 change (scores at quality statement level only, no evidence category scores), reported on the day:
 *   https://managementinpractice.com/?p=87207 ("CQC revises its assessment scoring model", 2 December 2024)
 * - The 34 quality statements under the five key questions: CQC's review of the single assessment framework, appendix 1,
 *   https://www.cqc.org.uk/publications/review-cqcs-single-assessment-framework-and-its-implementation/6-single-assessment-framework
 */

export const REACH_A_RATING_URL = 'https://www.cqc.org.uk/guidance-regulation/providers/assessment/assessing-quality-and-performance/reach-rating';
export const EXAMPLE_GP_PRACTICE_URL = 'https://www.cqc.org.uk/guidance-regulation/providers/assessment/assessing-quality-and-performance/reach-rating/example-gp-practice';
export const RATING_PRINCIPLES_URL = 'https://www.cqc.org.uk/guidance-providers/adult-social-care/how-we-aggregate-ratings-using-rating-principles-adult-social';
export const DECEMBER_2024_URL = 'https://managementinpractice.com/?p=87207';

/** The six evidence categories, as CQC names them. */
export const EVIDENCE_CATEGORIES: readonly (readonly [id: string, name: string])[] = [
  ['people', "People's experience"],
  ['staff', 'Feedback from staff and leaders'],
  ['partners', 'Feedback from partners'],
  ['observation', 'Observation'],
  ['processes', 'Processes'],
  ['outcomes', 'Outcomes'],
];

export interface SeedFramework {
  id: string;
  name: string;
  regulator: string;
  /** The subjects it assesses: 'location', 'provider', 'local authority', 'integrated care system'. */
  subjectTypes: readonly string[];
  scaleId: string;
  /** Key questions (services) or themes (local authorities), each with its quality statements. */
  groups: readonly { id: string; name: string; keyQuestionId: string | null; statements: readonly (readonly [id: string, name: string])[] }[];
}

/** The single assessment framework for services: CQC's 34 quality statements under the five key questions. */
export const SAF: SeedFramework = {
  id: 'cqc-saf',
  name: 'Single assessment framework',
  regulator: 'Care Quality Commission',
  subjectTypes: ['location', 'provider'],
  scaleId: 'cqc',
  groups: [
    {
      id: 'safe',
      name: 'Safe',
      keyQuestionId: 'safe',
      statements: [
        ['saf-learning-culture', 'Learning culture'],
        ['saf-safe-systems', 'Safe systems, pathways and transitions'],
        ['saf-safeguarding', 'Safeguarding'],
        ['saf-involving-people-risks', 'Involving people to manage risks'],
        ['saf-safe-environments', 'Safe environments'],
        ['saf-safe-staffing', 'Safe and effective staffing'],
        ['saf-infection-control', 'Infection prevention and control'],
        ['saf-medicines', 'Medicines optimisation'],
      ],
    },
    {
      id: 'effective',
      name: 'Effective',
      keyQuestionId: 'effective',
      statements: [
        ['saf-assessing-needs', 'Assessing needs'],
        ['saf-evidence-based-care', 'Delivering evidence-based care and treatment'],
        ['saf-working-together', 'How staff, teams and services work together'],
        ['saf-healthier-lives', 'Supporting people to live healthier lives'],
        ['saf-monitoring-outcomes', 'Monitoring and improving outcomes'],
        ['saf-consent', 'Consent to care and treatment'],
      ],
    },
    {
      id: 'caring',
      name: 'Caring',
      keyQuestionId: 'caring',
      statements: [
        ['saf-kindness', 'Kindness, compassion and dignity'],
        ['saf-individuals', 'Treating people as individuals'],
        ['saf-independence', 'Independence, choice and control'],
        ['saf-immediate-needs', "Responding to people's immediate needs"],
        ['saf-workforce-wellbeing', 'Workforce wellbeing and enablement'],
      ],
    },
    {
      id: 'responsive',
      name: 'Responsive',
      keyQuestionId: 'responsive',
      statements: [
        ['saf-person-centred', 'Person-centred care'],
        ['saf-continuity', 'Care provision, integration and continuity'],
        ['saf-information', 'Providing information'],
        ['saf-listening', 'Listening to and involving people'],
        ['saf-equity-access', 'Equity in access'],
        ['saf-equity-outcomes', 'Equity in experiences and outcomes'],
        ['saf-planning-future', 'Planning for the future'],
      ],
    },
    {
      id: 'well-led',
      name: 'Well-led',
      keyQuestionId: 'well-led',
      statements: [
        ['saf-shared-direction', 'Shared direction and culture'],
        ['saf-leaders', 'Capable, compassionate and inclusive leaders'],
        ['saf-speak-up', 'Freedom to speak up'],
        ['saf-workforce-edi', 'Workforce equality, diversity and inclusion'],
        ['saf-governance', 'Governance, management and sustainability'],
        ['saf-partnerships', 'Partnerships and communities'],
        ['saf-learning-improvement', 'Learning, improvement and innovation'],
        ['saf-environmental', 'Environmental sustainability – sustainable development'],
      ],
    },
  ],
};

/** Local authority assessment of Care Act duties: four themes, nine quality statements. Themes are scored, not rated. */
export const LA_ASSESSMENT: SeedFramework = {
  id: 'cqc-la',
  name: 'Local authority assessment',
  regulator: 'Care Quality Commission',
  subjectTypes: ['local authority'],
  scaleId: 'cqc',
  groups: [
    {
      id: 'working-with-people',
      name: 'Working with people',
      keyQuestionId: null,
      statements: [
        ['la-assessing-needs', 'Assessing needs'],
        ['la-healthier-lives', 'Supporting people to live healthier lives'],
        ['la-equity', 'Equity in experience and outcomes'],
      ],
    },
    {
      id: 'providing-support',
      name: 'Providing support',
      keyQuestionId: null,
      statements: [
        ['la-continuity', 'Care provision, integration and continuity'],
        ['la-partnerships', 'Partnerships and communities'],
      ],
    },
    {
      id: 'ensuring-safety',
      name: 'How the local authority ensures safety within the system',
      keyQuestionId: null,
      statements: [
        ['la-safe-systems', 'Safe systems, pathways and transitions'],
        ['la-safeguarding', 'Safeguarding'],
      ],
    },
    {
      id: 'leadership',
      name: 'Leadership',
      keyQuestionId: null,
      statements: [
        ['la-governance', 'Governance, management and sustainability'],
        ['la-learning', 'Learning, improvement and innovation'],
      ],
    },
  ],
};

/** A score of 1 to 4 as CQC describes it. */
const SCORE_LABELS = { '1': 'Significant shortfalls', '2': 'Some shortfalls', '3': 'Good standard', '4': 'Exceptional standard' };
/** CQC's percentage bands, the same for evidence categories to statements and for key questions to ratings. */
const SCORE_BANDS = [
  { min: 88, score: 4 },
  { min: 63, score: 3 },
  { min: 39, score: 2 },
  { min: 25, score: 1 },
];
const RATING_BANDS = [
  { min: 88, rating: 'Outstanding' },
  { min: 63, rating: 'Good' },
  { min: 39, rating: 'Requires improvement' },
  { min: 25, rating: 'Inadequate' },
];
const RATING_SCORES = { Outstanding: 4, Good: 3, 'Requires improvement': 2, Inadequate: 1 };

/**
 * The aggregation principles CQC applies to key question ratings for an overall rating ("How we aggregate ratings
 * using the rating principles", principles 4 to 6): no key question rated inadequate and at most one requires
 * improvement for good; two or more requires improvement, requires improvement; two or more inadequate, inadequate.
 */
const OVERALL_LIMITS = [
  { when: { of: 'rating', value: 'Inadequate', atLeast: 2 }, atMost: 'Inadequate', why: 'Two or more key questions are rated inadequate.' },
  { when: { of: 'rating', value: 'Inadequate', atLeast: 1 }, atMost: 'Requires improvement', why: 'A key question is rated inadequate.' },
  { when: { of: 'rating', value: 'Requires improvement', atLeast: 2 }, atMost: 'Requires improvement', why: 'Two or more key questions are rated requires improvement.' },
  { when: { of: 'rating', value: 'Outstanding', fewerThan: 2 }, atMost: 'Good', why: 'Outstanding overall needs at least two key questions rated outstanding.' },
];

/**
 * A quality statement scored 1 (significant shortfalls) limits its key question to requires improvement. NOT checked
 * against CQC's page text: the stored copies available when this was written did not include that part of "How we
 * reach a rating"; encoded as the rule is commonly described, and kept as data so a correction needs no code.
 */
const STATEMENT_LIMITS = [{ when: { of: 'score', value: 1, atLeast: 1 }, atMost: 'Requires improvement', why: 'A quality statement is scored 1 (significant shortfalls).' }];

export interface SeedVersion {
  id: string;
  frameworkId: string;
  name: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  sourceUrl: string;
  rules: unknown;
}

export const FRAMEWORK_VERSIONS: readonly SeedVersion[] = [
  {
    id: 'cqc-saf-2023',
    frameworkId: 'cqc-saf',
    name: 'Single assessment framework: scores by evidence category (November 2023 to December 2024)',
    // The first assessments under the framework began in November 2023 (best knowledge: 21 November 2023).
    effectiveFrom: '2023-11-21',
    effectiveTo: '2024-12-02',
    sourceUrl: EXAMPLE_GP_PRACTICE_URL,
    rules: {
      scores: SCORE_LABELS,
      round: 'whole percent',
      // Each relevant evidence category is scored 1 to 4; the statement's score is their total as a percentage of the
      // most they could score (4 each), rounded, put back on the 1 to 4 scale by the bands (the worked example: 3, 2,
      // 3 and 3 are 11 of 16, 69%, a score of 3).
      statement: { basis: 'evidence categories', bands: SCORE_BANDS },
      group: { bands: RATING_BANDS, limits: STATEMENT_LIMITS },
      overall: { from: 'group ratings', ratingScores: RATING_SCORES, bands: RATING_BANDS, limits: OVERALL_LIMITS },
    },
  },
  {
    id: 'cqc-saf-2024-12',
    frameworkId: 'cqc-saf',
    name: 'Single assessment framework: scores by quality statement (from 2 December 2024)',
    effectiveFrom: '2024-12-02',
    effectiveTo: null,
    sourceUrl: DECEMBER_2024_URL,
    rules: {
      scores: SCORE_LABELS,
      round: 'whole percent',
      // From 2 December 2024 CQC scores each quality statement directly; evidence categories guide what it looks at
      // but are not scored.
      statement: { basis: 'direct' },
      group: { bands: RATING_BANDS, limits: STATEMENT_LIMITS },
      overall: { from: 'group ratings', ratingScores: RATING_SCORES, bands: RATING_BANDS, limits: OVERALL_LIMITS },
    },
  },
  {
    id: 'cqc-la-2023',
    frameworkId: 'cqc-la',
    name: 'Local authority assessment (from December 2023)',
    // Formal assessments of local authorities began in December 2023 (best knowledge: 4 December 2023).
    effectiveFrom: '2023-12-04',
    effectiveTo: null,
    sourceUrl: REACH_A_RATING_URL,
    rules: {
      scores: SCORE_LABELS,
      round: 'whole percent',
      statement: { basis: 'direct' },
      // Themes are scored (a percentage) but not rated; the overall rating comes from all nine statement scores.
      group: null,
      overall: { from: 'statement scores', bands: RATING_BANDS, limits: [] },
    },
  },
];
