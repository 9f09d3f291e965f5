import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Tx } from '../store/workspace';
import { insertAreaReviews } from '../store/area-reviews';
import { insertAttachments, insertEvidence } from '../store/evidence';
import { insertFindings } from '../store/findings';
import { THEMES, slugify } from '../store/reference';
import { dayOf, isoOf, longDate, stampOf, stream } from './data-random';
import { INITIALS, SURNAMES } from './data-names';
import {
  FINDINGS,
  LOCATION_FINDINGS,
  NATIONAL_FINDINGS,
  OLDER_WOMAN_CASE,
  REVIEW_SUMMARIES,
  THEME_SUMMARIES,
  type Judgement,
} from './data-prose';

/**
 * Local system reviews, findings and the evidence behind them. Restricted evidence is written so that it reads as
 * restricted (named people in case files, candid interview notes), which is what leak tests and reviewers look for.
 */

export interface NarrativeInput {
  seed: number;
  laEffect: Map<string, number>;
  locations: {
    id: string;
    name: string;
    laId: string;
    sector: string;
    category: string;
    inspectionId: string | null;
    latestDay: number;
    latestOverall: number;
  }[];
  acuteTrusts: { code: string; name: string; laId: string }[];
  providers: { id: string; name: string }[];
  staff: readonly string[];
}

/** The 20 local system reviews CQC carried out in 2017/18, in the order the generator dates them. */
export const REVIEW_AREAS = [
  'Hartlepool', 'Bracknell Forest', 'Stoke-on-Trent', 'Trafford', 'Halton', 'Bradford', 'Oxfordshire', 'Plymouth',
  'Birmingham', 'Manchester', 'York', 'Coventry', 'Cumbria', 'Hampshire', 'Stockport', 'Wiltshire', 'Sheffield',
  'East Sussex', 'Liverpool', 'Northamptonshire',
] as const;

type Kind = 'document' | 'interview' | 'observation' | 'dataset' | 'survey' | 'case file' | 'meeting notes';
type Sensitivity = 'public' | 'official' | 'official-sensitive' | 'personal';

interface Evidence {
  id: string;
  kind: Kind;
  title: string;
  reference: string;
  summary: string;
  collectedOn: number;
  collectedBy: string;
  sensitivity: Sensitivity;
  attachment: { name: string; mediaType: string; bytes: Uint8Array; hash: string } | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  reviewId: string | null;
  locationId: string | null;
  cite?: Citation;
}

interface Finding {
  id: string;
  subjectType: 'location' | 'provider' | 'area review' | 'national';
  subjectId: string | null;
  theme: string | null;
  judgement: Judgement;
  status: 'draft' | 'agreed' | 'published' | 'withdrawn';
  text: string;
  author: string;
  inspectionId: string | null;
  day: number;
  evidence: string[];
}

interface Review {
  id: string;
  laId: string;
  title: string;
  started: number;
  published: number;
  summary: string;
  themes: { id: string; summary: string }[];
}

