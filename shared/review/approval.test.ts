import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../electron/services/sqljs';
import { updateRating } from '../store/ratings';
import { saveSectionContent, renameSection } from '../store/reports';
import { saveFigure } from '../figures/library';
import { figureService } from '../figures/service';
import { lxRoot } from '../document/lexical';
import type { FigureSource } from './figures';
import { reviewReport, whatChanged, type ProblemCode, type ReportReview } from './report';
import { approvalPreview, approveReport, selfApprovalOf, setSectionStatus, setSelfApproval } from './workflow';
import { listAudit } from './audit-log';
import { readApprovalSnapshot, type SectionSnapshot } from './snapshot';
import { compareSnapshots, describeChanges, describeRows, textDiffLines } from './diff';
import { lxCite, lxFigure, lxFigureBlock, lxParagraph, lxText, reviewFixture, type ReviewFixture } from './testing/fixtures';

/**
 * Issue 13, "Signed off means signed off": an approval covers a section's whole content (text, citations, figures as
 * printed), any later change shows as changed since approval with what changed word by word, and a person cannot approve
 * their own change unless the workspace allows it.
 */

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const settled = (f: Fixture, opts?: Parameters<typeof reviewReport>[3]) => f.figures.settle(() => reviewReport(f.ws, f.figures, f.reportId, opts));
const codes = (r: ReportReview, code: ProblemCode) => r.problems.filter((p) => p.code === code);

type Fixture = ReviewFixture & { figures: FigureSource };
async function fixture(): Promise<Fixture> {
  const f = await reviewFixture(SQL);
  return { ...f, figures: figureService(f.ws) };
}

/** Saves a section's content as the editor does, as `actor` (who becomes its last editor). */
async function edit(f: Fixture, sectionId: string, children: Record<string, unknown>[], actor: string): Promise<void> {
  await f.ws.write('Edit a section', (tx) => saveSectionContent(tx, sectionId, JSON.stringify(lxRoot(children))), { actor });
}

const INTRO = (f: Fixture, extra: Record<string, unknown>[] = []) => [
  lxParagraph([lxText('At 31 July, '), lxFigure(f.figure), lxText(' of services were rated good or outstanding.'), lxCite(f.evidence.dataset), lxText(' Quality was broadly maintained.'), ...extra]),
];

describe('an approval records what it signs off', () => {
  it('stores the section’s title, text, citations and figures as printed, with fingerprints, and audits what it covered', async () => {
    const f = await fixture();
    await approveReport(f.ws, f.figures, { report: f.reportId, sectionId: f.sections.intro, by: 'Ruth Reviewer' });
    const json = f.ws.value<string>('SELECT approval_snapshot FROM sections WHERE id = ?', [f.sections.intro]);
    const snap = readApprovalSnapshot(json)!;
    expect(snap).toMatchObject({ version: 1, approvedBy: 'Ruth Reviewer', title: 'Introduction', citations: [{ evidenceId: f.evidence.dataset, paragraph: 1 }] });
    expect(snap.figures).toEqual([
      expect.objectContaining({ figureId: f.figure, name: 'Share rated good or outstanding', display: 'inline', shown: '75%', formatted: '75%', fingerprint: expect.stringMatching(/\w{8,}/), paragraph: 1 }),
    ]);
    expect(snap.blocks).toEqual([['At 31 July, ', { figure: 0 }, ' of services were rated good or outstanding.', ' Quality was broadly maintained.']]);
    const entry = listAudit(f.ws, { recordId: f.sections.intro, action: 'section.' }).rows[0]!;
    expect(entry).toMatchObject({ action: 'section.approve', actor: 'Ruth Reviewer', after: { status: 'approved', status_by: 'Ruth Reviewer', figures: 1, covers: { words: 15, citations: 1, figures: 1 } } });
    const r = await settled(f);
    expect(r.sections.find((s) => s.id === f.sections.intro)).toMatchObject({ status: 'approved', changedSinceApproval: false, approvalRecorded: true });
    expect(codes(r, 'section-changed-since-approval')).toEqual([]);
  });
});

