import type { Workspace } from '../store/workspace';
import { generateDemoData, type DemoSummary } from './data';
import { addDemoFigures } from './figures';
import { addDemoReports } from './reports';
import { addDemoAssessments } from './assessments';

export { DEMO_DEFAULT_SEED, type DemoSummary } from './data';

/**
 * The whole demonstration workspace, in the order its parts depend on each other: the synthetic data, the assessments
 * under CQC's current frameworks, then the figure library over them, then the reports that quote those figures and cite the evidence.
 */
export async function buildDemo(ws: Workspace, opts: { seed?: number } = {}): Promise<DemoSummary> {
  const summary = await generateDemoData(ws, opts);
  const assessed = await addDemoAssessments(ws, opts);
  summary.counts.localAuthorityAssessments = assessed.localAuthorityAssessments;
  summary.counts.localAuthorityAssessmentsPublished = assessed.published;
  summary.counts.inspectionsUnderTheAssessmentFramework = assessed.inspections;
  await addDemoFigures(ws);
  await addDemoReports(ws);
  return summary;
}
