import { WorkspaceFile } from '../workspace-file';
import { generateDemoData } from '../../../shared/demo/data';
import { addDemoFigures } from '../../../shared/demo/figures';
import { addDemoReports } from '../../../shared/demo/reports';

/**
 * The demonstration workspace with its figure library and reports, as `assay demo` makes it, for the export tests and
 * the export bench. The reports add any figure they need that the library does not have.
 */
export async function createDemoWorkspace(path: string, opts: { seed?: number } = {}): Promise<void> {
  const wf = await WorkspaceFile.create(path, {
    seed: async (ws) => {
      await generateDemoData(ws, opts.seed === undefined ? {} : { seed: opts.seed });
      await addDemoFigures(ws);
      await addDemoReports(ws);
    },
  });
  await wf.close();
}