describe('changed since approval', () => {
  it('finds an unsupported sentence and a new citation added to an approved section, says what changed word by word, and clears on re-approval', async () => {
    const f = await fixture();
    await approveReport(f.ws, f.figures, { report: f.reportId, by: 'Ruth Reviewer' });
    expect(codes(await settled(f), 'section-changed-since-approval')).toEqual([]);

    // The author adds an unsupported claim, and a sentence citing the interview, to the approved introduction.
    await edit(
      f,
      f.sections.intro,
      [
        lxParagraph([
          lxText('At 31 July, '),
          lxFigure(f.figure),
          lxText(' of services were rated good or outstanding.'),
          lxCite(f.evidence.dataset),
          lxText(' Quality was broadly maintained, and care is now the best in Europe. Staff said so.'),
          lxCite(f.evidence.interview),
        ]),
      ],
      'Ed Author',
    );
    let r = await settled(f);
    const intro = r.sections.find((s) => s.id === f.sections.intro)!;
    expect(intro).toMatchObject({ status: 'approved', changedSinceApproval: true, staleFigures: 0, lastEditedBy: 'Ed Author' });
    const problem = codes(r, 'section-changed-since-approval');
    expect(problem).toHaveLength(1);
    expect(problem[0]).toMatchObject({ severity: 'blocking', location: { sectionId: f.sections.intro } });
    expect(problem[0]!.message).toBe(
      `Section “Introduction” has changed since Ruth Reviewer approved it on ${new Date().toISOString().slice(0, 10)}: the text (1 passage added); 1 citation added (“Interview with a registered manager”).`,
    );
    // An internal edition is warned, not blocked.
    expect(codes(await settled(f, { audience: 'internal' }), 'section-changed-since-approval')[0]!.severity).toBe('warning');

    const changed = whatChanged(r);
    expect(changed.map((c) => c.sectionTitle)).toEqual(['Introduction']);
    const c = changed[0]!;
    expect(c).toMatchObject({ approvedBy: 'Ruth Reviewer', recorded: true, figures: [] });
    expect(c.changes!.text!.parts.filter((p) => p.kind !== 'same')).toEqual([{ kind: 'added', text: ', and care is now the best in Europe. Staff said so' }]);
    expect(c.changes!.text!.parts.map((p) => p.text).join('')).toBe(
      'At 31 July, 75% of services were rated good or outstanding. Quality was broadly maintained, and care is now the best in Europe. Staff said so.',
    );
    expect(c.changes!.citations).toEqual({ added: [{ evidenceId: f.evidence.interview, title: 'Interview with a registered manager', paragraph: 1 }], removed: [] });
    expect(textDiffLines(c.changes!.text!.parts)).toEqual(['+ …or outstanding. Quality was broadly maintained [, and care is now the best in Europe. Staff said so] .']);

    // Removing words and a citation is a change too.
    await edit(f, f.sections.safety, [lxParagraph([lxText('Overall, '), lxFigure(f.figure), lxText(' were good.')])], 'Ed Author');
    r = await settled(f);
    const safety = whatChanged(r).find((x) => x.sectionTitle === 'Safety')!;
    expect(safety.changes!.text!.removed).toBeGreaterThan(0);
    expect(safety.changes!.citations.removed.map((x) => x.title)).toEqual(['Interview with a registered manager']);
    expect(safety.summary).toMatch(/^the text \(\d+ passages? removed\); 1 citation removed \(“Interview with a registered manager”\)$/);

    // Someone else re-approves: nothing has changed since.
    await approveReport(f.ws, f.figures, { report: f.reportId, by: 'Ruth Reviewer' });
    r = await settled(f);
    expect(codes(r, 'section-changed-since-approval')).toEqual([]);
    expect(whatChanged(r)).toEqual([]);
  });

  it('counts a renamed section, a figure added or removed, and an approval from before approvals recorded the text', async () => {
    const f = await fixture();
    await approveReport(f.ws, f.figures, { report: f.reportId, sectionId: f.sections.intro, by: 'R' });
    await f.ws.write('rename', (tx) => renameSection(tx, f.sections.intro, 'Overview'), { actor: 'Ed' });
    await edit(f, f.sections.intro, INTRO(f, [lxText(' Again: '), lxFigure(f.figure, undefined, { asAt: '2018-03-01' }), lxText('.')]), 'Ed');
    let r = await settled(f);
    const c = whatChanged(r).find((x) => x.sectionId === f.sections.intro)!;
    expect(c.changes!.title).toEqual({ before: 'Introduction', after: 'Overview' });
    expect(c.changes!.figures.added).toEqual([expect.objectContaining({ name: 'Share rated good or outstanding', after: '75%' })]);
    expect(c.summary).toMatch(/the title \(“Introduction” → “Overview”\); the text \(1 passage added\); 1 figure added \(“Share rated good or outstanding”\)/);

    // Approved by a direct write (as a file from before version 3 would be): no record of what was signed off.
    await f.ws.write('legacy', (tx) => tx.run("UPDATE sections SET status = 'approved', status_by = 'Old Reviewer', status_at = '2018-08-01T10:00:00Z' WHERE id = ?", [f.sections.safety]));
    r = await settled(f);
    const legacy = codes(r, 'section-changed-since-approval').find((p) => p.location?.sectionId === f.sections.safety)!;
    expect(legacy.message).toBe(
      'Section “Safety” was approved by Old Reviewer on 2018-08-01 before approvals recorded a section’s text and citations; approve it again so that the approval covers its whole content.',
    );
    expect(r.sections.find((s) => s.id === f.sections.safety)).toMatchObject({ changedSinceApproval: true, approvalRecorded: false });
  });
});

