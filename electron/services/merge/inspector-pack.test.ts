import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { WorkspaceFile } from '../workspace-file';
import { tempDir, withWorkspaceFile } from '../testing/fixtures';
import type { Workspace } from '../../../shared/store/workspace';
import { saveEvidence } from '../../../shared/store/evidence';
import { saveFinding } from '../../../shared/store/findings';
import { createAssessment, setAssessmentStatus, setScores } from '../../../shared/store/assessments';
import { importFile } from '../import/index';
import { editableColumns, exportForInspector, listConflicts, mergeIntoOpenWorkspace, resolveMergeConflict } from './index';
import { nationalHead } from '../import/test-helpers';

/**
 * Issue 15: an editor hands an inspector a workspace for their assignments ("Export for inspector"), the inspector
 * works in it offline, and the editor brings it back in ("Bring in a workspace"): a preview that writes nothing, what
 * only one side changed settled by itself, what both changed listed as a conflict and settled by a person (keep ours,
 * take theirs, or an edited record), restricted evidence never handed over and never lost.
 */

const dir = tempDir('assay-pack-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CQC_HEAD = nationalHead(dir);
const L1 = '1-10000792582'; // 69 Tenter Lane, Doncaster
const A1 = 'a1000000-0000-4000-8000-000000000001';
const A2 = 'a1000000-0000-4000-8000-000000000002';
const F1 = 'f1000000-0000-4000-8000-000000000001';
const EV_OFFICIAL = 'e1000000-0000-4000-8000-000000000001';
const EV_PERSONAL = 'e1000000-0000-4000-8000-000000000002';

const editorPath = join(dir, 'editor.assay');
const packPath = join(dir, 'aisha.assay');


const finding = (text: string) => ({
  id: F1,
  subjectType: 'location' as const,
  subjectId: L1,
  judgement: 'concern' as const,
  text,
  author: 'Aisha Okafor',
  assessmentId: A1,
  keyQuestionId: 'safe',
  qualityStatementId: 'saf-safe-systems',
  evidenceIds: [EV_OFFICIAL, EV_PERSONAL],
});

beforeAll(async () => {
  const wf = await WorkspaceFile.create(editorPath, { name: 'State of Care' });
  await importFile(wf, 'cqc-ratings', CQC_HEAD, { by: 'editor' });
  await wf.workspace.write(
    'plan',
    (tx) => {
      createAssessment(tx, { id: A1, subjectType: 'location', subjectId: L1, kind: 'Comprehensive inspection', siteVisits: ['2025-06-02'], leadInspector: 'Aisha Okafor', team: [{ name: 'Aisha Okafor', role: 'Lead inspector' }] });
      setAssessmentStatus(tx, A1, 'in progress');
      createAssessment(tx, { id: A2, subjectType: 'local authority', subjectId: 'doncaster', kind: 'Local authority assessment', leadInspector: 'Owen Grimshaw' });
      saveEvidence(tx, { id: EV_OFFICIAL, kind: 'observation', title: 'Medicines round observed', sensitivity: 'official', locationId: L1, assessmentId: A1 });
      saveEvidence(tx, { id: EV_PERSONAL, kind: 'case file', title: 'Care records of a resident', sensitivity: 'personal', locationId: L1, assessmentId: A1 });
      saveFinding(tx, finding('Medicines were not always given on time.'));
    },
    { actor: 'editor' },
  );
  await wf.close();
}, 120_000);

describe('Export for inspector', () => {
  it('hands over the assignments, the register and the framework, and withholds what the inspector is not cleared for', async () => {
    const r = await withWorkspaceFile(editorPath, (_ws, wf) => exportForInspector(wf, packPath, { inspector: 'Aisha Okafor', actor: 'editor' }));
    expect(r.assignments.map((a) => a.id)).toEqual([A1]);
    expect(r.withheld).toEqual({ personal: 1 });
    await withWorkspaceFile(editorPath, (ed) =>
      withWorkspaceFile(packPath, (ws) => {
        expect(ws.metaValue('name')).toBe('Aisha Okafor – fieldwork from State of Care');
        expect(ws.metaValue('workspace_id')).not.toBe(ed.metaValue('workspace_id'));
        expect(ws.value('SELECT count(*) FROM locations')).toBe(ed.value('SELECT count(*) FROM locations'));
        expect(ws.value('SELECT count(*) FROM quality_statements')).toBe(ed.value('SELECT count(*) FROM quality_statements'));
        expect(ws.all('SELECT id FROM assessments')).toEqual([{ id: A1 }]);
        expect(ws.value('SELECT count(*) FROM ratings')).toBe(ed.value('SELECT count(*) FROM ratings WHERE location_id = ?', [L1]));
        expect(ws.all('SELECT id FROM evidence')).toEqual([{ id: EV_OFFICIAL }]);
        expect(ws.all('SELECT evidence_id FROM finding_evidence')).toEqual([{ evidence_id: EV_OFFICIAL }]);
        expect(ws.value('SELECT count(*) FROM reports')).toBe(0);
        expect(ws.value('SELECT count(*) FROM figures')).toBe(0);
        // Every record handed over is filed as agreed with the editor's workspace, for the way back.
        expect(ws.value('SELECT count(*) FROM merge_bases WHERE peer_workspace_id = ? AND table_name = ?', [ed.metaValue('workspace_id')!, 'findings'])).toBe(1);
      }),
    );
  });

  it('refuses to write over a file, and names an inspector with nothing to do', async () => {
    await expect(withWorkspaceFile(editorPath, (_ws, wf) => exportForInspector(wf, packPath, { inspector: 'Aisha Okafor' }))).rejects.toThrow(/already exists/);
    const other = join(dir, 'nobody.assay');
    await expect(withWorkspaceFile(editorPath, (_ws, wf) => exportForInspector(wf, other, { inspector: 'Nobody Atall' }))).rejects.toThrow(/Nobody Atall has no assessments to do/);
    expect(existsSync(other)).toBe(false);
  });
});

describe('Bringing the inspector’s workspace back in', () => {
  beforeAll(async () => {
    // The inspector scores, rewrites the finding and moves the assessment on; the editor corrects the same finding.
    await withWorkspaceFile(packPath, (ws) =>
      ws.write(
        'fieldwork',
        (tx) => {
          setScores(tx, A1, { scores: [{ statementId: 'saf-safe-systems', score: 2 }] });
          saveFinding(tx, { ...finding('Medicines were given late on four of the seven days we looked at.'), evidenceIds: [EV_OFFICIAL] });
          saveFinding(tx, { subjectType: 'location', subjectId: L1, judgement: 'strength', text: 'Staff knew people well.', assessmentId: A1, keyQuestionId: 'caring' });
          setAssessmentStatus(tx, A1, 'draft report');
        },
        { actor: 'Aisha Okafor' },
      ),
    );
    await withWorkspaceFile(editorPath, (ws) => ws.write('edit', (tx) => saveFinding(tx, finding('Medicines were not always given on time (see the MAR charts).')), { actor: 'editor' }));
  });

  it('previews what would be added, updated and in conflict, and writes nothing', async () => {
    const before = readFileSync(editorPath);
    const r = await withWorkspaceFile(editorPath, (_ws, wf) => mergeIntoOpenWorkspace(wf, packPath, { actor: 'editor', dryRun: true }));
    expect(r.changed).toBe(true);
    expect(r.importId).toBeNull();
    expect(r.tables.assessments).toMatchObject({ updated: 1, conflicts: 0 });
    expect(r.tables.assessment_scores).toMatchObject({ added: 1 });
    expect(r.tables.findings).toMatchObject({ added: 1, conflicts: 1 });
    expect(r.tables.evidence).toMatchObject({ unchanged: 1, added: 0 });
    expect(r.conflicts.map((c) => [c.table, c.recordId])).toEqual([['findings', F1]]);
    expect(readFileSync(editorPath).equals(before)).toBe(true);
    await withWorkspaceFile(editorPath, (ws) => expect(ws.value('SELECT count(*) FROM merge_conflicts')).toBe(0));
  });

  it('takes what only the inspector changed, lists the finding both changed, and loses no restricted evidence', async () => {
    const r = await withWorkspaceFile(editorPath, (_ws, wf) => mergeIntoOpenWorkspace(wf, packPath, { actor: 'editor' }));
    expect(r.changed).toBe(true);
    expect(r.conflicts).toHaveLength(1);
    await withWorkspaceFile(editorPath, (ws) => {
      expect(ws.value('SELECT status FROM assessments WHERE id = ?', [A1])).toBe('draft report');
      expect(ws.value("SELECT score FROM assessment_scores WHERE assessment_id = ? AND quality_statement_id = 'saf-safe-systems'", [A1])).toBe(2);
      expect(ws.value('SELECT text FROM findings WHERE id = ?', [F1])).toBe('Medicines were not always given on time (see the MAR charts).');
      expect(ws.value("SELECT count(*) FROM findings WHERE text = 'Staff knew people well.'")).toBe(1);
      // The personal case file was never handed over, and the merge removes nothing: it and its link stay.
      expect(ws.all('SELECT evidence_id FROM finding_evidence WHERE finding_id = ? ORDER BY evidence_id', [F1])).toEqual([{ evidence_id: EV_OFFICIAL }, { evidence_id: EV_PERSONAL }]);
      expect(ws.value('SELECT sensitivity FROM evidence WHERE id = ?', [EV_PERSONAL])).toBe('personal');
    });
  });

  it('settles the conflict with an edited record, refuses to edit its identity, and a second merge changes nothing', async () => {
    await withWorkspaceFile(editorPath, async (ws, wf) => {
      const [c] = listConflicts(ws, { unresolvedOnly: true });
      expect(c!.table).toBe('findings');
      expect(editableColumns(ws, 'findings')).toContain('text');
      expect(editableColumns(ws, 'findings')).not.toContain('id');
      await expect(resolveMergeConflict(wf, c!.id, { choice: 'edit', values: { id: 'x' } }, 'editor')).rejects.toThrow(/“id” cannot be edited/);
      await resolveMergeConflict(wf, c!.id, { choice: 'edit', values: { text: 'Medicines were given late on four of the seven days we looked at (MAR charts).' } }, 'editor');
      expect(ws.value('SELECT text FROM findings WHERE id = ?', [F1])).toBe('Medicines were given late on four of the seven days we looked at (MAR charts).');
      expect(ws.value('SELECT resolution FROM merge_conflicts WHERE id = ?', [c!.id])).toBe('edited');
    });
    const again = await withWorkspaceFile(editorPath, (_ws, wf) => mergeIntoOpenWorkspace(wf, packPath, { actor: 'editor' }));
    expect(again.conflicts).toEqual([]);
    expect(again.changed).toBe(false);
  });
});