/** What the evidence for one review is made of: enough of every kind and sensitivity to exercise the app. */
const REVIEW_EVIDENCE: readonly { kind: Kind; sensitivity: Sensitivity; title: string; summary: string; pick: number }[] = [
  { kind: 'document', sensitivity: 'public', title: '{area} Better Care Fund plan 2017-19', summary: 'The joint plan agreed by the council and the clinical commissioning group, setting out pooled budgets, schemes and targets for delayed transfers of care.', pick: 1 },
  { kind: 'document', sensitivity: 'official', title: 'System overview information return: {area}', summary: 'Self-assessment completed by system leaders before the review, with supporting data on activity, spend and workforce.', pick: 1 },
  { kind: 'document', sensitivity: 'public', title: '{area} joint strategic needs assessment: older people', summary: 'The health and wellbeing board’s assessment of the needs of older people, including projections of demand for care to 2025.', pick: 0.7 },
  { kind: 'dataset', sensitivity: 'public', title: 'Delayed transfers of care, {area}, monthly extract 2016/17 to 2017/18', summary: 'Delayed days by month and by responsible organisation (NHS, social care or both), with the reasons recorded.', pick: 1 },
  { kind: 'dataset', sensitivity: 'official', title: 'Discharges by day of the week, {trust}, 2017/18', summary: 'Discharges of patients aged 65 and over by day of the week and time of day, supplied by the trust’s information team.', pick: 0.85 },
  { kind: 'survey', sensitivity: 'official', title: 'Relational audit: survey of {area} system leaders', summary: 'Responses from leaders across health and social care on trust, shared purpose and how well organisations work together.', pick: 1 },
  { kind: 'survey', sensitivity: 'public', title: 'Survey of voluntary and community sector organisations in {area}', summary: 'Views of voluntary and community organisations on how well they are involved in planning and supporting older people.', pick: 0.6 },
  { kind: 'interview', sensitivity: 'official-sensitive', title: 'Interview with the director of adult social services, {area}', summary: 'Notes of a one-to-one interview. Candid views on relationships with the acute trust and the CCG, and on the council’s funding gap. Not for publication.', pick: 1 },
  { kind: 'interview', sensitivity: 'official-sensitive', title: 'Focus group with discharge coordinators and social workers, {trust}', summary: 'Staff accounts of delays, disputes over funding and weekend working. Individual staff comments are attributable and must not be published.', pick: 0.9 },
  { kind: 'interview', sensitivity: 'official', title: 'Interview with the chair of the {area} health and wellbeing board', summary: 'The chair’s account of the board’s role, the Better Care Fund and joint priorities for older people.', pick: 0.8 },
  { kind: 'observation', sensitivity: 'official', title: 'Observation of the daily bed management meeting, {trust}', summary: 'Notes from observing the trust’s morning meeting on capacity, patient flow and patients awaiting discharge.', pick: 0.9 },
  { kind: 'observation', sensitivity: 'official-sensitive', title: 'Observation of a multidisciplinary discharge meeting on a frailty ward, {trust}', summary: 'Notes of discussions about individual patients’ discharge plans, including clinical details. Contains information about identifiable patients.', pick: 0.8 },
  { kind: 'case file', sensitivity: 'personal', title: 'Case file: Mrs {initial}. {surname}, aged {age}, {area} – tracked journey from admission to discharge', summary: 'Personal case tracking record: health and care history, hospital notes, social care assessments and interviews with her and her daughter. Personal data: do not publish.', pick: 1 },
  { kind: 'case file', sensitivity: 'personal', title: 'Case file: Mr {initial}. {surname}, aged {age}, {area} – tracked journey through reablement', summary: 'Personal case tracking record including his GP record summary, reablement notes and a home visit. Personal data: do not publish.', pick: 0.8 },
  { kind: 'meeting notes', sensitivity: 'official', title: 'Notes of the {area} A&E delivery board, {date}', summary: 'Minutes of the board’s meeting on winter pressures, delayed transfers of care and the high-impact change model.', pick: 0.9 },
  { kind: 'meeting notes', sensitivity: 'official-sensitive', title: 'Notes of the feedback session with {area} system leaders', summary: 'Provisional findings given to system leaders at the end of fieldwork, and their responses. Draft judgements: not for publication.', pick: 0.9 },
];

/** How a national source is cited in a report's notes: who published it, when, and where it can be read. */
interface Citation {
  publisher: string;
  publishedOn?: string;
  url?: string;
}
/** When the demo's web addresses were last read, as an editor preparing the 2018 report would have. */
const ACCESSED_ON = '2018-09-14';

