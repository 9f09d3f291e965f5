import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../electron/services/sqljs';
import { updateRating } from '../store/ratings';
import { saveFigure } from '../figures/library';
import { readSection } from './content';
import { figureService } from '../figures/service';
import type { FigureSource } from './figures';
import { reviewReport, whatChanged, type ProblemCode, type ReportReview } from './report';
import { approveReport, setSectionStatus } from './workflow';
import { addComment, listComments, replyToComment, resolveComment } from './comments';
import { auditCsv, csvCell, listAudit } from './audit-log';
import { checkAttachmentSize, evidenceCitedBy, listEvidence, MAX_ATTACHMENT_BYTES, saveEvidenceWithAttachment, sha256Hex } from './evidence';
import { lxCite, lxFigure, lxFigureBlock, lxHeading, lxParagraph, lxTable, lxText, reviewFixture, setContent, type ReviewFixture } from './testing/fixtures';

let SQL: SqlJsStatic;
beforeAll(async () => {
  // Through the Node loader, which also provides the SQL worker every figure engine needs.
  SQL = await loadSqlJs();
});

/** A review with every figure computed: SQL figures run in the worker, so the engine is asked until none is pending. */
const settled = (ws: Parameters<typeof reviewReport>[0], figures: FigureSource, id: string, opts?: Parameters<typeof reviewReport>[3]) =>
  figures.settle(() => reviewReport(ws, figures, id, opts));

const codes = (r: ReportReview, code: ProblemCode) => r.problems.filter((p) => p.code === code);

/** The fixture with the real figure engine. */
async function fixture(): Promise<ReviewFixture & { figures: FigureSource }> {
  const f = await reviewFixture(SQL);
  return { ...f, figures: figureService(f.ws) };
}

describe('reading section content', () => {
  it('splits sentences, keeps a citation after a full stop with its sentence, and keeps raw heading levels', () => {
    const content = {
      root: {
        children: [
          lxHeading(1, 'Intro'),
          lxParagraph([lxText('Ratings rose to '), lxFigure('f1'), lxText('.'), lxCite('e1'), lxText(' Second sentence, about 1.2 million people. Third.')]),
          { type: 'heading', tag: 'h4', children: [lxText('Deep')] },
          lxTable([['a', 'b']], false),
        ],
      },
    };
    const s = readSection(content);
    expect(s.sentences.map((x) => [x.paragraph, x.sentence, x.figures.length, x.citations.map((c) => c.evidenceId)])).toEqual([
      [2, 1, 1, ['e1']],
      [2, 2, 0, []],
      [2, 3, 0, []],
      // Each table cell is read as its own text.
      [4, 1, 0, []],
      [4, 2, 0, []],
    ]);
    expect(s.headings.map((h) => h.level)).toEqual([1, 4]);
    expect(s.tables).toEqual([{ paragraph: 4, rows: 1, headerRow: false }]);
  });

  it('reports unreadable content instead of throwing', () => {
    const s = readSection('{not json');
    expect(s.unreadable).toBe(true);
    expect(s.problems[0]).toMatch(/not valid JSON/);
  });
});

