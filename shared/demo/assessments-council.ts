import type { Tx } from '../store/workspace';
import type { Framework } from '../store/assessments';
import { updateAssessment } from '../store/assessments';
import { saveEvidence, verifyEvidence, type EvidenceInput } from '../store/evidence';
import { councilInWords } from '../document/format';
import { saveFinding } from '../store/findings';

/**
 * What a local authority assessment found, for a few of the demo's published ones (issue 15): under each of the nine
 * quality statements, a strength where the council scored 3 or 4 and an area for improvement where it scored 1 or 2,
 * each citing the evidence it rests on; and a summary. Fixed text, chosen by the stored scores only, so the demo stays
 * deterministic and its random streams are untouched.
 */

/** The evidence gathered for a council's assessment, by the part of CQC's evidence it is; the public sources name their publisher. */
type Source = 'cases' | 'people' | 'self' | 'data';

const SOURCES: Record<Source, (council: string) => Pick<EvidenceInput, 'kind' | 'title' | 'summary' | 'sensitivity' | 'evidenceCategoryId' | 'publisher'>> = {
  cases: (council) => ({
    kind: 'case file',
    title: `Case tracking of people’s care and support in ${council}`,
    summary: 'Six people’s journeys through assessment, care planning, review and safeguarding, followed from their records and discussed with the staff who worked with them.',
    sensitivity: 'official',
    evidenceCategoryId: 'processes',
  }),
  people: (council) => ({
    kind: 'interview',
    title: `Conversations with people who draw on care and support, unpaid carers, staff and partners in ${council}`,
    summary: 'Focus groups and interviews with people who draw on care and support, unpaid carers, frontline staff, leaders and partner organisations.',
    sensitivity: 'official',
    evidenceCategoryId: 'people',
  }),
  self: (council) => ({
    kind: 'document',
    title: `${council}’s self-assessment and information return`,
    summary: 'The local authority’s own assessment of how it meets its Care Act duties, with its policies, strategies and performance reports.',
    sensitivity: 'public',
    publisher: council,
    evidenceCategoryId: 'processes',
  }),
  data: (council) => ({
    kind: 'dataset',
    title: `Adult social care survey and performance data for ${council}`,
    summary: 'The Adult Social Care Outcomes Framework, the adult social care and carers’ surveys, and waiting list data.',
    sensitivity: 'public',
    publisher: 'NHS England',
    evidenceCategoryId: 'outcomes',
  }),
};

/**
 * For each quality statement of the local authority framework: what a strength and an area for improvement say about
 * the council (named where `{council}` stands, so that each council's findings are its own), and what they cite.
 */
const COUNCIL_FINDINGS: Record<string, { cites: [Source] | [Source, Source]; strength: string; concern: string }> = {
  'la-assessing-needs': { cites: ['cases', 'data'], strength: 'In {council}, people’s care and support needs were assessed in good time, and assessments reflected what mattered to them. Unpaid carers were offered an assessment of their own.', concern: 'People in {council} waited too long for a Care Act assessment, some for more than six months, and the council did not always know how their needs had changed while they waited.' },
  'la-healthier-lives': { cites: ['data', 'people'], strength: '{council} helped people stay independent for longer through reablement, equipment and early help that people could find easily.', concern: 'Information and advice about staying well in {council} were hard to find, and fewer people took up reablement than in similar areas.' },
  'la-equity': { cites: ['self'], strength: 'Leaders in {council} understood the local population and acted on differences in access and outcomes, working with community groups to reach people less well served.', concern: '{council} had little data on the experiences of people from ethnic minority groups and of unpaid carers, so it could not show that services met their needs fairly.' },
  'la-continuity': { cites: ['data', 'people'], strength: 'People in {council} had a choice of care and support that met their needs, and moves between hospital, home and care homes were well coordinated.', concern: 'There were not enough home care and nursing home places in parts of {council}, and some people were placed out of area, away from family and friends.' },
  'la-partnerships': { cites: ['people'], strength: 'Partners described strong working relationships with {council}; joint work with health, housing and the voluntary sector improved people’s outcomes.', concern: 'Partnership arrangements in {council} were at an early stage, and the voluntary and community sector did not feel involved in planning services.' },
  'la-safe-systems': { cites: ['cases'], strength: 'Risks were managed well when people in {council} moved between services, including young people moving into adult social care.', concern: 'Young people in {council} moving from children’s to adult services did not always have plans in place in good time, and some moves from hospital were unsafe.' },
  'la-safeguarding': { cites: ['cases', 'data'], strength: 'Safeguarding concerns in {council} were responded to promptly and proportionately, and people were involved in decisions about keeping themselves safe.', concern: '{council} had a backlog of safeguarding enquiries and Deprivation of Liberty Safeguards applications, and could not be sure that risks to people waiting were managed.' },
  'la-governance': { cites: ['self', 'cases'], strength: 'Leaders in {council} had a clear vision for adult social care and good oversight of performance, risks and finances, and they reported openly to elected members.', concern: 'Governance in {council} did not give leaders a clear view of performance and risk, and the quality of social work practice was not checked consistently.' },
  'la-learning': { cites: ['people'], strength: '{council} learned from feedback, complaints and reviews, and made improvements together with people who draw on care and support.', concern: 'In {council}, learning from complaints and safeguarding reviews was not shared widely, and people who draw on care and support had few chances to shape improvements.' },
};

