import { describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../testing/fixtures';
import { confineExportFolder, ExportFolders } from './export-folder';
import { AppError } from '../ipc/errors';

function refusal(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the folder to be refused');
}

describe('confineExportFolder', () => {
  const dir = tempDir('assay-folders-');
  const base = join(dir, 'exports');
  mkdirSync(join(base, 'team'), { recursive: true });
  mkdirSync(join(dir, 'elsewhere'), { recursive: true });
  symlinkSync(join(dir, 'elsewhere'), join(base, 'link-out'));

  it('allows the export folder and folders inside it, by absolute or relative name', () => {
    expect(confineExportFolder(base, base, [])).toBe(base);
    expect(confineExportFolder(join(base, 'team'), base, [])).toBe(join(base, 'team'));
    expect(confineExportFolder('team/2026', base, [])).toBe(join(base, 'team', '2026'));
  });

  it('refuses anywhere else, naming where exports go', () => {
    for (const bad of ['/etc', join(dir, 'elsewhere'), '..', '../elsewhere', 'team/../../elsewhere', `${base}-evil`, '', 'a\0b']) {
      const e = refusal(() => confineExportFolder(bad, base, []));
      expect(e.code).toBe('invalid');
      expect(e.message).toContain(`Exports go into ${base}`);
      expect(e.fields).toEqual({ folder: 'must be inside an export folder' });
    }
  });

  it('refuses a link inside the export folder that leads out of it', () => {
    const e = refusal(() => confineExportFolder(join(base, 'link-out'), base, []));
    expect(e.message).toMatch(/leads out of them through a link/);
    expect(() => confineExportFolder('link-out/deeper', base, [])).toThrow(AppError);
  });
});

describe("Electron's export folders", () => {
  it('allow only the app folder and folders the person picked this session', () => {
    const dir = tempDir('assay-electron-folders-');
    const folders = new ExportFolders(join(dir, 'Assay exports'));
    const picked = join(dir, 'Desktop', 'reports');
    mkdirSync(picked, { recursive: true });
    // The renderer names a folder the person never chose: refused, however real it is.
    expect(() => folders.confine(picked)).toThrow(AppError);
    expect(() => folders.confine('/etc')).toThrow(AppError);
    folders.remember(picked);
    expect(folders.confine(picked)).toBe(picked);
    expect(folders.confine(join(picked, 'march'))).toBe(join(picked, 'march'));
    expect(folders.confine('draft')).toBe(join(dir, 'Assay exports', 'draft'));
    expect(() => folders.confine(join(dir, 'Desktop'))).toThrow(/Exports go into .*Assay exports, .*reports or a folder inside one of them/);
  });
});