describe('sign-off and stale figures', () => {
  it('blocks publication until sections are approved, then finds a figure stale after the data changes, and clears on re-approval', async () => {
    const f = await fixture();
    let r = await settled(f.ws, f.figures, 'state-of-care');
    expect(codes(r, 'section-not-approved')).toHaveLength(2);
    expect(codes(r, 'figure-unapproved')).toHaveLength(2);
    expect(r.figures[0]!.shown).toBe('75%');

    await approveReport(f.ws, f.figures, { report: 'state-of-care', by: 'Ruth Reviewer' });
    r = await settled(f.ws, f.figures, 'state-of-care');
    expect(codes(r, 'section-not-approved')).toHaveLength(0);
    expect(r.figures.every((u) => u.state === 'approved')).toBe(true);
    expect(r.sections.every((s) => s.status === 'approved' && s.statusBy === 'Ruth Reviewer')).toBe(true);

    // The location rated Requires improvement is now Good: 75% becomes 100%.
    await f.ws.write('rating', (tx) => updateRating(tx, f.ratings['1-003']!, { rating: 'Good' }), { actor: 'Importer' });
    r = await settled(f.ws, f.figures, 'state-of-care');
    const stale = codes(r, 'figure-stale');
    expect(stale).toHaveLength(2);
    expect(stale[0]).toMatchObject({ severity: 'blocking', approved: { formatted: '75%', value: 0.75, by: 'Ruth Reviewer' }, current: { formatted: '100%', value: 1 } });
    expect(r.sections.every((s) => s.changedSinceApproval && s.staleFigures === 1)).toBe(true);
    const changed = whatChanged(r);
    expect(changed.map((c) => c.sectionTitle)).toEqual(['Introduction', 'Safety']);
    expect(changed[0]!.figures[0]).toMatchObject({ slug: 'share-good', approved: { formatted: '75%' }, current: { formatted: '100%' } });

    // Re-approving one section clears that section only.
    await approveReport(f.ws, f.figures, { report: f.reportId, sectionId: f.sections.intro, by: 'Ruth Reviewer' });
    r = await settled(f.ws, f.figures, 'state-of-care');
    expect(codes(r, 'figure-stale').map((p) => p.location?.sectionId)).toEqual([f.sections.safety]);
    await approveReport(f.ws, f.figures, { report: f.reportId, by: 'Ruth Reviewer' });
    r = await settled(f.ws, f.figures, 'state-of-care');
    expect(codes(r, 'figure-stale')).toHaveLength(0);
    expect(whatChanged(r)).toEqual([]);
  });

  it('says what changed when the printed value is the same, and which rows of a table changed', async () => {
    const f = await fixture();
    const t = new Date().toISOString();
    await f.ws.write('figures', (tx) => {
      tx.run("INSERT INTO figures(id, slug, name, kind, sql, format, created_at, updated_at) VALUES ('fine', 'fine', 'Fine share', 'value', ?, ?, ?, ?)", [
        "SELECT 0.5 + 0.0001 * sum(rating = 'Good') AS value FROM ratings",
        JSON.stringify({ style: 'percent' }),
        t,
        t,
      ]);
      tx.run("INSERT INTO figures(id, slug, name, kind, sql, format, created_at, updated_at) VALUES ('tab', 'tab', 'Ratings by location', 'table', ?, '{}', ?, ?)", [
        'SELECT location_id, rating FROM ratings ORDER BY location_id',
        t,
        t,
      ]);
    });
    await setContent(f.ws, f.sections.safety, [lxParagraph([lxText('About '), lxFigure('fine'), lxText('.'), lxCite(f.evidence.dataset)]), lxFigureBlock('tab', 'table', 'Ratings')]);
    await approveReport(f.ws, f.figures, { report: f.reportId, sectionId: f.sections.safety, by: 'R' });
    await f.ws.write('rating', (tx) => updateRating(tx, f.ratings['1-003']!, { rating: 'Good' }));
    const stale = codes((await settled(f.ws, f.figures, f.reportId)), 'figure-stale');
    expect(stale.map((p) => p.message)).toEqual([
      'Figure “Fine share” has changed since R approved it: it still reads 50%, but the value underneath moved from 0.5002 to 0.5003.',
      'The table “Ratings” has changed since R approved it: 1 of 4 rows differs: 1-003 Requires improvement → Good.',
    ]);
  });

  it('does not call a figure stale when its data changed but its value did not', async () => {
    // The engine fingerprints an SQL figure's output but a structured figure's rows read, so a structured share of the
    // same ratings lets the data change under an unchanged value.
    const f = await fixture();
    const share = await saveFigure(
      f.ws,
      { slug: 'share-good-spec', name: 'Share rated good or outstanding', kind: 'value', spec: { measure: 'rating_share', keyQuestion: 'Overall', ratings: ['Good', 'Outstanding'], asAt: '$asAt' }, format: { style: 'percent' } },
      'fixture',
    );
    for (const id of Object.values(f.sections)) await setContent(f.ws, id, [lxParagraph([lxText('At 31 July, '), lxFigure(share.id), lxText(' of services were rated good or outstanding.'), lxCite(f.evidence.dataset)])]);
    await approveReport(f.ws, f.figures, { report: f.reportId, by: 'R' });
    // Outstanding -> Good keeps the share at 75% while changing the rows the figure read.
    await f.ws.write('rating', (tx) => updateRating(tx, f.ratings['1-002']!, { rating: 'Good' }));
    const r = await settled(f.ws, f.figures, f.reportId);
    expect(r.figures.every((u) => u.state === 'approved')).toBe(true);
    expect(r.figures[0]!.current.fingerprint).not.toBe(r.figures[0]!.approved!.fingerprint);
  });

  it('signs off figures and status in one audited transaction and refuses figures that cannot be computed', async () => {
    const f = await fixture();
    await expect(setSectionStatus(f.ws, f.figures, { sectionId: f.sections.intro, status: 'approved', by: 'R' })).rejects.toThrow(/send it for review/);
    await setSectionStatus(f.ws, f.figures, { sectionId: f.sections.intro, status: 'in review', by: 'Ed' });
    const change = await setSectionStatus(f.ws, f.figures, { sectionId: f.sections.intro, status: 'approved', by: 'R' });
    expect(change.approvedFigures).toHaveLength(1);
    expect(change.approvedFigures[0]!.formatted).toBe('75%');
    const actions = listAudit(f.ws, { recordId: f.sections.intro }).rows.map((a) => `${a.action} by ${a.actor}`);
    expect(actions).toEqual(['section.approve by R', 'section.submit by Ed']);
    expect(f.ws.get("SELECT status, status_by FROM sections WHERE id = 'sec-intro'")).toEqual({ status: 'approved', status_by: 'R' });
    expect(listAudit(f.ws, { action: 'figure.approve' }).total).toBe(1);
    // Approving again re-approves (signing off the figures' values now); other repeated moves are refused.
    await setSectionStatus(f.ws, f.figures, { sectionId: f.sections.intro, status: 'approved', by: 'R' });
    expect(listAudit(f.ws, { recordId: f.sections.intro }).rows[0]!.action).toBe('section.reapprove');
    await expect(setSectionStatus(f.ws, f.figures, { sectionId: f.sections.safety, status: 'draft', by: 'R' })).rejects.toThrow(/already draft/);
    await setSectionStatus(f.ws, f.figures, { sectionId: f.sections.intro, status: 'draft', by: 'Ed' });
    expect(f.ws.value("SELECT status FROM sections WHERE id = 'sec-intro'")).toBe('draft');

    await f.ws.write('break', (tx) => tx.run("UPDATE figures SET sql = 'SELECT nope FROM nowhere' WHERE id = ?", [f.figure]));
    const approvals = f.ws.value('SELECT count(*) FROM figure_approvals');
    await expect(approveReport(f.ws, f.figures, { report: f.reportId, by: 'R' })).rejects.toThrow(/cannot be approved: “Share rated good or outstanding” cannot be computed/);
    expect(f.ws.value('SELECT count(*) FROM figure_approvals')).toBe(approvals);
    expect(f.ws.value("SELECT count(*) FROM sections WHERE status = 'approved'")).toBe(0);
  });

  it('names the reports there are when asked for one that is not', async () => {
    const f = await fixture();
    await expect(settled(f.ws, f.figures, 'nope')).rejects.toThrow(/There is no report "nope" in this workspace \(reports: state-of-care\)/);
  });
});

