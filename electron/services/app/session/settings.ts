import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeAtomic } from '../../workspace-file';
import { cleanName } from '../../../../shared/util/escape';
import { LIMITS } from '../../../../shared/util/limits';
import { AppError } from '../ipc/errors';

/**
 * The user's own settings, kept beside (never inside) workspaces: a workspace travels between colleagues, a user name
 * does not. Parsed on read, so a hand-edited or damaged file falls back to defaults instead of stopping the app.
 */
const SettingsFile = z.object({
  // Cleaned on read too: the file can be edited by hand, and the name goes into every audit entry.
  userName: z
    .string()
    .max(LIMITS.name)
    .transform((s) => cleanName(s) || null)
    .nullable()
    .catch(null),
  recentFiles: z.array(z.string().min(1)).catch([]),
});
export type Settings = z.infer<typeof SettingsFile>;

const DEFAULTS: Settings = { userName: null, recentFiles: [] };
const MAX_RECENT = 10;

export class SettingsStore {
  private data: Settings;
  private writing: Promise<void> = Promise.resolve();
  readonly path: string;

  constructor(readonly folder: string) {
    this.path = join(folder, 'settings.json');
    this.data = SettingsStore.read(this.path);
  }

  private static read(path: string): Settings {
    if (!existsSync(path)) return { ...DEFAULTS };
    try {
      const parsed = SettingsFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      return parsed.success ? parsed.data : { ...DEFAULTS };
    } catch {
      return { ...DEFAULTS };
    }
  }

  get(): Settings {
    return { userName: this.data.userName, recentFiles: [...this.data.recentFiles] };
  }

  get userName(): string | null {
    return this.data.userName;
  }

  /** Terminal escapes, other control characters and bidi overrides are removed: the name is printed by `assay audit`. */
  async setUserName(name: string): Promise<void> {
    const clean = cleanName(name);
    if (!clean) throw new AppError('invalid', 'Your name needs at least one letter or digit.', { name: 'must have a letter or digit' });
    if (clean.length > LIMITS.name) throw new AppError('invalid', `Your name must be at most ${LIMITS.name} characters.`, { name: `must be at most ${LIMITS.name} characters` });
    this.data = { ...this.data, userName: clean };
    await this.persist();
  }

  /** Most recent first, without duplicates. */
  async addRecent(file: string): Promise<void> {
    this.data = { ...this.data, recentFiles: [file, ...this.data.recentFiles.filter((f) => f !== file)].slice(0, MAX_RECENT) };
    await this.persist();
  }

  async clearRecent(): Promise<void> {
    this.data = { ...this.data, recentFiles: [] };
    await this.persist();
  }

  private persist(): Promise<void> {
    // Writes queue so that two quick changes cannot land out of order.
    const snapshot = JSON.stringify(this.data, null, 2);
    const run = async (): Promise<void> => {
      mkdirSync(this.folder, { recursive: true });
      await writeAtomic(this.path, new TextEncoder().encode(snapshot));
    };
    this.writing = this.writing.then(run, run);
    return this.writing;
  }
}