const NATIONAL_EVIDENCE: readonly { kind: Kind; sensitivity: Sensitivity; title: string; summary: string; reference: string; cite?: Citation }[] = [
  { kind: 'dataset', sensitivity: 'public', title: 'CQC ratings of adult social care services, as at 31 July 2018', summary: 'Latest published rating per location and key question, as at 31 July 2018.', reference: 'SOC18/D/01', cite: { publisher: 'Care Quality Commission', publishedOn: '2018-08-01', url: 'https://www.cqc.org.uk/about-us/transparency/using-cqc-data' } },
  { kind: 'dataset', sensitivity: 'public', title: 'CQC ratings of NHS acute and mental health core services, as at 31 July 2018', summary: 'Latest published core service ratings for NHS trusts, as at 31 July 2018.', reference: 'SOC18/D/02', cite: { publisher: 'Care Quality Commission', publishedOn: '2018-08-01', url: 'https://www.cqc.org.uk/about-us/transparency/using-cqc-data' } },
  { kind: 'dataset', sensitivity: 'public', title: 'CQC ratings of GP practices, as at 31 July 2018', summary: 'Latest published overall and key question ratings for GP practices.', reference: 'SOC18/D/03', cite: { publisher: 'Care Quality Commission', publishedOn: '2018-08-01', url: 'https://www.cqc.org.uk/about-us/transparency/using-cqc-data' } },
  { kind: 'dataset', sensitivity: 'public', title: 'CQC ratings, all sectors, as at 31 July 2017', summary: 'The previous year’s position, for year-on-year comparison.', reference: 'SOC18/D/04', cite: { publisher: 'Care Quality Commission', publishedOn: '2017-08-01', url: 'https://www.cqc.org.uk/about-us/transparency/using-cqc-data' } },
  { kind: 'dataset', sensitivity: 'public', title: 'NHS England delayed transfers of care statistics, 2016/17 and 2017/18', summary: 'Monthly delayed days by local authority and responsible organisation.', reference: 'SOC18/D/05', cite: { publisher: 'NHS England', publishedOn: '2018-06-14', url: 'https://www.england.nhs.uk/statistics/statistical-work-areas/delayed-transfers-of-care/' } },
  { kind: 'dataset', sensitivity: 'public', title: 'Adult Social Care Outcomes Framework, 2017/18', summary: 'Council-level outcome measures, including reablement and permanent admissions to care homes.', reference: 'SOC18/D/06', cite: { publisher: 'NHS Digital', url: 'https://digital.nhs.uk/data-and-information/publications/statistical/adult-social-care-outcomes-framework-ascof' } },
  { kind: 'dataset', sensitivity: 'public', title: 'Hospital Episode Statistics: emergency admissions of people aged 65 and over, 2017/18', summary: 'Emergency admissions by local authority of residence.', reference: 'SOC18/D/07', cite: { publisher: 'NHS Digital', publishedOn: '2018-09-20', url: 'https://digital.nhs.uk/data-and-information/publications/statistical/hospital-admitted-patient-care-activity/2017-18' } },
  { kind: 'dataset', sensitivity: 'official', title: 'Provider information returns: staffing and turnover, 2017/18', summary: 'Self-reported staffing, vacancy and turnover figures from adult social care providers.', reference: 'SOC18/D/08', cite: { publisher: 'Care Quality Commission' } },
  { kind: 'dataset', sensitivity: 'official-sensitive', title: 'Safeguarding alerts and whistleblowing concerns received, 2017/18 extract', summary: 'Record-level extract of concerns raised with CQC, including allegations against named services not yet investigated.', reference: 'SOC18/D/09' },
  { kind: 'document', sensitivity: 'public', title: 'ADASS Budget Survey 2018', summary: 'Survey of directors of adult social services on budgets, pressures and the care market, including home care contracts handed back.', reference: 'SOC18/R/01', cite: { publisher: 'Association of Directors of Adult Social Services', publishedOn: '2018-06-14', url: 'https://www.adass.org.uk/adass-budget-survey-2018' } },
  { kind: 'document', sensitivity: 'public', title: 'Unmet need for care among older people in England', summary: 'Estimate of the number of people aged 65 and over with unmet needs for help with daily living.', reference: 'SOC18/R/02', cite: { publisher: 'Age UK', publishedOn: '2018-07-11', url: 'https://www.ageuk.org.uk/our-impact/policy-research/' } },
  { kind: 'document', sensitivity: 'public', title: 'The state of the adult social care sector and workforce in England', summary: 'Estimates of the size, structure, vacancies and turnover of the adult social care workforce.', reference: 'SOC18/R/03', cite: { publisher: 'Skills for Care', publishedOn: '2017-09-14', url: 'https://www.skillsforcare.org.uk/adult-social-care-workforce-data/Workforce-intelligence/publications/national-information/The-state-of-the-adult-social-care-sector-and-workforce-in-England.aspx' } },
  { kind: 'document', sensitivity: 'public', title: 'Beyond barriers: how older people move between health and social care in England', summary: 'Report of the 20 local system reviews.', reference: 'SOC18/R/04', cite: { publisher: 'Care Quality Commission', publishedOn: '2018-07-02', url: 'https://www.cqc.org.uk/publications/themed-work/beyond-barriers-how-older-people-move-between-health-care-england' } },
  { kind: 'document', sensitivity: 'official', title: 'Market oversight: quarterly assessment of difficult-to-replace providers, Q1 2018/19', summary: 'Summary of the financial sustainability of large adult social care providers.', reference: 'SOC18/R/05', cite: { publisher: 'Care Quality Commission' } },
  { kind: 'document', sensitivity: 'official-sensitive', title: 'Market oversight: financial risk assessment of large care groups, June 2018', summary: 'Commercially confidential assessment of named providers’ financial positions. Not for publication.', reference: 'SOC18/R/06' },
  { kind: 'survey', sensitivity: 'official', title: 'Survey of registered managers on recruitment and retention, 2018', summary: 'Responses from registered managers of care homes and home care agencies.', reference: 'SOC18/S/01', cite: { publisher: 'Care Quality Commission' } },
  { kind: 'survey', sensitivity: 'public', title: 'Adult inpatient survey 2017', summary: 'Patients’ experience of leaving hospital, including involvement in decisions about discharge.', reference: 'SOC18/S/02', cite: { publisher: 'Care Quality Commission', publishedOn: '2018-06-13', url: 'https://www.cqc.org.uk/publications/surveys/inpatient-survey-2017' } },
  { kind: 'survey', sensitivity: 'official', title: 'Survey of inspectors on the integration of local services', summary: 'Inspectors’ views on how well local services work together in the areas they inspect.', reference: 'SOC18/S/03', cite: { publisher: 'Care Quality Commission' } },
  { kind: 'interview', sensitivity: 'official-sensitive', title: 'Interviews with twelve directors of adult social services', summary: 'Candid interviews on funding, the market and relationships with the NHS. Interviewees were promised anonymity.', reference: 'SOC18/I/01' },
  { kind: 'interview', sensitivity: 'official', title: 'Interviews with chief executives of six NHS acute trusts', summary: 'Views on winter pressures, delayed discharges and joint working with councils.', reference: 'SOC18/I/02', cite: { publisher: 'Care Quality Commission' } },
  { kind: 'interview', sensitivity: 'official-sensitive', title: 'Interview with the chief executive of a care group that handed back home care contracts', summary: 'Account of why contracts were handed back, naming the councils involved. Commercially sensitive.', reference: 'SOC18/I/03' },
  { kind: 'observation', sensitivity: 'official', title: 'Observations from the winter pressures visits to emergency departments, January 2018', summary: 'Inspectors’ notes from unannounced visits to emergency departments during winter.', reference: 'SOC18/O/01', cite: { publisher: 'Care Quality Commission' } },
  { kind: 'case file', sensitivity: 'personal', title: 'Complaints from the public about home care: sample of 40 case files, with names and addresses', summary: 'Personal accounts of missed and late home care visits, including names, addresses and health conditions. Personal data: do not publish.', reference: 'SOC18/C/01' },
  { kind: 'case file', sensitivity: 'personal', title: 'Case file: Mr {initial}. {surname}, aged {age} – stranded in hospital awaiting a nursing home place', summary: 'Personal record assembled from a complaint and the hospital’s notes, naming the patient and his family. Personal data: do not publish.', reference: 'SOC18/C/02' },
  { kind: 'meeting notes', sensitivity: 'official', title: 'Notes of the State of Care editorial board, 12 June 2018', summary: 'Agreement of the report’s key messages and the figures to be quoted.', reference: 'SOC18/M/01', cite: { publisher: 'Care Quality Commission' } },
  { kind: 'meeting notes', sensitivity: 'official-sensitive', title: 'Notes of a meeting with the Department of Health and Social Care on the adult social care green paper', summary: 'Discussion of emerging policy options ahead of publication. Not for publication.', reference: 'SOC18/M/02' },
  { kind: 'meeting notes', sensitivity: 'official', title: 'Notes of the joint CQC and NHS Improvement meeting on patient flow, 3 May 2018', summary: 'Shared view of delayed transfers of care and the actions each organisation will take.', reference: 'SOC18/M/03', cite: { publisher: 'Care Quality Commission' } },
  { kind: 'dataset', sensitivity: 'public', title: 'ONS mid-2017 population estimates by local authority and age', summary: 'Denominators for rates per 100,000 people aged 65 and over.', reference: 'SOC18/D/10', cite: { publisher: 'Office for National Statistics', publishedOn: '2018-06-28', url: 'https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates/bulletins/annualmidyearpopulationestimates/mid2017' } },
  { kind: 'survey', sensitivity: 'public', title: 'Personal Social Services Adult Social Care Survey, England 2017/18', summary: 'Care users’ views of their quality of life and the services they receive.', reference: 'SOC18/S/04', cite: { publisher: 'NHS Digital', url: 'https://digital.nhs.uk/data-and-information/publications/statistical/personal-social-services-adult-social-care-survey' } },
  { kind: 'document', sensitivity: 'public', title: 'Adult social care funding: state of the nation 2018', summary: 'Analysis of the funding gap facing adult social care.', reference: 'SOC18/R/07', cite: { publisher: 'Local Government Association', publishedOn: '2018-07-03', url: 'https://www.local.gov.uk/adult-social-care-funding-state-nation-2018' } },
];

