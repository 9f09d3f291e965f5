import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { AppError } from '../ipc/errors';
import { isInside } from '../../http/static';

/**
 * Where a renderer may ask an export to be written. A page (Electron's or the browser's) names a folder in its request;
 * it must not be able to name any folder on the machine. Both hosts allow the same things: the host's own export
 * folder, folders the person chose themselves (in Electron's native dialog, this session), and folders inside those.
 */

/** The path with every existing part's symbolic links followed, so a link inside an allowed folder cannot lead out. */
function realPath(path: string): string {
  let existing = path;
  while (!existsSync(existing)) {
    const up = dirname(existing);
    if (up === existing) return path;
    existing = up;
  }
  try {
    return join(realpathSync(existing), relative(existing, path));
  } catch {
    return path;
  }
}

/**
 * The folder `requested` names, if it lies inside one of `roots` (a relative name is read from `base`, the first place
 * exports go); otherwise an 'invalid' AppError that says where exports may go. Nothing is created.
 */
export function confineExportFolder(requested: string, base: string, roots: readonly string[]): string {
  const allowed = [resolve(base), ...roots.map((r) => resolve(r))];
  const refuse = (why: string): never => {
    const where = allowed.length === 1 ? `${allowed[0]} or a folder inside it` : `${allowed.join(', ')} or a folder inside one of them`;
    throw new AppError('invalid', `Exports go into ${where}; ${why}.`, { folder: 'must be inside an export folder' });
  };
  if (requested.trim() === '') refuse('no folder was named');
  if (requested.includes('\0')) refuse('the folder name contains a NUL character');
  const folder = isAbsolute(requested) ? resolve(requested) : resolve(allowed[0]!, requested);
  const root = allowed.find((r) => isInside(r, folder));
  if (!root) refuse(`"${requested}" is not one of them`);
  if (!isInside(realPath(root!), realPath(folder))) refuse(`"${requested}" leads out of them through a link`);
  return folder;
}

/**
 * Electron's export folders: the app's own, and each folder the person picks in the native dialog during this
 * session. The renderer can ask for those (or folders inside them) again without a dialog, and for nothing else.
 */
export class ExportFolders {
  private readonly picked = new Set<string>();

  constructor(readonly base: string) {}

  /** A folder the person chose in a native dialog. */
  remember(folder: string): void {
    this.picked.add(resolve(folder));
  }

  confine(requested: string): string {
    return confineExportFolder(requested, this.base, [...this.picked]);
  }
}