describe('citation ledger', () => {
  it('lists claims with their figures and evidence and flags no evidence, unverified and old evidence', async () => {
    const f = await fixture();
    const r = await settled(f.ws, f.figures, f.reportId, { today: '2019-01-01', maxEvidenceAgeDays: 200 });
    const intro = r.claims.filter((c) => c.location.sectionId === f.sections.intro);
    // "Quality was broadly maintained." holds no figure, citation or finding: it is not a claim.
    expect(intro).toHaveLength(1);
    expect(intro[0]).toMatchObject({
      text: 'At 31 July, 75% of services were rated good or outstanding.',
      figures: [{ slug: 'share-good', shown: '75%' }],
      evidence: [{ id: f.evidence.dataset, via: ['citation'], verifiedBy: 'Lead analyst' }],
      flags: [],
    });
    const safety = r.claims.filter((c) => c.location.sectionId === f.sections.safety);
    // A claim resting on a live figure is backed by the figure's data (its provenance), with no citation needed.
    expect(safety.map((c) => [c.text, c.flags])).toEqual([
      ['Overall, 75% were good or better.', []],
      ['Staff told us rotas were stretched.', ['unverified', 'old']],
    ]);
    expect(codes(r, 'claim-no-evidence')).toHaveLength(0);
    expect(codes(r, 'evidence-unverified')[0]).toMatchObject({ severity: 'warning', evidenceId: f.evidence.interview, location: { paragraph: 2, sentence: 2 } });
    expect(codes(r, 'evidence-old')).toHaveLength(1);
    // Ages are measured to the report's as-at date by default (31 July 2018): nothing is two years older than that.
    expect(codes((await settled(f.ws, f.figures, f.reportId)), 'evidence-old')).toHaveLength(0);
    expect(codes((await settled(f.ws, f.figures, f.reportId, { maxEvidenceAgeDays: 60 })), 'evidence-old').map((p) => p.evidenceId)).toEqual([f.evidence.interview]);
    // A figure that cannot be computed supports nothing: the sentence quoting it rests on nothing.
    await f.ws.write('break', (tx) => tx.run("UPDATE figures SET sql = 'SELECT nope FROM nowhere' WHERE id = ?", [f.figure]));
    const broken = await settled(f.ws, f.figures, f.reportId);
    expect(broken.claims.find((c) => c.text.startsWith('Overall,'))!.flags).toEqual(['no-evidence']);
    expect(codes(broken, 'claim-no-evidence')).toHaveLength(1);
  });

  it('counts evidence linked to a figure and behind a quoted finding, and flags citations of missing evidence', async () => {
    const f = await fixture();
    await f.ws.write('links', (tx) => {
      tx.run('INSERT INTO figure_evidence(figure_id, evidence_id) VALUES (?, ?)', [f.figure, f.evidence.dataset]);
      tx.run(
        "INSERT INTO findings(id, subject_type, judgement, status, text, created_at, updated_at) VALUES ('fd1', 'national', 'concern', 'agreed', 'Weekend discharge staff were not available in too many areas', ?, ?)",
        [tx.at, tx.at],
      );
      tx.run("INSERT INTO finding_evidence(finding_id, evidence_id) VALUES ('fd1', ?)", [f.evidence.interview]);
    });
    await setContent(f.ws, f.sections.safety, [
      lxParagraph([lxText('Overall, '), lxFigure(f.figure), lxText(' were good or better. We found that weekend discharge staff were not available in too many areas. See also'), lxCite('ev-gone'), lxText('.')]),
    ]);
    const r = await settled(f.ws, f.figures, f.reportId);
    const safety = r.claims.filter((c) => c.location.sectionId === f.sections.safety);
    expect(safety[0]!.evidence.map((e) => [e.id, e.via])).toEqual([[f.evidence.dataset, ['figure']]]);
    expect(safety[1]!.findings.map((x) => x.id)).toEqual(['fd1']);
    expect(safety[1]!.evidence.map((e) => [e.id, e.via])).toEqual([[f.evidence.interview, ['finding']]]);
    expect(safety[2]!.flags).toEqual(['no-evidence', 'missing']);
    expect(codes(r, 'evidence-missing')[0]).toMatchObject({ severity: 'blocking', evidenceId: 'ev-gone' });
  });
});