/** Which national evidence each national finding rests on (by reference). */
const NATIONAL_LINKS: readonly (readonly string[])[] = [
  ['SOC18/D/01', 'SOC18/D/02', 'SOC18/D/03'],
  ['SOC18/D/01', 'SOC18/D/04'],
  ['SOC18/R/04', 'SOC18/D/05', 'SOC18/S/03'],
  ['SOC18/R/05', 'SOC18/R/06', 'SOC18/I/01'],
  ['SOC18/R/01', 'SOC18/I/03', 'SOC18/C/01'],
  ['SOC18/R/02'],
  ['SOC18/R/03', 'SOC18/D/08', 'SOC18/S/01'],
  ['SOC18/R/04', 'SOC18/I/01', 'SOC18/I/02'],
  ['SOC18/D/05', 'SOC18/C/02', 'SOC18/O/01'],
  ['SOC18/M/01', 'SOC18/R/04'],
  ['SOC18/R/01', 'SOC18/M/02'],
  ['SOC18/R/03'],
  [],
  ['SOC18/S/03', 'SOC18/M/01'],
];

const LOCATION_EVIDENCE: readonly { kind: Kind; sensitivity: Sensitivity; title: string; summary: string }[] = [
  { kind: 'document', sensitivity: 'official', title: 'Medicines administration records reviewed at {location}', summary: 'Sample of medicines administration records and the service’s medicines audit.' },
  { kind: 'observation', sensitivity: 'official', title: 'Observation of lunchtime and afternoon activities, {location}', summary: 'Short observational framework for inspection (SOFI) notes.' },
  { kind: 'interview', sensitivity: 'official-sensitive', title: 'Interview with the registered manager, {location}', summary: 'Notes of the manager’s account of staffing, incidents and improvement plans, including comments about named staff.' },
  { kind: 'case file', sensitivity: 'personal', title: 'Care records of a person using the service: Mrs {initial}. {surname}, {location}', summary: 'Care plan, risk assessments and daily notes for a named person. Personal data: do not publish.' },
  { kind: 'survey', sensitivity: 'official', title: 'Questionnaires returned by relatives and staff, {location}', summary: 'Responses to CQC’s pre-inspection questionnaires.' },
  { kind: 'dataset', sensitivity: 'official', title: 'Staff rota and training matrix, {location}', summary: 'Four weeks of rotas and the service’s record of mandatory training.' },
  { kind: 'meeting notes', sensitivity: 'official', title: 'Notes of the inspection feedback meeting, {location}', summary: 'Feedback given to the provider at the end of the inspection and its response.' },
];

