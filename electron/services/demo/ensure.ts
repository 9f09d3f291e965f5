import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createDemoWorkspace } from './create';

/**
 * The demonstration workspace the app opens when started without a file: made as `assay demo` makes it (synthetic
 * England, the figure library and the demonstration reports). Made once, on first run, in the user's own folder;
 * afterwards it is an ordinary workspace the user can change (and delete to start again). Generating it takes a
 * while, which `progress` lets the caller say.
 */
export async function ensureDemoWorkspace(path: string, progress?: (step: string) => void): Promise<string> {
  if (existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  progress?.('Creating the demonstration workspace (this takes a minute, once)…');
  await createDemoWorkspace(path);
  return path;
}