describe('publication checks', () => {
  it('blocks restricted evidence cited in text for a public export, and only warns for an internal one', async () => {
    const f = await fixture();
    await f.ws.write('restrict', (tx) => tx.run("UPDATE evidence SET sensitivity = 'personal' WHERE id = ?", [f.evidence.interview]));
    const pub = codes((await settled(f.ws, f.figures, f.reportId)), 'restricted-evidence-in-text');
    expect(pub).toHaveLength(1);
    expect(pub[0]).toMatchObject({ severity: 'blocking', evidenceId: f.evidence.interview, location: { sectionTitle: 'Safety', paragraph: 2, sentence: 2 } });
    expect(codes((await settled(f.ws, f.figures, f.reportId, { audience: 'internal' })), 'restricted-evidence-in-text')[0]!.severity).toBe('warning');
  });

  it('finds suppressed values shown unsuppressed, inline and in tables', async () => {
    const f = await fixture();
    const t = new Date().toISOString();
    await f.ws.write('figures', (tx) => {
      // A count of 4 under a threshold of 5 that the figure's own result does not suppress.
      tx.run("INSERT INTO figures(id, slug, name, kind, sql, format, created_at, updated_at) VALUES ('small', 'small', 'Small count', 'value', 'SELECT 4 AS value', ?, ?, ?)", [
        JSON.stringify({ style: 'number', suppressBelow: 5 }),
        t,
        t,
      ]);
      // A suppressed share whose numerator a sentence quotes as a part.
      tx.run("INSERT INTO figures(id, slug, name, kind, sql, format, created_at, updated_at) VALUES ('shr', 'shr', 'Small share', 'value', 'SELECT 0.5 AS value, 2 AS numerator, 4 AS denominator', ?, ?, ?)", [
        JSON.stringify({ style: 'percent', suppressBelow: 5 }),
        t,
        t,
      ]);
      tx.run(
        "INSERT INTO figures(id, slug, name, kind, sql, format, created_at, updated_at) VALUES ('tbl', 'tbl', 'Counts by area', 'table', 'SELECT ''Oldham'' AS area, 3 AS n UNION ALL SELECT ''Bury'', 40', ?, ?, ?)",
        [JSON.stringify({ suppressBelow: 5 }), t, t],
      );
    });
    await setContent(f.ws, f.sections.safety, [
      lxParagraph([lxText('There were '), lxFigure('small'), lxText(' homes.'), lxCite(f.evidence.dataset)]),
      lxParagraph([lxText('The share was '), lxFigure('shr'), lxText(', that is '), lxFigure('shr', 'numerator'), lxText(' homes.'), lxCite(f.evidence.dataset)]),
      lxFigureBlock('tbl', 'table', 'Counts by area'),
    ]);
    // Stand in for results the checks must catch: a share with a numerator part, and a count an SQL figure's author
    // formatted as plain text, so it came out unsuppressed.
    const figures: FigureSource = {
      evaluate: (ref, p) => {
        const r = f.figures.evaluate(ref, p);
        const id = ref.figureId;
        if (id === 'shr') return { ...r, suppressed: true, formatted: '[c]', parts: { numerator: 2 } };
        if (id === 'small') return { ...r, formatted: '4' };
        return r;
      },
      settle: f.figures.settle,
    };
    const found = codes((await settled(f.ws, figures, f.reportId)), 'suppression');
    expect(found.map((p) => [p.figureId, p.location?.paragraph])).toEqual([
      ['small', 1],
      ['shr', 2],
      ['tbl', 3],
    ]);
    expect(found[0]!.message).toMatch(/rests on a count of 4, below its suppression threshold of 5, but is shown as 4/);
    expect(found[1]!.message).toMatch(/is suppressed \(.*\) but this sentence shows its “numerator” part/);
    expect(found[2]!.message).toMatch(/shows 1 count below the suppression threshold of 5/);
  });

  it('finds charts without alt text, skipped heading levels and tables without header rows', async () => {
    const f = await fixture();
    const t = new Date().toISOString();
    await f.ws.write('figures', (tx) => {
      tx.run("INSERT INTO figures(id, slug, name, kind, sql, format, created_at, updated_at) VALUES ('empty', 'empty', 'Nothing to chart', 'chart', 'SELECT 1 AS n WHERE 0', '{}', ?, ?)", [t, t]);
      tx.run("INSERT INTO figures(id, slug, name, kind, sql, format, created_at, updated_at) VALUES ('bars', 'bars', 'By area', 'chart', 'SELECT ''Oldham'' AS area, 3 AS n', '{}', ?, ?)", [t, t]);
    });
    await setContent(f.ws, f.sections.safety, [
      lxHeading(2, 'Starts too deep'),
      lxHeading(1, 'Fine'),
      { type: 'heading', tag: 'h3', version: 1, children: [lxText('Skips a level')] },
      lxTable([['a', 'b'], ['1', '2']], false),
      lxTable([['a', 'b'], ['1', '2']], true),
      lxFigureBlock('empty', 'chart', 'Empty chart'),
      lxFigureBlock('bars', 'chart', 'Bars'),
    ]);
    const r = await settled(f.ws, f.figures, f.reportId);
    expect(codes(r, 'heading-skipped-level').map((p) => p.location?.paragraph)).toEqual([1, 3]);
    expect(codes(r, 'heading-skipped-level').every((p) => p.severity === 'warning')).toBe(true);
    expect(codes(r, 'table-no-header-row').map((p) => p.location?.paragraph)).toEqual([4]);
    expect(codes(r, 'chart-no-alt-text').map((p) => [p.figureId, p.location?.paragraph])).toEqual([['empty', 6]]);
  });

  it('finds the same figure signed off at different values in different sections', async () => {
    const f = await fixture();
    await approveReport(f.ws, f.figures, { report: f.reportId, sectionId: f.sections.intro, by: 'R' });
    await f.ws.write('rating', (tx) => updateRating(tx, f.ratings['1-003']!, { rating: 'Good' }));
    await approveReport(f.ws, f.figures, { report: f.reportId, sectionId: f.sections.safety, by: 'R' });
    const r = await settled(f.ws, f.figures, f.reportId);
    const inconsistent = codes(r, 'figure-inconsistent');
    expect(inconsistent).toHaveLength(1);
    expect(inconsistent[0]!.message).toMatch(/signed off with different values \(75%, 100%\) in “Introduction”, “Safety”/);
    await approveReport(f.ws, f.figures, { report: f.reportId, by: 'R' });
    expect(codes((await settled(f.ws, f.figures, f.reportId)), 'figure-inconsistent')).toHaveLength(0);
  });
});

