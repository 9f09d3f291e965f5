import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceFile } from '../workspace-file';
import { tempDir } from '../testing/fixtures';
import type { Workspace } from '../../../shared/store/workspace';
import { importFile, type ImportOutcome, type ImportSuccess } from './index';
import { NATIONAL, OLDHAM, readSimpleCsv } from './test-helpers';

/**
 * Two editions of CQC's data in either order: the national "Latest ratings" file of February 2021 and the Oldham
 * extract of March 2025 (API long layout). The workspace must end the same whichever came first (names, details
 * history, registration, ratings), hold the two layouts' population groups as one series, and audit only real changes.
 * Expected values are taken from the CSVs here with the tests' own reader.
 */

function ok(o: ImportOutcome): ImportSuccess {
  if (!o.ok) throw new Error(`import failed: ${JSON.stringify(o.problems.slice(0, 5))}`);
  return o;
}

const have = existsSync(NATIONAL) && existsSync(OLDHAM);

/** What the workspace holds, without import ids and times (which differ by order). */
function state(ws: Workspace) {
  return {
    locations: ws.all(
      'SELECT id, name, sector_id, location_type, category, care_home, local_authority_id, region_id, registration_status, registration_as_of, deregistered_on FROM locations ORDER BY id',
    ),
    details: ws.all('SELECT location_id, effective_from, observed_to, name, category, care_home, local_authority_id, region_id FROM location_details ORDER BY location_id, effective_from'),
    ratings: ws.all('SELECT location_id, service_group, key_question_id, published_on, rating, report_type, inherited FROM ratings ORDER BY location_id, service_group, key_question_id, published_on'),
  };
}

describe.skipIf(!have)('two editions of CQC data, imported in either order', () => {
  const dir = tempDir('assay-import-history-');
  let forward: WorkspaceFile;
  let backward: WorkspaceFile;
  const oldham = have ? readSimpleCsv(OLDHAM) : [];
  const national = have ? readSimpleCsv(NATIONAL) : [];

  beforeAll(async () => {
    forward = await WorkspaceFile.create(join(dir, 'forward.assay'));
    ok(await importFile(forward, 'cqc-ratings', NATIONAL, { by: 'test', edition: 'February 2021' }));
    ok(await importFile(forward, 'cqc-ratings', OLDHAM, { by: 'test' }));
    backward = await WorkspaceFile.create(join(dir, 'backward.assay'));
    ok(await importFile(backward, 'cqc-ratings', OLDHAM, { by: 'test' }));
    ok(await importFile(backward, 'cqc-ratings', NATIONAL, { by: 'test', edition: 'February 2021' }));
  }, 300_000);
  afterAll(async () => {
    await forward?.close();
    await backward?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends with the same locations, details history, registration and ratings whichever file came first', () => {
    const a = state(forward.workspace);
    const b = state(backward.workspace);
    expect(a.locations.length).toBe(b.locations.length);
    expect(a.details.length).toBe(b.details.length);
    expect(a.ratings.length).toBe(b.ratings.length);
    expect(a).toEqual(b);
  });

  it('keeps the newer name of a location the 2021 file names otherwise, and its older name in the history', () => {
    const newer = new Map(oldham.map((r) => [r['Location ID']!, r['Location Name']!]));
    const renamed = [...new Map(national.filter((r) => newer.has(r['Location ID']!)).map((r) => [r['Location ID']!, r['Location Name']!])).entries()].filter(([id, name]) => newer.get(id) !== name);
    expect(renamed.length).toBeGreaterThan(0);
    for (const wf of [forward, backward]) {
      for (const [id, oldName] of renamed) {
        expect(wf.workspace.value('SELECT name FROM locations WHERE id = ?', [id])).toBe(newer.get(id));
        const names = wf.workspace.all<{ name: string; effective_from: string }>('SELECT name, effective_from FROM location_details WHERE location_id = ? ORDER BY effective_from', [id]);
        expect(names.map((n) => n.name)).toEqual([oldName, newer.get(id)]);
      }
    }
  });

  it('holds the two layouts’ population groups as one series: Oldham GP practices are not counted twice', () => {
    // The API layout spells population groups as codes ('old', 'conditions', …); the national file spells them out.
    const codes = new Set(oldham.filter((r) => r['Location Type'] === 'Primary Medical Services' && r['Service / Population Group'] !== 'Overall').map((r) => r['Service / Population Group']!));
    expect(codes.has('old')).toBe(true);
    for (const wf of [forward, backward]) {
      const ws = wf.workspace;
      expect(ws.value(`SELECT count(*) FROM ratings WHERE service_group IN (${[...codes].map(() => '?').join(', ')})`, [...codes])).toBe(0);
      // Each Oldham GP practice has at most one series per group and key question on each date.
      expect(
        ws.value(`SELECT count(*) FROM (SELECT r.location_id, r.service_group, r.key_question_id, r.published_on, count(*) AS n FROM ratings r JOIN locations l ON l.id = r.location_id
          WHERE l.local_authority_id = 'oldham' AND l.sector_id = 'pms' GROUP BY 1, 2, 3, 4 HAVING n > 1)`),
      ).toBe(0);
      const groups = ws.all<{ service_group: string }>(
        "SELECT DISTINCT r.service_group FROM ratings r JOIN locations l ON l.id = r.location_id WHERE l.local_authority_id = 'oldham' AND l.sector_id = 'pms' ORDER BY 1",
      ).map((g) => g.service_group);
      expect(groups).toContain('Older people');
      expect(groups).not.toContain('old');
    }
  });

  it('keeps the registration status the 2025 extract gives, whichever came first', () => {
    const status = new Map(oldham.map((r) => [r['Location ID']!, r['Registration Status']!]));
    const deregistered = [...status].filter(([, s]) => s === 'Deregistered').map(([id]) => id);
    expect(deregistered.length).toBeGreaterThan(0);
    for (const wf of [forward, backward]) {
      const held = new Map(wf.workspace.all<{ id: string; registration_status: string }>("SELECT id, registration_status FROM locations WHERE local_authority_id = 'oldham'").map((r) => [r.id, r.registration_status]));
      for (const [id, s] of status) expect(held.get(id), id).toBe(s);
    }
  });

  it('audits real changes only: no rating "corrections" for a flag the long layout does not carry', () => {
    for (const wf of [forward, backward]) {
      const corrections = wf.workspace.all<{ before: string; after: string }>("SELECT before, after FROM audit_log WHERE action = 'rating.correct'");
      for (const c of corrections) {
        const before = JSON.parse(c.before) as Record<string, unknown>;
        const after = JSON.parse(c.after) as Record<string, unknown>;
        // A correction changes the rating or its report type, never only the inherited flag.
        expect(before.rating !== after.rating || before.report_type !== after.report_type, JSON.stringify({ before, after })).toBe(true);
      }
    }
  });
});
