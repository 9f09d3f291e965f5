import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../testing/fixtures';
import { SettingsStore } from './settings';
import { requests } from '../../../../shared/ipc/contract';
import { AppError } from '../ipc/errors';

describe('the user name in settings', () => {
  it('loses terminal escapes, controls and bidi overrides when set, and is refused when nothing is left', async () => {
    const dir = tempDir('assay-settings-');
    const s = new SettingsStore(dir);
    await s.setUserName('Priya\u001b[2J\u001b]0;owned\u0007 \u202eShah\u009b');
    expect(s.userName).toBe('Priya[2J]0;owned Shah');
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).userName).toBe('Priya[2J]0;owned Shah');
    await expect(s.setUserName('\u001b\u0007\u202e')).rejects.toBeInstanceOf(AppError);
    expect(s.userName).toBe('Priya[2J]0;owned Shah');
    // The request schema cleans it too, and says why an all-control name is refused.
    expect(requests['settings.setUserName'].parse({ name: ' Ann\u001b[31m ' })).toEqual({ name: 'Ann[31m' });
    const r = requests['settings.setUserName'].safeParse({ name: '\u001b\u0007' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe('must have a letter or digit once control characters are removed');
  });

  it('read from a hand-edited file, is cleaned as well', () => {
    const dir = tempDir('assay-settings-');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ userName: 'Mallory\u001b[2J\u202e', recentFiles: [] }));
    expect(new SettingsStore(dir).userName).toBe('Mallory[2J');
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ userName: '\u001b\u001b', recentFiles: [] }));
    expect(new SettingsStore(dir).userName).toBeNull();
  });
});
