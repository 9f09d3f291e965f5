import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { WorkspaceFile } from '../workspace-file';
import { dumpWorkspace, tempDir, withWorkspaceFile } from '../testing/fixtures';
import type { Workspace } from '../../../shared/store/workspace';
import { addRating } from '../../../shared/store/ratings';
import { putAttachment, saveEvidence } from '../../../shared/store/evidence';
import { saveFinding } from '../../../shared/store/findings';
import { importFile } from '../import/index';
import { listConflicts, mergeWorkspaceFiles, resolveMergeConflict } from './index';
import { runCli } from '../../cli/run';
import { nationalHead } from '../import/test-helpers';

const dir = tempDir('assay-merge-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));


/** The first rows of the national file: a few real locations, providers and authorities to hang records on. */
const CQC_HEAD = nationalHead(dir);
const L1 = '1-10000792582'; // 69 Tenter Lane, Doncaster
const EVIDENCE_ID = '0b1f2c3d-0000-4000-8000-000000000001';
const FINDING_ID = '0b1f2c3d-0000-4000-8000-000000000002';
const REVIEW_ID = '0b1f2c3d-0000-4000-8000-000000000003';
const INSPECTION_ID = '0b1f2c3d-0000-4000-8000-000000000004';

async function inspectorWorkspace(path: string): Promise<void> {
  const wf = await WorkspaceFile.create(path, { name: 'Inspector A' });
  await importFile(wf, 'cqc-ratings', CQC_HEAD, { by: 'inspector' });
  const bytes = new TextEncoder().encode('Interview notes: weekend discharge staff unavailable.');
  const hash = createHash('sha256').update(bytes).digest('hex');
  await wf.workspace.write(
    'fieldwork',
    (tx) => {
      tx.run(
        `INSERT INTO inspections(id, location_id, started_on, status, lead_inspector, created_at, updated_at)
         VALUES (?, ?, '2018-03-12', 'completed', 'A. Inspector', ?, ?)`,
        [INSPECTION_ID, L1, tx.at, tx.at],
      );
      addRating(tx, { locationId: L1, keyQuestionId: 'safe', rating: 'Requires improvement', publishedOn: '2018-05-01', inspectionId: INSPECTION_ID });
      tx.run(
        "INSERT INTO area_reviews(id, local_authority_id, title, status, created_at, updated_at) VALUES (?, 'doncaster', 'Doncaster local system review', 'in progress', ?, ?)",
        [REVIEW_ID, tx.at, tx.at],
      );
      tx.run("INSERT INTO area_review_themes(area_review_id, theme_id, summary) VALUES (?, 'step-down', 'Discharge delays at weekends')", [REVIEW_ID]);
      putAttachment(tx, { hash, bytes, mediaType: 'text/plain' });
      saveEvidence(tx, { id: EVIDENCE_ID, kind: 'interview', title: 'Discharge lead', sensitivity: 'official-sensitive', attachmentHash: hash, attachmentName: 'notes.txt', areaReviewId: REVIEW_ID, locationId: L1 });
      saveFinding(tx, { id: FINDING_ID, subjectType: 'area review', subjectId: REVIEW_ID, themeId: 'step-down', judgement: 'concern', text: 'People wait for home care after discharge.', author: 'A. Inspector', evidenceIds: [EVIDENCE_ID] });
    },
    { actor: 'A. Inspector' },
  );
  await wf.close();
}

describe('merging an inspector’s workspace into the editor’s', () => {
  const editor = join(dir, 'editor.assay');
  const inspector = join(dir, 'inspector.assay');

  it('brings in disjoint records with the registration data they need', async () => {
    const wf = await WorkspaceFile.create(editor, { name: 'State of Care' });
    await wf.workspace.write('own', (tx) => saveFinding(tx, { subjectType: 'national', judgement: 'strength', text: 'Quality was broadly maintained.' }), { actor: 'editor' });
    await wf.close();
    await inspectorWorkspace(inspector);

    const r = await mergeWorkspaceFiles(editor, inspector, { actor: 'editor' });
    expect(r.changed).toBe(true);
    expect(r.peerName).toBe('Inspector A');
    expect(r.conflicts).toEqual([]);
    expect(r.tables.findings).toMatchObject({ added: 1, updated: 0, conflicts: 0 });
    expect(r.tables.evidence).toMatchObject({ added: 1 });
    expect(r.tables.finding_evidence).toMatchObject({ added: 1 });
    expect(r.tables.attachments).toMatchObject({ added: 1 });
    expect(r.tables.area_reviews).toMatchObject({ added: 1 });
    expect(r.tables.area_review_themes).toMatchObject({ added: 1 });
    expect(r.tables.inspections).toMatchObject({ added: 1 });
    await withWorkspaceFile(inspector, (src) =>
      withWorkspaceFile(editor, (ws) => {
        expect(r.tables.ratings!.added).toBe(src.value('SELECT count(*) FROM ratings'));
        expect(ws.value('SELECT count(*) FROM findings')).toBe(2);
        expect(ws.get('SELECT rating, inspection_id FROM ratings WHERE location_id = ? AND key_question_id = ?', [L1, 'safe'])).toEqual({ rating: 'Requires improvement', inspection_id: INSPECTION_ID });
        expect(ws.value('SELECT name FROM locations WHERE id = ?', [L1])).toBe('69 Tenter Lane');
        expect(ws.value("SELECT count(*) FROM local_authorities WHERE id = 'doncaster'")).toBe(1);
        expect(new TextDecoder().decode(ws.value<Uint8Array>('SELECT data FROM attachments'))).toContain('weekend discharge');
        expect(ws.get("SELECT kind, file_name, imported_by FROM imports WHERE kind = 'merge'")).toEqual({ kind: 'merge', file_name: 'inspector.assay', imported_by: 'editor' });
        expect(ws.value("SELECT count(*) FROM audit_log WHERE action = 'merge'")).toBe(1);
      }),
    );
  });

  it('adds nothing when the same workspace is merged again', async () => {
    const before = await withWorkspaceFile(editor, (ws) => dumpWorkspace(ws, { skip: ['meta'] }));
    const r = await mergeWorkspaceFiles(editor, inspector);
    expect(r.changed).toBe(false);
    expect(Object.values(r.tables).every((t) => t.added === 0 && t.updated === 0 && t.conflicts === 0)).toBe(true);
    expect(r.tables.findings!.unchanged).toBe(1);
    expect(await withWorkspaceFile(editor, (ws) => dumpWorkspace(ws, { skip: ['meta'] }))).toBe(before);
  });

  it('takes what only the inspector changed and keeps what only the editor changed', async () => {
    await withWorkspaceFile(inspector, (ws) =>
      ws.write('edit', (tx) => saveFinding(tx, { id: FINDING_ID, subjectType: 'area review', subjectId: REVIEW_ID, themeId: 'step-down', judgement: 'concern', text: 'Older people wait weeks for home care after discharge.', author: 'A. Inspector' })),
    );
    await withWorkspaceFile(editor, (ws) => ws.write('edit', (tx) => saveEvidence(tx, { id: EVIDENCE_ID, kind: 'interview', title: 'Discharge lead (verified)', sensitivity: 'official-sensitive', areaReviewId: REVIEW_ID, locationId: L1 })));
    const r = await mergeWorkspaceFiles(editor, inspector);
    expect(r.tables.findings).toMatchObject({ updated: 1, conflicts: 0 });
    expect(r.tables.evidence).toMatchObject({ keptOurs: 1, updated: 0, conflicts: 0 });
    await withWorkspaceFile(editor, (ws) => {
      expect(ws.value('SELECT text FROM findings WHERE id = ?', [FINDING_ID])).toBe('Older people wait weeks for home care after discharge.');
      expect(ws.value('SELECT title FROM evidence WHERE id = ?', [EVIDENCE_ID])).toBe('Discharge lead (verified)');
    });
  });

  it('lists a record changed on both sides as a conflict, keeps ours, and lists it once however often it is merged', async () => {
    await withWorkspaceFile(inspector, (ws) =>
      ws.write('edit', (tx) => saveFinding(tx, { id: FINDING_ID, subjectType: 'area review', subjectId: REVIEW_ID, themeId: 'step-down', judgement: 'concern', text: 'Inspector’s wording.', author: 'A. Inspector' })),
    );
    await withWorkspaceFile(editor, (ws) =>
      ws.write('edit', (tx) => saveFinding(tx, { id: FINDING_ID, subjectType: 'area review', subjectId: REVIEW_ID, themeId: 'step-down', judgement: 'concern', status: 'agreed', text: 'Editor’s wording.', author: 'A. Inspector' })),
    );
    const r = await mergeWorkspaceFiles(editor, inspector);
    expect(r.tables.findings).toMatchObject({ conflicts: 1, updated: 0 });
    expect(r.conflicts).toEqual([expect.objectContaining({ table: 'findings', recordId: FINDING_ID, alreadyListed: false })]);
    const before = await withWorkspaceFile(editor, (ws) => {
      expect(ws.value('SELECT text FROM findings WHERE id = ?', [FINDING_ID])).toBe('Editor’s wording.');
      const c = ws.get<{ ours: string; theirs: string; resolved_at: string | null }>('SELECT ours, theirs, resolved_at FROM merge_conflicts');
      expect(JSON.parse(c!.ours).text).toBe('Editor’s wording.');
      expect(JSON.parse(c!.theirs).text).toBe('Inspector’s wording.');
      expect(c!.resolved_at).toBeNull();
      return dumpWorkspace(ws, { skip: ['meta'] });
    });
    const again = await mergeWorkspaceFiles(editor, inspector);
    expect(again.changed).toBe(false);
    expect(again.conflicts).toEqual([expect.objectContaining({ recordId: FINDING_ID, alreadyListed: true })]);
    expect(await withWorkspaceFile(editor, (ws) => dumpWorkspace(ws, { skip: ['meta'] }))).toBe(before);

    // A person takes theirs; the next merge has nothing to say about it.
    await withWorkspaceFile(editor, async (ws, wf) => {
      const open = listConflicts(ws, { unresolvedOnly: true });
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ table: 'findings', recordId: FINDING_ID, ours: { text: 'Editor’s wording.' }, theirs: { text: 'Inspector’s wording.' }, resolvedAt: null });
      const id = open[0]!.id;
      await resolveMergeConflict(wf, id, 'theirs', 'editor');
      expect(ws.value('SELECT text FROM findings WHERE id = ?', [FINDING_ID])).toBe('Inspector’s wording.');
      expect(listConflicts(ws, { unresolvedOnly: true })).toEqual([]);
      expect(listConflicts(ws)[0]).toMatchObject({ resolution: 'theirs', resolvedBy: 'editor' });
    });
    const settled = await mergeWorkspaceFiles(editor, inspector);
    expect(settled.conflicts).toEqual([]);
    expect(settled.tables.findings).toMatchObject({ unchanged: 1, conflicts: 0 });
  });

  it('merges through the CLI with --json', async () => {
    const out: string[] = [];
    const code = await runCli(['merge', 'editor.assay', 'inspector.assay', '--json'], { out: (t) => out.push(t), err: (t) => out.push(t), progress: () => undefined, cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ peerName: 'Inspector A', changed: false, tables: { findings: { unchanged: 1 } } });
    const bad: string[] = [];
    expect(await runCli(['merge', 'editor.assay', 'editor.assay'], { out: (t) => bad.push(t), err: (t) => bad.push(t), progress: () => undefined, cwd: dir })).toBe(1);
    expect(bad.join('\n')).toContain('is the workspace being merged into');
  });
});

