import { WorkspaceFile } from '../workspace-file';
import { buildDemo, type DemoSummary } from '../../../shared/demo';
import { sharedFigureEngine } from '../../../shared/figures';

/**
 * Creates the demonstration workspace file with its data, figure library and reports: what `assay demo` writes, what
 * the app opens when started without a file, and what the export tests and bench run on.
 */
export async function createDemoWorkspace(path: string, opts: { seed?: number } = {}): Promise<DemoSummary> {
  let summary: DemoSummary | undefined;
  const wf = await WorkspaceFile.create(path, {
    seed: async (ws) => {
      summary = await buildDemo(ws, opts.seed === undefined ? {} : { seed: opts.seed });
      // The file is written with its figure index, so the first open computes figures without reading every rating.
      sharedFigureEngine(ws).prepare();
    },
  });
  await wf.close();
  return summary!;
}