describe('comments', () => {
  it('threads replies, resolves and reopens, and audits each step', async () => {
    const f = await fixture();
    const c = await addComment(f.ws, { sectionId: f.sections.intro, body: 'Source for this?', quote: 'rated good or outstanding', anchor: { paragraph: 1, start: 14, end: 40 }, author: 'Ruth' });
    const r1 = await replyToComment(f.ws, { parentId: c.id, body: 'The ratings dataset.', author: 'Ed' });
    await replyToComment(f.ws, { parentId: r1.id, body: 'Thanks.', author: 'Ruth' });
    let threads = listComments(f.ws, { reportId: f.reportId });
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ quote: 'rated good or outstanding', anchor: { paragraph: 1, start: 14, end: 40 }, sectionTitle: 'Introduction' });
    expect(threads[0]!.replies.map((x) => [x.author, x.parentId])).toEqual([
      ['Ed', c.id],
      ['Ruth', c.id],
    ]);
    await resolveComment(f.ws, { id: r1.id, by: 'Ruth' });
    expect(listComments(f.ws, { sectionId: f.sections.intro })).toHaveLength(0);
    threads = listComments(f.ws, { sectionId: f.sections.intro, includeResolved: true });
    expect(threads[0]).toMatchObject({ resolvedBy: 'Ruth' });
    await resolveComment(f.ws, { id: c.id, by: 'Ed', resolved: false });
    expect(listComments(f.ws, { sectionId: f.sections.intro })).toHaveLength(1);
    expect(listAudit(f.ws, { action: 'comment.' }).rows.map((a) => a.action)).toEqual(['comment.reopen', 'comment.resolve', 'comment.reply', 'comment.reply', 'comment.add']);
    await expect(addComment(f.ws, { sectionId: f.sections.intro, body: '  ', author: 'Ruth' })).rejects.toThrow(/body must not be empty/);
  });
});

