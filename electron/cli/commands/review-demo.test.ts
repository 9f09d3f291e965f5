import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../run';
import { tempDir } from '../../services/testing/fixtures';
import { createDemoWorkspace } from '../../services/demo/create';

/**
 * Issue 6's acceptance test on the demonstration workspace itself (not the small review fixture): approve the demo
 * report, import new ratings (Oldham), find the affected figures stale with approved and current values, re-approve.
 * One demo generation (about 20 s) shared by the steps, which run in order.
 */
const OLDHAM = join(__dirname, '../../../../shared/data/cqc/oldham_cqc_api_ratings_long_2025-03.csv');
const REPORT = 'state-of-care-2017-18';

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), progress: () => undefined, cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface Problem {
  code: string;
  severity: string;
  message?: string;
  location?: { sectionTitle: string };
  approved?: { formatted: string; value: unknown; fingerprint: string; by: string };
  current?: { formatted: string; value: unknown; fingerprint: string };
}
interface CheckJson {
  publishable: boolean;
  blocking: number;
  problems: Problem[];
  sections: { title: string; status: string; changedSinceApproval: boolean; staleFigures: number }[];
  whatChanged: { sectionTitle: string; figures: { slug: string; approved: { shown: string }; shown: string }[] }[];
}

describe('review on the demo report', () => {
  let dir = '';
  let file = '';
  beforeAll(async () => {
    dir = tempDir('assay-review-demo-');
    file = join(dir, 'demo.assay');
    await createDemoWorkspace(file);
  }, 60_000);
  afterAll(() => undefined);

  it('approves the demo report, finds figures stale after importing Oldham ratings, and clears them on re-approval', async () => {
    let r = await cli(dir, 'approve', file, '--report', REPORT, '--by', 'Test Reviewer');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Approved \d+ sections? of .* as Test Reviewer: \d+ figure approvals? recorded\./);

    r = await cli(dir, 'check', file, '--report', REPORT, '--json');
    let check = JSON.parse(r.out) as CheckJson;
    expect(check.problems.filter((p) => p.code === 'figure-stale')).toEqual([]);
    expect(check.problems.filter((p) => p.code === 'figure-unapproved' || p.code === 'section-not-approved')).toEqual([]);

    r = await cli(dir, 'import', 'cqc-ratings', file, OLDHAM, '--by', 'Importer');
    expect(r.code, r.err).toBe(0);

    r = await cli(dir, 'check', file, '--report', REPORT, '--json');
    expect(r.code).not.toBe(0);
    check = JSON.parse(r.out) as CheckJson;
    expect(check.publishable).toBe(false);
    const stale = check.problems.filter((p) => p.code === 'figure-stale');
    expect(stale.length).toBeGreaterThan(0);
    for (const p of stale) {
      expect(p.severity).toBe('blocking');
      expect(p.approved?.by).toBe('Test Reviewer');
      expect(p.approved?.formatted).toEqual(expect.any(String));
      expect(p.current?.formatted).toEqual(expect.any(String));
      // The data behind it changed; a change printed from rounded levels may still read the same.
      expect(p.current!.fingerprint).not.toEqual(p.approved!.fingerprint);
      // A table's or chart's headline (the number rated) is a count, never a percentage in the millions.
      for (const f of [p.approved!.formatted, p.current!.formatted]) expect(f).not.toMatch(/^\d{1,3}(,\d{3})+%$/);
    }
    // At least one differs as the reader sees it, not only in an unshown decimal.
    expect(stale.some((p) => p.current!.formatted !== p.approved!.formatted)).toBe(true);
    const changed = check.sections.filter((s) => s.changedSinceApproval);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.reduce((n, s) => n + s.staleFigures, 0)).toBe(stale.length);
    expect(check.whatChanged.length).toBe(changed.length);
    const listed = check.whatChanged.flatMap((w) => w.figures);
    expect(listed.length).toBe(stale.length);
    expect(listed.some((f) => f.approved.shown !== f.shown)).toBe(true);
    console.log(
      `[review-demo] ${stale.length} stale figures in ${changed.length} sections; e.g. ` +
        [...stale.filter((p) => p.current!.formatted !== p.approved!.formatted), ...stale].slice(0, 3).map((p) => `${p.location?.sectionTitle}: ${p.approved!.formatted} -> ${p.current!.formatted}`).join('; '),
    );

    const human = await cli(dir, 'check', file, '--report', REPORT);
    expect(human.code).not.toBe(0);
    expect(human.out).toMatch(/CHANGED SINCE APPROVAL/);

    r = await cli(dir, 'approve', file, '--report', REPORT, '--by', 'Test Reviewer');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    r = await cli(dir, 'check', file, '--report', REPORT, '--json');
    check = JSON.parse(r.out) as CheckJson;
    expect(check.problems.filter((p) => p.code === 'figure-stale')).toEqual([]);
    expect(check.sections.filter((s) => s.changedSinceApproval || s.staleFigures > 0)).toEqual([]);
    expect(check.whatChanged.flatMap((w) => w.figures)).toEqual([]);
  }, 90_000);
});
