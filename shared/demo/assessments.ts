import type { Workspace } from '../store/workspace';
import { listLocalAuthorities, allLocations } from '../store/locations';
import { createAssessment, listFrameworks, publishAssessment, setAssessmentStatus, setScores, updateAssessment, type AssessmentStatus } from '../store/assessments';
import { saveEvidence } from '../store/evidence';
import { saveFinding } from '../store/findings';
import { STAFF } from './data-names';
import { dayOf, isoOf, longDate, stream, type Rng } from './data-random';
import { DEMO_ACTOR, DEMO_DEFAULT_SEED } from './data';
import { writeCouncilFindings } from './assessments-council';

/**
 * The demonstration workspace's assessments under CQC's current frameworks (issue 15): every local authority's
 * assessment of its Care Act duties (nine quality statements, scored 1 to 4, the overall rating following the
 * framework's rules), most published between April 2024 and October 2025 and a few still in progress or in
 * moderation; and a few dozen care home inspections under the single assessment framework at each stage before
 * publication (planned, in progress, draft report, in moderation), so that their draft ratings are seen and never
 * counted. Synthetic, like the rest of the demo: a fixed seed gives the same assessments every time.
 */

const LA_KIND = 'Local authority assessment';
const INSPECTION_KIND = 'Comprehensive inspection';
/** Local authorities whose assessment is not yet published, in order from the end of the list: their stage. */
const LA_UNPUBLISHED: readonly AssessmentStatus[] = ['in moderation', 'in moderation', 'draft report', 'draft report', 'in progress', 'planned'];
const INSPECTION_STAGES: readonly AssessmentStatus[] = ['planned', 'in progress', 'draft report', 'in moderation'];
const INSPECTIONS = 32;
/** Every so many councils (in id order), a published assessment is given its findings and summary (assessments-council.ts). */
const COUNCILS_WITH_FINDINGS = { every: 18, from: 9 };

/**
 * What an inspection found under each key question, as an inspector writes it: a concern about one quality statement
 * where the inspection scored it 1 or 2, a strength about another where it scored 3 or 4. Each cites the evidence it
 * rests on.
 */
const FINDINGS: Record<string, { concern: [statement: string, text: string]; strength: [statement: string, text: string]; evidence: 'observation' | 'records' }> = {
  safe: {
    concern: ['saf-medicines', 'Medicines were not always managed safely: administration records had gaps, and two staff giving medicines had not been assessed as competent.'],
    strength: ['saf-involving-people-risks', 'People were protected from avoidable harm. Risks were assessed with them and their families and reviewed when their needs changed.'],
    evidence: 'records',
  },
  effective: {
    concern: ['saf-evidence-based-care', 'Not all staff had completed training in supporting people living with dementia, and it showed in how some distress was handled.'],
    strength: ['saf-assessing-needs', 'People’s needs were assessed with them before they moved in, and their care followed current guidance on nutrition and falls.'],
    evidence: 'records',
  },
  caring: {
    concern: ['saf-independence', 'People were not always offered a choice about when they got up or went to bed; routines suited the rota more than the person.'],
    strength: ['saf-kindness', 'Staff were kind and patient. People told us they were treated with dignity, and relatives felt welcome at any time.'],
    evidence: 'observation',
  },
  responsive: {
    concern: ['saf-listening', 'Complaints were recorded but not always investigated or answered, so people could not see what had changed as a result.'],
    strength: ['saf-person-centred', 'Care plans reflected people’s preferences and histories and were reviewed with them every month.'],
    evidence: 'observation',
  },
  'well-led': {
    concern: ['saf-governance', 'The provider’s audits had not identified the shortfalls we found in medicines records and complaints handling.'],
    strength: ['saf-leaders', 'Leaders were visible and approachable; staff said they felt supported and able to raise concerns.'],
    evidence: 'observation',
  },
};

/** A score of 1 to 4 around a local authority's underlying quality (most score 2 or 3, as CQC's published results do). */
function scoreFor(rng: Rng, quality: number): number {
  const x = 2.65 + 0.5 * quality + 0.4 * rng.normal();
  return Math.max(1, Math.min(4, Math.round(x)));
}

