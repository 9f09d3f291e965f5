import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateDemoData } from '../../../shared/demo/data';
import { WorkspaceFile } from '../workspace-file';

/**
 * The demonstration workspace the app opens when started without a file: the same generator as `assay demo`. Made
 * once, on first run, in the user's own folder; afterwards it is an ordinary workspace the user can change (and
 * delete to start again).
 */
export async function ensureDemoWorkspace(path: string, progress?: (step: string) => void): Promise<string> {
  if (existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  progress?.('Creating the demonstration workspace…');
  const wf = await WorkspaceFile.create(path, {
    seed: async (ws) => {
      await generateDemoData(ws);
    },
  });
  await wf.close();
  return path;
}
