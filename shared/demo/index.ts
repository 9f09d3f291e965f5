import type { Workspace } from '../store/workspace';
import { generateDemoData, type DemoSummary } from './data';
import { addDemoFigures } from './figures';
import { addDemoReports } from './reports';

export { DEMO_DEFAULT_SEED, type DemoSummary } from './data';

/**
 * The whole demonstration workspace, in the order its parts depend on each other: the synthetic data, then the figure
 * library over it, then the reports that quote those figures and cite the evidence.
 */
export async function buildDemo(ws: Workspace, opts: { seed?: number } = {}): Promise<DemoSummary> {
  const summary = await generateDemoData(ws, opts);
  await addDemoFigures(ws);
  await addDemoReports(ws);
  return summary;
}