describe('merging copies that have never been merged (no base): the audit history decides', () => {
  const editor = join(dir, 'e2.assay');
  const inspector = join(dir, 'i2.assay');

  it('takes a record only they moved on from our version, keeps one only we moved on, and lists one both changed', async () => {
    const ids = ['a', 'b', 'c'].map((x) => `0c000000-0000-4000-8000-00000000000${x}`);
    const finding = (id: string, text: string) => ({ id, subjectType: 'national' as const, judgement: 'concern' as const, text });
    await withWorkspaceFile(await (async () => {
      await (await WorkspaceFile.create(editor, { name: 'Editor' })).close();
      return editor;
    })(), async (ws, wf) => {
      await ws.write('seed', (tx) => ids.forEach((id) => saveFinding(tx, finding(id, `original ${id}`))));
      await wf.saveCopy(inspector);
    });
    // A hand-out copy gets its own identity, as the app gives it.
    await withWorkspaceFile(inspector, (ws) =>
      ws.write('identity', (tx) => {
        tx.run("UPDATE meta SET value = 'inspector-copy-1' WHERE key = 'workspace_id'");
        saveFinding(tx, finding(ids[0]!, 'inspector changed a'));
        saveFinding(tx, finding(ids[2]!, 'inspector changed c'));
      }),
    );
    await withWorkspaceFile(editor, (ws) =>
      ws.write('edit', (tx) => {
        saveFinding(tx, finding(ids[1]!, 'editor changed b'));
        saveFinding(tx, finding(ids[2]!, 'editor changed c'));
      }),
    );
    const r = await mergeWorkspaceFiles(editor, inspector);
    expect(r.tables.findings).toMatchObject({ updated: 1, keptOurs: 1, conflicts: 1, added: 0 });
    await withWorkspaceFile(editor, (ws) => {
      expect(ws.all('SELECT id, text FROM findings ORDER BY id').map((f) => f.text)).toEqual(['inspector changed a', 'editor changed b', 'editor changed c']);
      expect(ws.value('SELECT record_id FROM merge_conflicts')).toBe(ids[2]);
    });
    // Now there is a base: merging again is quiet.
    const again = await mergeWorkspaceFiles(editor, inspector);
    expect(again.changed).toBe(false);
  });
});