/** "a, b and c". */
function listOf(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/**
 * Writes a local authority assessment's evidence, findings and summary from its scores, before it is published.
 * `collectedOn` is the first site visit; `collectedBy` the lead inspector; `verifiedBy` another of the team, who checked
 * each source.
 */
export function writeCouncilFindings(
  tx: Tx,
  framework: Framework,
  a: { id: string; council: string; councilId: string; collectedOn: string; collectedBy: string; verifiedBy: string; scores: ReadonlyMap<string, number> },
): void {
  const council = councilInWords(a.council);
  const evidence = new Map<Source, string>();
  const cite = (s: Source): string => {
    const known = evidence.get(s);
    if (known) return known;
    const e = saveEvidence(tx, {
      id: `demo-evidence-${s}-${a.councilId}`,
      reference: `LAA-${a.councilId.toUpperCase().slice(0, 12)}-${s.toUpperCase()}`,
      collectedOn: a.collectedOn,
      collectedBy: a.collectedBy,
      assessmentId: a.id,
      ...SOURCES[s](council),
    });
    verifyEvidence(tx, e.id, a.verifiedBy);
    evidence.set(s, e.id);
    return e.id;
  };
  const strengths: string[] = [];
  const improvements: string[] = [];
  for (const g of framework.groups) {
    for (const st of g.statements) {
      const f = COUNCIL_FINDINGS[st.id];
      const score = a.scores.get(st.id);
      if (!f || score === undefined) continue;
      const strength = score >= 3;
      (strength ? strengths : improvements).push(`‘${st.name}’`);
      saveFinding(tx, {
        id: `demo-finding-${a.id}-${st.id}`,
        // Findings have no local authority subject: an assessment's findings belong to it (as the app saves them).
        subjectType: 'national',
        subjectId: null,
        judgement: strength ? 'strength' : 'concern',
        status: 'published',
        text: (strength ? f.strength : f.concern).replaceAll('{council}', council),
        author: a.collectedBy,
        assessmentId: a.id,
        qualityStatementId: st.id,
        evidenceIds: f.cites.map(cite),
      });
    }
  }
  const summary = [
    `We looked at how ${council} works with people, provides support, ensures safety within the system and is led. We spoke with people who draw on care and support, unpaid carers, staff, leaders and partners; we followed people’s care and support through their records; and we read the council’s self-assessment and its performance data.`,
    [
      strengths.length ? `The council did well (a score of 3 or 4) on ${listOf(strengths)}.` : '',
      improvements.length ? `It needs to improve (a score of 1 or 2) on ${listOf(improvements)}.` : '',
    ]
      .filter(Boolean)
      .join(' '),
  ].join('\n\n');
  updateAssessment(tx, a.id, { summary });
}