describe('the diff', () => {
  const figure = (over: Partial<SectionSnapshot['figures'][number]> = {}): SectionSnapshot['figures'][number] => ({
    key: 'k1',
    figureId: 'f1',
    name: 'Share rated good',
    display: 'inline',
    params: {},
    shown: '79%',
    formatted: '79%',
    fingerprint: 'a',
    paragraph: 1,
    ...over,
  });
  const snap = (text: string[], over: Partial<SectionSnapshot> = {}): SectionSnapshot => ({
    title: 'Adult social care',
    blocks: text.map((t) => t.split('{F}').flatMap((x, i) => (i === 0 ? [x] : [{ figure: 0 }, x]))),
    citations: [],
    figures: [figure()],
    ...over,
  });
  const titles = (id: string) => ({ e1: 'CQC ratings data', e2: 'Interview with a registered manager' })[id] ?? id;

  it('gives added and removed passages word by word, with figures as printed', () => {
    const before = snap(['In July {F} of services were rated good. Care was safe in most homes.', 'A second paragraph stays.']);
    const after = snap(['In July {F} of adult social care services were rated good. Care was safe in many homes.', 'A second paragraph stays.']);
    const c = compareSnapshots(before, after, titles);
    expect(c.text!.parts).toEqual([
      { kind: 'same', text: 'In July 79% of ' },
      { kind: 'added', text: 'adult social care ' },
      { kind: 'same', text: 'services were rated good. Care was safe in ' },
      { kind: 'removed', text: 'most' },
      { kind: 'added', text: 'many' },
      { kind: 'same', text: ' homes.\nA second paragraph stays.' },
    ]);
    expect(c.text).toMatchObject({ added: 2, removed: 1 });
    expect(describeChanges(c)).toBe('the text (2 passages added, 1 removed)');
  });

  it('does not call a changed figure value a text change, and compares figures at the precision they are printed', () => {
    const before = snap(['In July {F} of services were rated good.']);
    // The value moved below the printed precision: the same text, the same figure.
    expect(compareSnapshots(before, snap(['In July {F} of services were rated good.'], { figures: [figure({ fingerprint: 'b' })] }), titles).changed).toBe(false);
    // Printed differently: a figure change, not a text change.
    const c = compareSnapshots(before, snap(['In July {F} of services were rated good.'], { figures: [figure({ shown: '80%', formatted: '80%' })] }), titles);
    expect(c.text).toBeNull();
    expect(c.figures.changed).toEqual([expect.objectContaining({ name: 'Share rated good', before: '79%', after: '80%', change: '79% → 80%' })]);
  });

  it('lists citations added and removed by evidence title, and figures added and removed', () => {
    const before = snap(['Text {F}.'], { citations: [{ evidenceId: 'e1', paragraph: 1 }] });
    const after = snap(['Text {F}.'], {
      citations: [{ evidenceId: 'e2', paragraph: 1 }],
      figures: [figure({ key: 'k2', name: 'Share rated inadequate', shown: '1%' })],
    });
    const c = compareSnapshots(before, after, titles);
    expect(c.citations).toEqual({ added: [{ evidenceId: 'e2', title: 'Interview with a registered manager', paragraph: 1 }], removed: [{ evidenceId: 'e1', title: 'CQC ratings data', paragraph: 1 }] });
    expect(c.figures.added.map((x) => [x.name, x.after])).toEqual([['Share rated inadequate', '1%']]);
    expect(c.figures.removed.map((x) => [x.name, x.before])).toEqual([['Share rated good', '79%']]);
    // The same figure replaced in the sentence is also a change to its words.
    expect(c.text!.parts.filter((p) => p.kind !== 'same').map((p) => [p.kind, p.text])).toEqual([
      ['removed', '79%'],
      ['added', '1%'],
    ]);
  });

  it('matches table rows by their category columns and compares cells as printed', () => {
    const columns = [
      { key: 'region', label: 'Region', role: 'category' },
      { key: 'share', label: 'Share', role: 'measure', numeric: true },
      { key: 'numerator', label: 'Number', role: 'detail', numeric: true },
    ];
    const before = { columns, rows: [['North East', '77%', '120'], ['North West', '80%', '300'], ['London', '78%', '400']] };
    // Reordered, one share changed as printed, London's count changed but not its share, a row added.
    const after = { columns, rows: [['London', '78%', '401'], ['North West', '80%', '300'], ['North East', '78%', '121'], ['South West', '82%', '310']] };
    const d = describeRows(before, after);
    expect(d).toMatchObject({ same: false, differ: 2, total: 4 });
    expect(d.text).toBe('2 of 4 rows differ: London: Number 400 → 401; North East 77% → 78%; 1 row added (South West)');
    expect(describeRows(before, { columns, rows: [...before.rows] }).same).toBe(true);
  });
});

