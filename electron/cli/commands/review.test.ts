import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { runCli } from '../run';
import { WorkspaceFile } from '../../services/workspace-file';
import { tempDir } from '../../services/testing/fixtures';
import { seedReviewFixture } from '../../../shared/review/testing/fixtures';

const OLDHAM = join(__dirname, '../../../../shared/data/cqc/oldham_cqc_api_ratings_long_2025-03.csv');

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), progress: () => undefined, cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface CheckJson {
  publishable: boolean;
  blocking: number;
  problems: { code: string; severity: string; location?: { sectionTitle: string }; approved?: { formatted: string; value: unknown; by: string }; current?: { formatted: string; value: unknown } }[];
  sections: { title: string; status: string; changedSinceApproval: boolean; staleFigures: number }[];
  whatChanged: { sectionTitle: string; figures: { slug: string; approved: { shown: string }; shown: string }[] }[];
}

describe('assay check, approve and audit', () => {
  it('approves a report, finds its figures stale after importing new ratings, and clears them on re-approval', async () => {
    const dir = tempDir('assay-review-cli-');
    const file = join(dir, 'review.assay');
    const wf = await WorkspaceFile.create(file, {
      seed: async (ws) => {
        const f = await seedReviewFixture(ws);
        // Evidence behind every claim and all of it verified, so that only sign-off decides whether check passes.
        await ws.write('evidence', (tx) => {
          tx.run('INSERT INTO figure_evidence(figure_id, evidence_id) VALUES (?, ?)', [f.figure, f.evidence.dataset]);
          tx.run("UPDATE evidence SET verified_by = 'Lead inspector', verified_at = ? WHERE id = ?", [tx.at, f.evidence.interview]);
        });
      },
    });
    await wf.close();

    let r = await cli(dir, 'check', file, '--report', 'state-of-care', '--json');
    expect(r.code).toBe(1);
    let check = JSON.parse(r.out) as CheckJson;
    expect(new Set(check.problems.map((p) => p.code))).toEqual(new Set(['section-not-approved', 'figure-unapproved']));
    expect(check.problems.filter((p) => p.severity === 'warning')).toEqual([]);

    r = await cli(dir, 'approve', file, '--report', 'state-of-care', '--by', 'Ruth Reviewer');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Approved 2 sections of “State of Care” as Ruth Reviewer: 2 figure approvals recorded\./);
    r = await cli(dir, 'check', file, '--report', 'state-of-care', '--json');
    check = JSON.parse(r.out) as CheckJson;
    expect(check.problems.filter((p) => p.severity === 'blocking')).toEqual([]);
    expect(r.code).toBe(0);

    // New ratings data: Oldham's locations, many rated before the report's as-at date, change the national share.
    r = await cli(dir, 'import', 'cqc-ratings', file, OLDHAM, '--by', 'Importer');
    expect(r.code, r.err).toBe(0);

    r = await cli(dir, 'check', file, '--report', 'state-of-care', '--json');
    expect(r.code).toBe(1);
    check = JSON.parse(r.out) as CheckJson;
    const stale = check.problems.filter((p) => p.code === 'figure-stale');
    expect(stale.map((p) => p.location?.sectionTitle)).toEqual(['Introduction', 'Safety']);
    expect(stale[0]).toMatchObject({ severity: 'blocking', approved: { formatted: '75%', value: 0.75, by: 'Ruth Reviewer' } });
    expect(stale[0]!.current!.formatted).not.toBe('75%');
    expect(check.sections.every((s) => s.status === 'approved' && s.changedSinceApproval && s.staleFigures === 1)).toBe(true);
    expect(check.whatChanged.map((w) => [w.sectionTitle, w.figures[0]!.slug, w.figures[0]!.approved.shown])).toEqual([
      ['Introduction', 'share-good', '75%'],
      ['Safety', 'share-good', '75%'],
    ]);
    const human = await cli(dir, 'check', file, '--report', 'state-of-care');
    expect(human.code).toBe(1);
    expect(human.out).toMatch(/CHANGED SINCE APPROVAL \(1 figure\)/);
    expect(human.out).toMatch(/\[figure-stale\] “Introduction” ¶1 s1: Figure “Share rated good or outstanding” has changed since Ruth Reviewer approved it: approved 75%, now \d+%\./);

    r = await cli(dir, 'approve', file, '--report', 'state-of-care', '--by', 'Ruth Reviewer');
    expect(r.code).toBe(0);
    r = await cli(dir, 'check', file, '--report', 'state-of-care', '--json');
    check = JSON.parse(r.out) as CheckJson;
    expect(check.problems.filter((p) => p.code === 'figure-stale')).toEqual([]);
    expect(r.code).toBe(0);

    // Every step is in the audit log, which exports as CSV.
    const csvPath = join(dir, 'audit.csv');
    r = await cli(dir, 'audit', file, '--csv', csvPath);
    expect(r.code).toBe(0);
    const csv = readFileSync(csvPath, 'utf8');
    expect(csv.startsWith('\uFEFFid,at,actor,action,table,record_id,before,after\r\n')).toBe(true);
    expect(csv.match(/,Ruth Reviewer,section\.approve,sections,/g)).toHaveLength(2);
    expect(csv.match(/,Ruth Reviewer,section\.reapprove,sections,/g)).toHaveLength(2);
    expect(csv.match(/,Ruth Reviewer,figure\.approve,figure_approvals,/g)).toHaveLength(4);
    r = await cli(dir, 'audit', file, '--action', 'section.', '--json');
    expect((JSON.parse(r.out) as { total: number }).total).toBe(4);
  });

  it('refuses to approve without a name, and names the reports when one is not found', async () => {
    const dir = tempDir('assay-review-cli-');
    const file = join(dir, 'review.assay');
    await (await WorkspaceFile.create(file, { seed: async (ws) => void (await seedReviewFixture(ws)) })).close();
    let r = await cli(dir, 'approve', file, '--report', 'state-of-care');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--by is required/);
    r = await cli(dir, 'check', file, '--report', 'nope');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/There is no report "nope" in this workspace \(reports: state-of-care\)/);
  });

  it('writes a review copy whose figures and citations carry Word comments', async () => {
    const dir = tempDir('assay-review-cli-');
    const file = join(dir, 'review.assay');
    await (await WorkspaceFile.create(file, { seed: async (ws) => void (await seedReviewFixture(ws)) })).close();
    const r = await cli(dir, 'review-copy', file, '--report', 'state-of-care', '--out', dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const path = join(dir, 'state-of-care-review.docx');
    expect(existsSync(path)).toBe(true);
    expect(r.out).toMatch(/2 figure and 2 citation comments/);
    const files = unzipSync(readFileSync(path));
    const comments = strFromU8(files['word/comments.xml']!);
    expect(comments.match(/<w:comment /g)).toHaveLength(4);
    expect(comments).toMatch(/Live figure “Share rated good or outstanding” \(share-good\): 75%\..*Not yet approved\./);

    // The same file through `assay export --review`, the exporters' command.
    const viaExport = await cli(dir, 'export', file, '--report', 'state-of-care', '--review', '--out', join(dir, 'via-export.docx'));
    expect(viaExport.err).toBe('');
    expect(viaExport.code).toBe(0);
    expect(strFromU8(unzipSync(readFileSync(join(dir, 'via-export.docx')))['word/comments.xml']!).match(/<w:comment /g)).toHaveLength(4);
    const wrong = await cli(dir, 'export', file, '--report', 'state-of-care', '--review', '--format', 'pdf', '--out', dir);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/--review writes a Word file/);
  });
});