export function buildNarrative(input: NarrativeInput) {
  const rng = stream(input.seed, 'narrative');
  const staff = input.staff;
  const evidence: Evidence[] = [];
  const findings: Finding[] = [];
  const reviews: Review[] = [];
  const attachments = new Map<string, { bytes: Uint8Array; mediaType: string }>();

  const attach = (name: string, mediaType: string, text: string) => {
    const bytes = utf8ToBytes(text);
    const hash = bytesToHex(sha256(bytes));
    attachments.set(hash, { bytes, mediaType });
    return { name, mediaType, bytes, hash };
  };
  const verify = (e: Evidence, p: number) => {
    if (!rng.chance(p)) return;
    e.verifiedBy = rng.pick(staff.filter((s) => s !== e.collectedBy));
    e.verifiedAt = stampOf(e.collectedOn + rng.between(2, 21), 14);
  };
  const fill = (text: string, vars: Record<string, string>) => text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
  const person = () => ({ initial: rng.pick(INITIALS), surname: rng.pick(SURNAMES), age: String(rng.between(78, 96)) });

  // Local system reviews ----------------------------------------------------------------------------------------
  const first = dayOf('2017-08-21');
  const areas = REVIEW_AREAS.map((name, i) => ({ name, laId: slugify(name), effect: input.laEffect.get(slugify(name)) ?? 0, i }));
  // The review areas lean poorer than England as a whole, as the real ones were chosen partly for their pressures.
  const worst = [...areas].sort((a, b) => a.effect - b.effect || a.i - b.i)[0]!;
  for (const a of areas) {
    const code = a.laId.replace(/-/g, '').slice(0, 4).toUpperCase() + String(a.i + 1).padStart(2, '0');
    const started = first + a.i * 14 + rng.int(5);
    const published = started + 84 + rng.int(28);
    const tier = a.effect > 0.15 ? 0 : a.effect > -0.2 ? 1 : 2;
    const trusts = input.acuteTrusts.filter((t) => t.laId === a.laId);
    const trust = trusts.length ? rng.pick(trusts).name : rng.pick(input.acuteTrusts).name;
    const vars = { area: a.name, trust };
    const reviewId = `LSR-${code}`;
    const themeIds = ['wellbeing-at-home', 'crisis', 'step-down', ...rng.shuffle(['leadership', 'commissioning', 'workforce', 'information-sharing']).slice(0, rng.between(2, 4))];
    const themeOrder = THEMES.map((t) => t.id).filter((t) => themeIds.includes(t));
    reviews.push({
      id: reviewId,
      laId: a.laId,
      title: `Local system review: ${a.name}`,
      started,
      published,
      summary: fill(REVIEW_SUMMARIES[tier]!, vars),
      themes: themeOrder.map((t) => {
        // Themes vary within an area: a generally strong system can still struggle with its workforce.
        const tt = Math.max(0, Math.min(2, tier + (rng.chance(0.3) ? (rng.chance(0.5) ? 1 : -1) : 0)));
        return { id: t, summary: fill(THEME_SUMMARIES[t]![tt]!, vars) };
      }),
    });

    // Evidence for this review.
    const mine: Evidence[] = [];
    let en = 0;
    for (const t of REVIEW_EVIDENCE) {
      if (!rng.chance(t.pick)) continue;
      const who = person();
      const collectedOn = started + 7 + rng.int(Math.max(1, published - started - 30));
      const e: Evidence = {
        id: `EV-${code}-${String(++en).padStart(2, '0')}`,
        kind: t.kind,
        title: fill(t.title, { ...vars, ...who, date: longDate(collectedOn) }),
        reference: `LSR/${code}/E${String(en).padStart(2, '0')}`,
        summary: t.summary,
        collectedOn,
        collectedBy: rng.pick(staff),
        sensitivity: t.sensitivity,
        attachment: null,
        verifiedBy: null,
        verifiedAt: null,
        reviewId,
        locationId: null,
      };
      verify(e, t.sensitivity === 'public' ? 0.7 : 0.45);
      mine.push(e);
    }
    // Small attachments on a few reviews: a data extract, and for the hardest-pressed area the tracked case itself.
    if (a.i % 5 === 0) {
      const ds = mine.find((e) => e.kind === 'dataset' && e.sensitivity === 'public');
      if (ds) {
        const lines = ['month,delayed_days_nhs,delayed_days_social_care,delayed_days_both'];
        for (let m = 0; m < 24; m++) {
          const d = new Date(Date.UTC(2016, 3 + m, 1)).toISOString().slice(0, 7);
          lines.push(`${d},${rng.between(300, 1400)},${rng.between(150, 1100)},${rng.between(20, 160)}`);
        }
        ds.attachment = attach(`dtoc-${a.laId}-2016-2018.csv`, 'text/csv', `${lines.join('\n')}\n`);
      }
    }
    if (a.i % 4 === 1) {
      const iv = mine.find((e) => e.kind === 'interview' && e.sensitivity === 'official-sensitive');
      if (iv) {
        iv.attachment = attach(
          `interview-dass-${a.laId}.txt`,
          'text/plain',
          `OFFICIAL-SENSITIVE: NOT FOR PUBLICATION\n${iv.title}\nInterviewers: ${iv.collectedBy} and a specialist adviser\n\n` +
            'Q: How would you describe relationships with the hospital trust?\n' +
            'A: Better than they were, but when the pressure is on it is every organisation for itself. The trust’s chief executive phones me about delayed transfers; nobody phones about the people we keep out of hospital.\n' +
            'Q: What would make the biggest difference?\n' +
            'A: A shared budget for discharge, and home care workers paid enough to stay. We lost two providers this year.\n',
        );
      }
    }
    if (a.i % 6 === 2) {
      const mn = mine.find((e) => e.kind === 'meeting notes' && e.sensitivity === 'official');
      if (mn) {
        mn.attachment = attach(
          `ae-delivery-board-${a.laId}.txt`,
          'text/plain',
          `${mn.title}\n\nPresent: trust, CCG, council, community services, ambulance service.\n` +
            '1. Winter plan: escalation beds to stay open until the end of March.\n' +
            '2. Delayed transfers: social care delays down on last month; NHS delays up, mainly awaiting community hospital beds.\n' +
            '3. Seven-day discharge: business case for weekend social work cover to come to the next meeting.\n',
        );
      }
    }
    const caseFile = mine.find((e) => e.kind === 'case file' && e.title.startsWith('Case file: Mrs'));
    if (a === worst && caseFile) {
      caseFile.attachment = attach(
        `tracked-journey-${a.laId}.txt`,
        'text/plain',
        `PERSONAL: CONTAINS PERSONAL DATA. DO NOT PUBLISH.\n${caseFile.title}\n\n` +
          'Friday 20:40  Admitted via the emergency department after a fall at home. No fracture.\n' +
          'Saturday 10:15  Medically fit for discharge. Home care to restart; no discharge coordinator on duty at the weekend.\n' +
          'Monday 11:00  Home care provider has reallocated her visits. Referral for a new package of care.\n' +
          'Weeks 2 to 5  No provider able to take the package. Reduced mobility; physiotherapy twice a week.\n' +
          'Week 6  Assessed as needing residential care. Discharged to a care home. She told us: "I only wanted to go home."\n',
      );
    }
    evidence.push(...mine);

    // Findings: 10 to 15, weighted to strengths in stronger systems and to concerns in weaker ones.
    const nFindings = rng.between(10, 15);
    const pStrength = [0.55, 0.35, 0.18][tier]!;
    const used = new Set<string>();
    const reviewFindings: Finding[] = [];
    const fday = published - rng.between(3, 10);
    let fn = 0;
    const addFinding = (theme: string, judgement: Judgement, text: string, cites: Evidence[]) => {
      reviewFindings.push({
        id: `F-${code}-${String(++fn).padStart(2, '0')}`,
        subjectType: 'area review',
        subjectId: reviewId,
        theme,
        judgement,
        status: 'published',
        text,
        author: rng.pick(staff),
        inspectionId: null,
        day: fday,
        evidence: cites.map((e) => e.id),
      });
    };
    const cite = (judgement: Judgement) => {
      // One in twenty findings is left without evidence, so reviewers have unsupported claims to find.
      if (rng.chance(0.05)) return [];
      const prefer = judgement === 'concern' ? ['interview', 'case file', 'observation', 'dataset'] : ['document', 'survey', 'meeting notes', 'dataset'];
      const pool = rng.shuffle(mine.filter((e) => prefer.includes(e.kind)));
      const others = rng.shuffle(mine.filter((e) => !prefer.includes(e.kind)));
      return [...pool.slice(0, rng.between(1, 2)), ...others.slice(0, rng.chance(0.4) ? 1 : 0)];
    };
    if (a === worst) {
      const cases = mine.filter((e) => e.kind === 'case file' || e.kind === 'observation').slice(0, 2);
      const dtoc = mine.filter((e) => e.kind === 'dataset').slice(0, 1);
      addFinding('step-down', 'concern', fill(OLDER_WOMAN_CASE, vars), [...cases, ...dtoc]);
      used.add(OLDER_WOMAN_CASE);
    }
    let guard = 0;
    while (reviewFindings.length < nFindings && guard++ < 500) {
      const theme = themeIds[rng.int(themeIds.length)]!;
      const r = rng.next();
      const judgement: Judgement = r < pStrength ? 'strength' : r < 0.78 ? 'concern' : 'recommendation';
      const bank = FINDINGS[theme]![judgement];
      const text = rng.pick(bank);
      if (used.has(text)) continue;
      used.add(text);
      const nums = {
        pct: String(judgement === 'strength' ? rng.between(55, 90) : rng.between(2, 15)),
        n: String(rng.between(25, 140)),
        days: String(rng.between(21, 60)),
        weeks: String(rng.between(2, 5)),
      };
      if (theme === 'step-down' && text.includes('91 days')) nums.pct = String(rng.between(84, 93));
      if (theme === 'workforce') nums.pct = String(rng.between(8, 14));
      addFinding(theme, judgement, fill(text, { ...vars, ...nums }), cite(judgement));
    }
    findings.push(...reviewFindings);
  }

  // National findings and evidence -------------------------------------------------------------------------------
  const natByRef = new Map<string, Evidence>();
  NATIONAL_EVIDENCE.forEach((t, i) => {
    const collectedOn = dayOf('2018-05-01') + i * 3 + rng.int(3);
    const who = person();
    const e: Evidence = {
      id: `EV-NAT-${String(i + 1).padStart(2, '0')}`,
      kind: t.kind,
      title: fill(t.title, who),
      reference: t.reference,
      summary: t.summary,
      collectedOn,
      collectedBy: rng.pick(staff),
      sensitivity: t.sensitivity,
      attachment: null,
      verifiedBy: null,
      verifiedAt: null,
      reviewId: null,
      locationId: null,
      ...(t.cite ? { cite: t.cite } : {}),
    };
    verify(e, t.sensitivity === 'public' ? 0.8 : 0.5);
    natByRef.set(t.reference, e);
    evidence.push(e);
  });
  const ratingsExtract = natByRef.get('SOC18/D/01');
  if (ratingsExtract) {
    ratingsExtract.attachment = attach(
      'asc-ratings-summary-2018-07-31.csv',
      'text/csv',
      'rating,share_2017_07_31,share_2018_07_31\nOutstanding,2,3\nGood,78,79\nRequires improvement,19,17\nInadequate,1,1\n',
    );
  }
  const editorial = natByRef.get('SOC18/M/01');
  if (editorial) {
    editorial.attachment = attach(
      'editorial-board-2018-06-12.txt',
      'text/plain',
      'State of Care editorial board, 12 June 2018\n\nAgreed: lead message on the integration lottery; safety still the weakest key question but improving; ' +
        'adult social care close to a tipping point. Figures to be refreshed as at 31 July 2018 before sign-off.\n',
    );
  }
  NATIONAL_FINDINGS.forEach((f, i) => {
    findings.push({
      id: `F-NAT-${String(i + 1).padStart(2, '0')}`,
      subjectType: 'national',
      subjectId: null,
      theme: f.theme,
      judgement: f.judgement,
      status: i < 10 ? 'agreed' : 'draft',
      text: f.text,
      author: rng.pick(staff),
      inspectionId: null,
      day: dayOf('2018-06-12') + i,
      evidence: (NATIONAL_LINKS[i] ?? []).map((r) => natByRef.get(r)?.id).filter((x): x is string => x !== undefined),
    });
  });

  // Location and provider findings ----------------------------------------------------------------------------------
  const inspected = input.locations.filter((l) => l.inspectionId !== null && l.latestOverall >= 0);
  const chosen = rng.shuffle([...inspected]).slice(0, 70);
  chosen.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let ln = 0;
  for (const loc of chosen) {
    const poor = loc.latestOverall >= 2;
    const bank = LOCATION_FINDINGS[poor ? 'poor' : 'good'];
    const kinds = rng.shuffle([...LOCATION_EVIDENCE]).slice(0, rng.between(1, 2));
    const mine = kinds.map((t, j) => {
      const who = person();
      const collectedOn = loc.latestDay - 60 + rng.int(20);
      const e: Evidence = {
        id: `EV-LOC-${String(++ln).padStart(3, '0')}`,
        kind: t.kind,
        title: fill(t.title, { location: loc.name, ...who }),
        reference: `${loc.inspectionId}/E${j + 1}`,
        summary: t.summary,
        collectedOn,
        collectedBy: rng.pick(staff),
        sensitivity: t.sensitivity,
        attachment: null,
        verifiedBy: null,
        verifiedAt: null,
        reviewId: null,
        locationId: loc.id,
      };
      verify(e, 0.4);
      return e;
    });
    evidence.push(...mine);
    const picks = rng.shuffle([...bank]).slice(0, rng.between(1, 2));
    picks.forEach((f, j) => {
      findings.push({
        id: `F-${loc.inspectionId}-${j + 1}`,
        subjectType: 'location',
        subjectId: loc.id,
        theme: f.theme,
        judgement: f.judgement,
        status: 'published',
        text: f.text,
        author: rng.pick(staff),
        inspectionId: loc.inspectionId,
        day: loc.latestDay - 7,
        evidence: mine.map((e) => e.id),
      });
    });
  }
  input.providers.slice(0, 4).forEach((p, i) => {
    findings.push({
      id: `F-PRV-${String(i + 1).padStart(2, '0')}`,
      subjectType: 'provider',
      subjectId: p.id,
      theme: i % 2 === 0 ? 'leadership' : 'workforce',
      judgement: i === 3 ? 'strength' : 'concern',
      status: i === 0 ? 'draft' : 'agreed',
      text:
        i === 3
          ? `${p.name} has strengthened its quality assurance across its services; the proportion of its services rated good or outstanding rose over the year.`
          : `Across services run by ${p.name}, inspections found recurring problems with ${['medicines management', 'staffing levels at night', 'the oversight of care records'][i]}, which suggests weaknesses in the provider’s central governance rather than in single services.`,
      author: rng.pick(staff),
      inspectionId: null,
      day: dayOf('2018-06-01') + i * 5,
      evidence: [],
    });
  });

  return {
    generatorHash: bytesToHex(sha256(utf8ToBytes(`assay-demo/1 seed=${input.seed}`))),
    insert(tx: Tx, importId: string, at: string): number {
      let n = insertAreaReviews(
        tx,
        reviews.map((r) => ({
          id: r.id,
          localAuthorityId: r.laId,
          title: r.title,
          startedOn: isoOf(r.started),
          publishedOn: isoOf(r.published),
          status: 'published',
          summary: r.summary,
          createdAt: stampOf(r.started),
          updatedAt: stampOf(r.published),
          themes: r.themes.map((t) => ({ themeId: t.id, summary: t.summary })),
        })),
      );
      n += insertAttachments(
        tx,
        [...attachments].map(([hash, a]) => ({ hash, mediaType: a.mediaType, bytes: a.bytes, createdAt: at })),
      );
      n += insertEvidence(
        tx,
        evidence.map((e) => ({
          id: e.id,
          kind: e.kind,
          title: e.title,
          reference: e.reference,
          summary: e.summary,
          collectedOn: isoOf(e.collectedOn),
          collectedBy: e.collectedBy,
          sensitivity: e.sensitivity,
          attachmentHash: e.attachment?.hash ?? null,
          attachmentName: e.attachment?.name ?? null,
          verifiedBy: e.verifiedBy,
          verifiedAt: e.verifiedAt,
          areaReviewId: e.reviewId,
          locationId: e.locationId,
          importId,
          publisher: e.cite?.publisher ?? null,
          publishedOn: e.cite?.publishedOn ?? null,
          url: e.cite?.url ?? null,
          accessedOn: e.cite?.url ? ACCESSED_ON : null,
          createdAt: stampOf(e.collectedOn, 17),
          updatedAt: e.verifiedAt ?? stampOf(e.collectedOn, 17),
        })),
      );
      n += insertFindings(
        tx,
        findings.map((f) => ({
          id: f.id,
          subjectType: f.subjectType,
          subjectId: f.subjectId,
          themeId: f.theme,
          judgement: f.judgement,
          status: f.status,
          text: f.text,
          author: f.author,
          inspectionId: f.inspectionId,
          createdAt: stampOf(f.day, 11),
          updatedAt: stampOf(f.day, 11),
        })),
        findings.flatMap((f) => [...new Set(f.evidence)].map((e) => ({ findingId: f.id, evidenceId: e }))),
      );
      return n;
    },
  };
}