describe('what changed in a table, by row', () => {
  it('says which row of a regional table changed, at the precision it is printed', async () => {
    const f = await fixture();
    const t = new Date().toISOString();
    // Two rated locations in every region but the North West, which has the fixture's four.
    await f.ws.write('regions', (tx) => {
      for (let r = 1; r <= 9; r++) {
        if (r === 2) continue;
        for (const [i, rating] of ['Good', 'Requires improvement'].entries()) {
          const id = `R${r}-${i}`;
          tx.run("INSERT INTO locations(id, name, sector_id, location_type, region_id, updated_at) VALUES (?, ?, 'asc', 'Social Care Org', ?, ?)", [id, `Home ${id}`, `E1200000${r}`, t]);
          tx.run("INSERT INTO ratings(location_id, key_question_id, rating, published_on, updated_at) VALUES (?, 'overall', ?, '2018-03-01', ?)", [id, rating, t]);
        }
      }
    });
    const table = await saveFigure(
      f.ws,
      { slug: 'share-good-by-region', name: 'Rated good or outstanding, by region', kind: 'table', spec: { measure: 'rating_share', keyQuestion: 'Overall', ratings: ['Good', 'Outstanding'], asAt: '$asAt', by: 'region' }, format: { style: 'percent' } },
      'analyst',
    );
    await edit(f, f.sections.safety, [lxParagraph([lxText('By region.'), lxCite(f.evidence.dataset)]), lxFigureBlock(table.id, 'table', 'By region')], 'analyst');
    await approveReport(f.ws, f.figures, { report: f.reportId, sectionId: f.sections.safety, by: 'Ruth Reviewer' });
    const ne = f.ws.value<number>("SELECT id FROM ratings WHERE location_id = 'R1-1'")!;
    await f.ws.write('rating', (tx) => updateRating(tx, ne, { rating: 'Good' }), { actor: 'Importer' });
    const r = await settled(f);
    const stale = codes(r, 'figure-stale');
    expect(stale.map((p) => p.message)).toEqual(['The table “By region” has changed since Ruth Reviewer approved it: 1 of 9 rows differs: North East 50% → 100%.']);
    expect(whatChanged(r)[0]!.figures.map((x) => x.change)).toEqual(['1 of 9 rows differs: North East 50% → 100%']);
  });
});

