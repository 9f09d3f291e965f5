import type { Workspace } from '../store/workspace';
import { listLocalAuthorities, allLocations } from '../store/locations';
import { createAssessment, listFrameworks, publishAssessment, setAssessmentStatus, setScores, type AssessmentStatus } from '../store/assessments';
import { STAFF } from './data-names';
import { dayOf, isoOf, stream, type Rng } from './data-random';
import { DEMO_ACTOR, DEMO_DEFAULT_SEED } from './data';

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
        setScores(tx, a.id, { scores: laStatements.map((statementId) => ({ statementId, score: scoreFor(rng, quality) })) });
        const path: AssessmentStatus[] = ['in progress', 'draft report', 'in moderation'];
        for (const s of path) {
          setAssessmentStatus(tx, a.id, s);
          if (s === stage) return;
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
        if (scored.length) setScores(tx, a.id, { scores: scored.map((statementId) => ({ statementId, score: scoreFor(rng, quality) })) });
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