function team(rng: Rng, size: number): { name: string; role: string }[] {
  const names = new Set<string>();
  while (names.size < size) names.add(rng.pick(STAFF));
  return [...names].map((name, i) => ({ name, role: i === 0 ? 'Lead inspector' : i === 1 ? 'Inspector' : 'Specialist adviser' }));
}

export interface DemoAssessmentSummary {
  localAuthorityAssessments: number;
  published: number;
  inspections: number;
}

/** Adds the demo's assessments in one write. Run once, after the demo data (it needs the local authorities and care homes). */
export async function addDemoAssessments(ws: Workspace, opts: { seed?: number } = {}): Promise<DemoAssessmentSummary> {
  const seed = (opts.seed ?? DEMO_DEFAULT_SEED) >>> 0;
  const rng = stream(seed, 'assessments');
  const frameworks = listFrameworks(ws);
  const la = frameworks.find((f) => f.id === 'cqc-la');
  const saf = frameworks.find((f) => f.id === 'cqc-saf');
  if (!la || !saf) throw new Error('the workspace has no CQC assessment frameworks (migration 8 seeds them)');
  const laStatements = la.groups.flatMap((g) => g.statements.map((s) => s.id));
  const safStatements = saf.groups.flatMap((g) => g.statements.map((s) => s.id));
  const authorities = listLocalAuthorities(ws).sort((a, b) => (a.id < b.id ? -1 : 1));
  const careHomes = allLocations(ws)
    .filter((l) => l.sectorId === 'asc' && l.careHome && !l.deregisteredOn)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const summary: DemoAssessmentSummary = { localAuthorityAssessments: 0, published: 0, inspections: 0 };
  const first = dayOf('2024-04-01');
  const last = dayOf('2025-10-31');

  await ws.write(
    'demo.assessments',
    (tx) => {
      authorities.forEach((auth, i) => {
        const fromEnd = authorities.length - 1 - i;
        const stage: AssessmentStatus = fromEnd < LA_UNPUBLISHED.length ? LA_UNPUBLISHED[fromEnd]! : 'published';
        // Published ones spread over the programme; the unpublished are the latest visited.
        const published = stage === 'published' ? first + Math.floor(((last - first) * i) / Math.max(1, authorities.length - LA_UNPUBLISHED.length)) : last + 20;
        const visit = published - 60 - rng.int(30);
        const members = team(rng, 3);
        const a = createAssessment(tx, {
          id: `demo-la-assessment-${auth.id}`,
          subjectType: 'local authority',
          subjectId: auth.id,
          kind: LA_KIND,
          title: `${auth.name}: local authority assessment`,
          siteVisits: [isoOf(visit), isoOf(visit + 1 + rng.int(3))],
          team: members,
          leadInspector: members[0]!.name,
        });
        summary.localAuthorityAssessments++;
        if (stage === 'planned') return;
        const quality = rng.normal();
        const scores = laStatements.map((statementId) => ({ statementId, score: scoreFor(rng, quality) }));
        setScores(tx, a.id, { scores });
        const path: AssessmentStatus[] = ['in progress', 'draft report', 'in moderation'];
        for (const s of path) {
          setAssessmentStatus(tx, a.id, s);
          if (s === stage) return;
        }
        // A few published ones come with their findings and summary, written (as a team does) before publication.
        if (i % COUNCILS_WITH_FINDINGS.every === COUNCILS_WITH_FINDINGS.from) {
          writeCouncilFindings(tx, la, {
            id: a.id,
            council: auth.name,
            councilId: auth.id,
            collectedOn: isoOf(visit),
            collectedBy: members[0]!.name,
            verifiedBy: members[1]!.name,
            scores: new Map(scores.map((s) => [s.statementId, s.score])),
          });
        }
        publishAssessment(tx, a.id, isoOf(published));
        summary.published++;
      });
      // Care home inspections under the single assessment framework, none yet published.
      for (let k = 0; k < Math.min(INSPECTIONS, careHomes.length); k++) {
        const home = careHomes[Math.floor((k * careHomes.length) / INSPECTIONS)]!;
        const stage = INSPECTION_STAGES[k % INSPECTION_STAGES.length]!;
        const visit = dayOf('2025-09-01') + rng.int(70);
        const members = team(rng, 2);
        const a = createAssessment(tx, {
          id: `demo-inspection-${home.id}`,
          subjectType: 'location',
          subjectId: home.id,
          kind: INSPECTION_KIND,
          title: `${home.name}: inspection`,
          siteVisits: stage === 'planned' ? [isoOf(dayOf('2025-12-01') + rng.int(40))] : [isoOf(visit)],
          team: members,
          leadInspector: members[0]!.name,
        });
        summary.inspections++;
        if (stage === 'planned') continue;
        const quality = rng.normal();
        // An inspection in progress has scored some statements; later stages all of them.
        const scored = stage === 'in progress' ? safStatements.filter(() => rng.chance(0.5)) : safStatements;
        const scores = scored.map((statementId) => ({ statementId, score: scoreFor(rng, quality) }));
        if (scores.length) setScores(tx, a.id, { scores });
        // From the draft report on, the findings are written, citing the evidence collected on the visit.
        if (stage === 'draft report' || stage === 'in moderation') {
          const day = isoOf(visit);
          const observation = saveEvidence(tx, {
            id: `demo-evidence-observation-${home.id}`,
            kind: 'observation',
            title: `Observation of care at ${home.name}, ${longDate(visit)}`,
            summary: 'Short observational framework for inspection (SOFI) notes from the lounge and dining room over lunch, and a walk round with the registered manager.',
            collectedOn: day,
            collectedBy: members[0]!.name,
            sensitivity: 'official',
            locationId: home.id,
            assessmentId: a.id,
            evidenceCategoryId: 'observation',
          });
          const records = saveEvidence(tx, {
            id: `demo-evidence-records-${home.id}`,
            kind: 'document',
            title: `Care and medicines records sampled at ${home.name}`,
            summary: 'Eight care plans, four weeks of medicines administration records and the training matrix, sampled on the visit.',
            collectedOn: day,
            collectedBy: members[1]?.name ?? members[0]!.name,
            sensitivity: 'official-sensitive',
            locationId: home.id,
            assessmentId: a.id,
            evidenceCategoryId: 'processes',
          });
          const scoreOf = new Map(scores.map((x) => [x.statementId, x.score]));
          const found: { kq: string; judgement: 'concern' | 'strength' }[] = [];
          for (const g of saf.groups) {
            const f = g.keyQuestionId ? FINDINGS[g.keyQuestionId] : undefined;
            if (!f) continue;
            const written: ['concern' | 'strength', string, string][] = [];
            if ((scoreOf.get(f.concern[0]) ?? 3) <= 2) written.push(['concern', ...f.concern]);
            if ((scoreOf.get(f.strength[0]) ?? 0) >= 3) written.push(['strength', ...f.strength]);
            for (const [judgement, statementId, text] of written) {
              found.push({ kq: g.name, judgement });
              saveFinding(tx, {
                subjectType: 'location',
                subjectId: home.id,
                judgement,
                text,
                author: members[0]!.name,
                assessmentId: a.id,
                keyQuestionId: g.keyQuestionId,
                qualityStatementId: statementId,
                evidenceIds: [f.evidence === 'records' ? records.id : observation.id],
              });
            }
          }
          const list = (j: 'concern' | 'strength') => {
            const kqs = found.filter((x) => x.judgement === j).map((x) => x.kq.toLowerCase());
            return kqs.length <= 1 ? (kqs[0] ?? '') : `${kqs.slice(0, -1).join(', ')} and ${kqs[kqs.length - 1]}`;
          };
          const summary = [
            `We visited ${home.name} because it was due a comprehensive inspection under the single assessment framework. We spoke with people living there, their relatives and staff, observed care, and sampled records.`,
            [list('strength') && `We found good practice in how the service was ${list('strength')}.`, list('concern') && `We had concerns about whether it was ${list('concern')}.`].filter(Boolean).join(' '),
          ]
            .filter(Boolean)
            .join('\n\n');
          updateAssessment(tx, a.id, { summary });
        }
        for (const s of ['in progress', 'draft report', 'in moderation'] as const) {
          setAssessmentStatus(tx, a.id, s);
          if (s === stage) break;
        }
      }
    },
    { unjournaled: true, actor: DEMO_ACTOR },
  );
  return summary;
}