describe('audit log', () => {
  it('filters by actor, action prefix, record and date, and exports CSV that a spreadsheet cannot run', async () => {
    const f = await fixture();
    await f.ws.write('rating', (tx) => updateRating(tx, f.ratings['1-003']!, { rating: 'Good' }), { actor: '=cmd|calc' });
    await approveReport(f.ws, f.figures, { report: f.reportId, by: 'Ruth, "the reviewer"' });
    expect(listAudit(f.ws, { action: 'section.' }).total).toBe(2);
    expect(listAudit(f.ws, { actor: '=cmd|calc' }).rows[0]).toMatchObject({ action: 'rating.update', table: 'ratings', before: { rating: 'Requires improvement' }, after: { rating: 'Good' } });
    expect(listAudit(f.ws, { until: '2000-01-01' }).total).toBe(0);
    expect(listAudit(f.ws, { since: '2000-01-01', until: new Date().toISOString().slice(0, 10) }).total).toBe(listAudit(f.ws).total);
    expect(listAudit(f.ws, { search: 'Requires improvement' }).total).toBe(1);
    const { csv, rows } = auditCsv(f.ws);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,actor,action,table,record_id,before,after');
    expect(lines).toHaveLength(rows + 1);
    expect(csv).toContain(",'=cmd|calc,rating.update,");
    expect(csv).toContain(',"Ruth, ""the reviewer""",section.approve,');
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  });
});