describe('copies saved without a new identity', () => {
  it('never lets a stale copy undo a change already taken from another copy', async () => {
    const editor = join(dir, 'e3.assay');
    const copy1 = join(dir, 'c1.assay');
    const copy2 = join(dir, 'c2.assay');
    const id = '0d000000-0000-4000-8000-000000000001';
    await (await WorkspaceFile.create(editor, { name: 'Editor' })).close();
    await withWorkspaceFile(editor, async (ws, wf) => {
      await ws.write('seed', (tx) => saveFinding(tx, { id, subjectType: 'national', judgement: 'concern', text: 'original' }));
      await wf.saveCopy(copy1);
      await wf.saveCopy(copy2);
    });
    await withWorkspaceFile(copy1, (ws) => ws.write('edit', (tx) => saveFinding(tx, { id, subjectType: 'national', judgement: 'concern', text: 'revised in copy 1' })));
    const r1 = await mergeWorkspaceFiles(editor, copy1);
    expect(r1.sharedIdentity).toBe(true);
    expect(r1.tables.findings).toMatchObject({ updated: 1 });
    const r2 = await mergeWorkspaceFiles(editor, copy2);
    expect(r2.tables.findings).toMatchObject({ keptOurs: 1, updated: 0, conflicts: 0 });
    expect(await withWorkspaceFile(editor, (ws) => ws.value('SELECT text FROM findings WHERE id = ?', [id]))).toBe('revised in copy 1');
    expect(await withWorkspaceFile(editor, (ws) => ws.value('SELECT count(*) FROM merge_bases'))).toBe(0);
  });
});
