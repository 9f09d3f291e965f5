import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { RequestOutputs } from '../../../../shared/ipc/contract';
import { saveFinding } from '../../../../shared/store/findings';
import { withWorkspaceFile } from '../../testing/fixtures';
import { importFilesOf } from '../files/import-files';
import { openTestSession, type TestSession } from '../testing/session';

/**
 * The app's side of issue 15's hand-over (File › Export for inspector… and File › Bring in a workspace…), through the
 * handlers both hosts share: the inspector's workspace made into the export folder, brought back by upload (the
 * loopback host) or by the open dialog (Electron), previewed without writing, merged, its conflict resolved.
 */

let t: TestSession | undefined;
afterEach(async () => {
  await t?.session.close();
  t = undefined;
});

async function withAssignment(s: TestSession): Promise<{ assessmentId: string; findingId: string }> {
  const a = await s.call<RequestOutputs['assessments.create']>('assessments.create', {
    subjectType: 'location',
    subjectId: '1-200',
    kind: 'Comprehensive inspection',
    siteVisits: ['2025-06-02'],
    leadInspector: 'Aisha Okafor',
    team: [{ name: 'Aisha Okafor', role: 'Lead inspector' }, { name: 'Owen Grimshaw' }],
  });
  const f = await s.call<RequestOutputs['findings.save']>('findings.save', {
    subjectType: 'location',
    subjectId: '1-200',
    judgement: 'concern',
    text: 'Call bells were not answered promptly at night.',
    assessmentId: a.id,
    keyQuestionId: 'safe',
  });
  return { assessmentId: a.id, findingId: f.id };
}

const rewrite = (findingId: string, assessmentId: string, text: string, author: string) => (tx: Parameters<typeof saveFinding>[0]) =>
  saveFinding(tx, { id: findingId, subjectType: 'location', subjectId: '1-200', judgement: 'concern', text, author, assessmentId, keyQuestionId: 'safe' });

