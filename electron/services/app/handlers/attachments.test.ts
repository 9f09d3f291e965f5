import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { RequestOutputs } from '../../../../shared/ipc/contract';
import { openTestSession, type TestSession } from '../testing/session';

/** Opening an evidence source's attached file (issue 15): checked against its content hash, then opened or downloaded. */

let t: TestSession | undefined;
afterEach(async () => {
  await t?.session.close();
  t = undefined;
});

const CONTENT = 'Interview notes: the registered manager described the new medicines audit.\n';

async function withAttachment(session: TestSession, name = 'interview-notes.txt'): Promise<string> {
  const r = await session.call<RequestOutputs['evidence.save']>('evidence.save', {
    kind: 'interview',
    title: 'Interview with the registered manager',
    sensitivity: 'official',
    attachment: { name, mediaType: 'text/plain', base64: Buffer.from(CONTENT).toString('base64') },
  });
  return r.id;
}

describe('attachments.open', () => {
  it('in a browser, sends back the file as attached for the page to download', async () => {
    t = await openTestSession();
    const id = await withAttachment(t);
    const r = await t.call<RequestOutputs['attachments.open']>('attachments.open', { evidenceId: id });
    expect(r).toMatchObject({ opened: false, name: 'interview-notes.txt', mediaType: 'text/plain' });
    expect(Buffer.from((r as { base64: string }).base64, 'base64').toString('utf8')).toBe(CONTENT);
  });

  it('in the desktop app, writes a private copy and hands it to the system viewer', async () => {
    t = await openTestSession({ openFiles: true });
    const id = await withAttachment(t);
    expect(await t.call('attachments.open', { evidenceId: id })).toEqual({ opened: true, name: 'interview-notes.txt' });
    expect(t.opened).toHaveLength(1);
    const path = t.opened[0]!;
    expect(basename(path)).toBe('interview-notes.txt');
    expect(readFileSync(path, 'utf8')).toBe(CONTENT);
    // A folder of its own, readable by this user only (on systems with permissions).
    if (process.platform !== 'win32') expect(statSync(dirname(dirname(path))).mode & 0o077).toBe(0);
    // Opening it again makes a second copy rather than writing over a file the viewer may hold open.
    await t.call('attachments.open', { evidenceId: id });
    expect(new Set(t.opened.map((p) => dirname(p))).size).toBe(2);
  });

  it('refuses a file whose content no longer matches its fingerprint, naming it, and opens nothing', async () => {
    t = await openTestSession({ openFiles: true });
    const id = await withAttachment(t);
    // Damage the stored bytes behind Assay's back (as a disk fault or another tool would).
    t.session.ws.db.run('UPDATE attachments SET data = ?', [new TextEncoder().encode(CONTENT.replace('medicines', 'MEDICINES'))]);
    const r = await t.dispatch('attachments.open', { evidenceId: id });
    expect(r).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^The attached file “interview-notes\.txt” is damaged: its content no longer matches/) } });
    expect(t.opened).toEqual([]);
  });

  it('writes a name that came with folders or forbidden characters as a plain file name, and says when there is no file', async () => {
    t = await openTestSession({ openFiles: true });
    const id = await withAttachment(t, '../../etc/notes:final?.txt');
    const r = await t.call<RequestOutputs['attachments.open']>('attachments.open', { evidenceId: id });
    expect(r.name).toBe('notes_final_.txt');
    expect(basename(t.opened[0]!)).toBe('notes_final_.txt');
    const bare = await t.call<RequestOutputs['evidence.save']>('evidence.save', { kind: 'document', title: 'No file', sensitivity: 'public' });
    expect(await t.dispatch('attachments.open', { evidenceId: bare.id })).toMatchObject({ ok: false, error: { message: 'This evidence source has no attached file.' } });
  });
});