describe('who may approve', () => {
  it('refuses a person who made the last change, unless the workspace allows self-approval, which is audited', async () => {
    const f = await fixture();
    await setSectionStatus(f.ws, f.figures, { sectionId: f.sections.intro, status: 'in review', by: 'Ed Author' });
    await edit(f, f.sections.intro, INTRO(f, [lxText(' More.')]), 'Ed Author');
    expect(selfApprovalOf(f.ws)).toBe('refused');

    const preview = await f.figures.settle(() => approvalPreview(f.ws, f.figures, f.sections.intro, 'ed author'));
    expect(preview).toMatchObject({ title: 'Introduction', approver: 'ed author', figures: 1, citations: 1, words: 16, lastEditedBy: 'Ed Author', selfApproval: 'refused' });
    expect(preview.refusal).toMatch(/^ed author made the last change to “Introduction” \(\d{4}-\d\d-\d\d\), so cannot also approve it: approval needs a second person\./);

    // Names are compared as people write them.
    await expect(setSectionStatus(f.ws, f.figures, { sectionId: f.sections.intro, status: 'approved', by: ' ed  AUTHOR ' })).rejects.toThrow(
      /made the last change to “Introduction” .*so cannot also approve it: approval needs a second person\. Ask another reviewer to approve it, or an administrator can allow self-approval for this workspace\./,
    );
    await expect(approveReport(f.ws, f.figures, { report: f.reportId, sectionId: f.sections.intro, by: 'Ed Author' })).rejects.toThrow(/cannot also approve it/);
    expect(f.ws.value('SELECT status FROM sections WHERE id = ?', [f.sections.intro])).toBe('in review');
    expect(f.ws.value('SELECT count(*) FROM figure_approvals')).toBe(0);

    // Another person may.
    const other = await setSectionStatus(f.ws, f.figures, { sectionId: f.sections.safety, status: 'in review', by: 'Ed Author' });
    expect(other.to).toBe('in review');

    // An administrator allows it: recorded in the audit log with who and when.
    expect(await setSelfApproval(f.ws, { value: 'allowed', by: 'Admin Person' })).toEqual({ selfApproval: 'allowed', changed: true });
    expect(await setSelfApproval(f.ws, { value: 'allowed', by: 'Admin Person' })).toEqual({ selfApproval: 'allowed', changed: false });
    const log = listAudit(f.ws, { action: 'workspace.self-approval' }).rows;
    expect(log).toEqual([expect.objectContaining({ actor: 'Admin Person', table: 'meta', recordId: 'self_approval', before: { selfApproval: 'refused' }, after: { selfApproval: 'allowed' } })]);
    expect((await f.figures.settle(() => approvalPreview(f.ws, f.figures, f.sections.intro, 'Ed Author'))).refusal).toBeNull();
    const approved = await setSectionStatus(f.ws, f.figures, { sectionId: f.sections.intro, status: 'approved', by: 'Ed Author' });
    expect(approved).toMatchObject({ to: 'approved', by: 'Ed Author' });

    await setSelfApproval(f.ws, { value: 'refused', by: 'Admin Person' });
    expect(listAudit(f.ws, { action: 'workspace.self-approval' }).rows.map((a) => a.after)).toEqual([{ selfApproval: 'refused' }, { selfApproval: 'allowed' }]);
    expect(selfApprovalOf(f.ws)).toBe('refused');
  });
});