describe('Export for inspector, then Bring in a workspace', () => {
  it('lists the inspectors with their assignments, makes their workspace, and brings it back with one conflict to resolve', async () => {
    t = await openTestSession();
    const { assessmentId, findingId } = await withAssignment(t);

    const options = await t.call<RequestOutputs['inspectorPack.options']>('inspectorPack.options');
    expect(options.inspectors.map((i) => i.name)).toEqual(['Aisha Okafor', 'Owen Grimshaw']);
    expect(options.inspectors[0]!.assignments.map((a) => a.id)).toEqual([assessmentId]);

    const made = await t.call<RequestOutputs['inspectorPack.export']>('inspectorPack.export', { inspector: 'Aisha Okafor', clearance: 'official' });
    expect(made.message).toMatch(/^Made Aisha Okafor – fieldwork \d{4}-\d{2}-\d{2}\.assay for Aisha Okafor: 1 assessment\.$/);
    expect(existsSync(made.path)).toBe(true);

    // The inspector rewrites the finding in their workspace; the editor, meanwhile, in this one.
    await withWorkspaceFile(made.path, (ws) => ws.write('fieldwork', rewrite(findingId, assessmentId, 'Call bells rang for up to 14 minutes at night.', t!.session.actor()), { actor: 'Aisha Okafor' }));
    await t.call('findings.save', { id: findingId, subjectType: 'location', subjectId: '1-200', judgement: 'concern', text: 'Call bells were not always answered promptly at night.', assessmentId, keyQuestionId: 'safe' });

    // The loopback host: the page uploads the file, then opens it by handle. The preview writes nothing.
    const upload = importFilesOf(t.session).add(basename(made.path), new Uint8Array(readFileSync(made.path))).handle;
    const before = await t.call<RequestOutputs['workspace.info']>('workspace.info');
    const preview = await t.call<RequestOutputs['merge.open']>('merge.open', { upload });
    expect(preview).toMatchObject({ fileName: basename(made.path), peerName: expect.stringContaining('Aisha Okafor'), conflicts: 1, changed: true });
    expect(preview!.message).toMatch(/^Bringing in .* would make 0 records to add, 0 records to update; 1 record changed on both sides will be listed for you to resolve\. Nothing has been changed yet\.$/);
    expect(preview!.tables).toEqual([expect.objectContaining({ label: 'Findings', conflicts: 1 })]);
    expect((await t.call<RequestOutputs['workspace.info']>('workspace.info')).counts).toEqual(before.counts);
    expect((await t.call<RequestOutputs['merge.conflicts']>('merge.conflicts')).rows).toEqual([]);

    const done = await t.call<RequestOutputs['merge.run']>('merge.run', { handle: preview!.handle });
    expect(done.message).toMatch(/^Brought in .*: 0 records added, 0 records updated; 1 record changed on both sides listed for you to resolve\.$/);
    expect(done.importId).toEqual(expect.any(String));
    // The handle is let go once used.
    expect(await t.dispatch('merge.run', { handle: preview!.handle })).toMatchObject({ ok: false, error: { code: 'not-found' } });

    const [c] = (await t.call<RequestOutputs['merge.conflicts']>('merge.conflicts')).rows;
    expect(c).toMatchObject({ label: 'Finding', describe: '“Call bells were not always answered promptly at night.”', peerName: expect.stringContaining('Aisha Okafor'), deletedHere: false });
    expect(c!.fields.filter((f) => f.differs)).toEqual([
      { name: 'text', label: 'Text', ours: 'Call bells were not always answered promptly at night.', theirs: 'Call bells rang for up to 14 minutes at night.', differs: true, editable: true },
    ]);
    expect(await t.dispatch('merge.resolve', { id: c!.id, choice: 'edit' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await t.call('merge.resolve', { id: c!.id, choice: 'theirs' })).toEqual({ id: c!.id, resolution: 'theirs' });
    expect((await t.call<RequestOutputs['merge.conflicts']>('merge.conflicts')).rows).toEqual([]);
    const all = (await t.call<RequestOutputs['merge.conflicts']>('merge.conflicts', { includeResolved: true })).rows;
    expect(all).toEqual([expect.objectContaining({ resolution: 'theirs', resolvedBy: expect.any(String) })]);
    const text = t.session.ws.value('SELECT text FROM findings WHERE id = ?', [findingId]);
    expect(text).toBe('Call bells rang for up to 14 minutes at night.');
  });

  it('in the desktop app, opens the workspace its dialog gives; a cancelled dialog changes nothing; a file that is not a workspace is refused by name', async () => {
    let pick: string | null = null;
    t = await openTestSession({ pickWorkspace: () => pick });
    expect(await t.call('merge.open')).toBeNull();
    pick = t.path;
    expect(await t.dispatch('merge.open', {})).toMatchObject({ ok: false, error: { message: expect.stringMatching(/is the workspace being merged into/) } });
    const { writeFileSync } = await import('node:fs');
    pick = `${t.dir}/notes.assay`;
    writeFileSync(pick, 'These are not the droids you are looking for.');
    const r = await t.dispatch('merge.open', {});
    expect(r).toMatchObject({ ok: false, error: { message: expect.stringContaining('notes.assay') } });
  });

  it('refuses an uploaded file that is not a workspace, naming the file as the person chose it, and holds nothing', async () => {
    t = await openTestSession();
    const upload = importFilesOf(t.session).add('Aisha’s fieldwork.assay', new TextEncoder().encode('SQLite format 3\u0000 but not really')).handle;
    const r = await t.dispatch('merge.open', { upload });
    expect(r).toMatchObject({ ok: false, error: { message: expect.stringContaining('Aisha’s fieldwork.assay') } });
    expect(await t.dispatch('merge.run', { handle: upload })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('refuses to make a workspace for an inspector with nothing chosen, naming why', async () => {
    t = await openTestSession();
    expect(await t.dispatch('inspectorPack.export', { inspector: 'Nobody Atall' })).toMatchObject({ ok: false, error: { message: 'Nobody Atall has no assessments to do: choose the assessments to hand over.' } });
    expect(await t.dispatch('inspectorPack.export', { inspector: '' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