describe('evidence register', () => {
  it('filters by kind, sensitivity, collector, date and verification', async () => {
    const f = await fixture();
    expect(listEvidence(f.ws).total).toBe(2);
    expect(listEvidence(f.ws, { kind: 'interview' }).rows.map((r) => r.id)).toEqual([f.evidence.interview]);
    expect(listEvidence(f.ws, { sensitivity: ['public', 'personal'] }).rows.map((r) => r.id)).toEqual([f.evidence.dataset]);
    expect(listEvidence(f.ws, { collectedBy: 'inspector a' }).total).toBe(1);
    expect(listEvidence(f.ws, { from: '2018-06-01' }).rows.map((r) => r.id)).toEqual([f.evidence.dataset]);
    expect(listEvidence(f.ws, { to: '2018-06-01' }).rows.map((r) => r.id)).toEqual([f.evidence.interview]);
    expect(listEvidence(f.ws, { verified: false }).rows.map((r) => r.id)).toEqual([f.evidence.interview]);
    expect(listEvidence(f.ws, { search: 'manager' }).total).toBe(1);
    expect(listEvidence(f.ws, { restricted: true }).total).toBe(0);
  });

  it('stores attachments once per content hash and refuses files over the limit with the sizes in the message', async () => {
    const f = await fixture();
    const bytes = new TextEncoder().encode('minutes of the meeting');
    await f.ws.write('attach', (tx) => {
      saveEvidenceWithAttachment(tx, { kind: 'meeting notes', title: 'Minutes A', sensitivity: 'official' }, { name: 'a.txt', mediaType: 'text/plain', bytes });
      saveEvidenceWithAttachment(tx, { kind: 'meeting notes', title: 'Minutes B', sensitivity: 'official' }, { name: 'b.txt', mediaType: 'text/plain', bytes });
    });
    expect(f.ws.value('SELECT count(*) FROM attachments')).toBe(1);
    expect(f.ws.value('SELECT hash FROM attachments')).toBe(sha256Hex(bytes));
    expect(listEvidence(f.ws, { hasAttachment: true }).rows.map((r) => [r.attachmentName, r.attachmentSize])).toEqual([
      ['a.txt', bytes.length],
      ['b.txt', bytes.length],
    ]);
    expect(() => checkAttachmentSize(MAX_ATTACHMENT_BYTES + 1, 'scan.pdf')).toThrow(/“scan.pdf” is 25 MB; attachments can be at most 25 MB/);
    expect(() => checkAttachmentSize(31 * 1024 * 1024, 'scan.pdf')).toThrow(/is 31 MB/);
    const before = f.ws.value('SELECT count(*) FROM evidence');
    await expect(
      f.ws.write('too big', (tx) =>
        saveEvidenceWithAttachment(tx, { kind: 'document', title: 'Big', sensitivity: 'public' }, { name: 'big.bin', mediaType: 'application/octet-stream', bytes: new Uint8Array(2048) }, 1024),
      ),
    ).rejects.toThrow(/at most 0 MB|at most/);
    expect(f.ws.value('SELECT count(*) FROM evidence')).toBe(before);
  });

  it('lists everything that cites an evidence source', async () => {
    const f = await fixture();
    await f.ws.write('links', (tx) => {
      tx.run('INSERT INTO figure_evidence(figure_id, evidence_id) VALUES (?, ?)', [f.figure, f.evidence.interview]);
      tx.run("INSERT INTO findings(id, subject_type, judgement, text, created_at, updated_at) VALUES ('fd1', 'national', 'concern', 'Rotas were stretched', ?, ?)", [tx.at, tx.at]);
      tx.run("INSERT INTO finding_evidence(finding_id, evidence_id) VALUES ('fd1', ?)", [f.evidence.interview]);
    });
    const c = evidenceCitedBy(f.ws, f.evidence.interview);
    expect(c.findings.map((x) => x.id)).toEqual(['fd1']);
    expect(c.figures.map((x) => x.slug)).toEqual(['share-good']);
    expect(c.sentences).toEqual([
      expect.objectContaining({ reportSlug: 'state-of-care', sectionTitle: 'Safety', paragraph: 2, sentence: 2, text: 'Staff told us rotas were stretched.' }),
    ]);
  });
});
