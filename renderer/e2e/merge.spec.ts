import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { axeScan, goTo, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

/**
 * Issue 15, as an editor: hand an inspector a workspace for their assignments (Export for inspector), let them work in
 * it in their own copy of the app, then bring it back in (Bring in a workspace) with one finding changed on both
 * sides, resolve that conflict in the app, and see the result.
 */

let t: TestHost;
let inspectorHost: TestHost | undefined;
const keep = mkdtempSync(join(tmpdir(), 'assay-e2e-merge-'));
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await inspectorHost?.close();
  await t?.close();
  rmSync(keep, { recursive: true, force: true });
});

type Assay = Record<string, (input: unknown) => Promise<any>>;
/** Runs `fn` in the page (serialised by Playwright, so it reaches the bridge through `window`, not a closure). */
const assay = <T,>(page: Page, fn: (arg: any) => Promise<T>, arg?: unknown): Promise<T> => page.evaluate(fn, arg);

/** Saves a finding as it is, but for its text. */
const rewriteFinding = (arg: { assessmentId: string; findingId: string; text: string }) =>
  (window as unknown as { assay: Assay }).assay['findings.list']!({ assessmentId: arg.assessmentId }).then(({ rows }: { rows: any[] }) => {
    const f = rows.find((r) => r.id === arg.findingId);
    return (window as unknown as { assay: Assay }).assay['findings.save']!({
      id: f.id,
      subjectType: f.subjectType,
      subjectId: f.subjectId,
      judgement: f.judgement,
      status: f.status,
      text: arg.text,
      evidenceIds: f.evidenceIds,
      assessmentId: f.assessmentId,
      keyQuestionId: f.keyQuestionId,
      qualityStatementId: f.qualityStatementId,
    });
  });

test('an editor hands an inspector their workspace, brings it back with one conflict, and resolves it in the app', async ({ page, browser }) => {
  test.setTimeout(300_000);
  await openAsNewUser(page, t.url, 'Priya Shah');

  // An inspector with an assessment under way that already has a finding.
  const job = await assay(page, async () => {
    const a = (window as unknown as { assay: Assay }).assay;
    const { inspectors } = await a['inspectorPack.options']!({});
    for (const i of inspectors) {
      for (const s of i.assignments) {
        const d = await a['assessments.get']!({ id: s.id });
        // A score the inspector can change: an evidence category's where the version builds statement scores from them.
        const cat = d.categoryScores[0];
        const direct = d.scores.find((x: { derived: boolean }) => !x.derived);
        const score = cat ? { statementId: cat.statementId as string, categoryId: cat.categoryId as string, score: cat.score as number } : direct ? { statementId: direct.statementId as string, categoryId: null, score: direct.score as number } : null;
        if (d.findingIds.length && score) return { inspector: i.name as string, assessmentId: s.id as string, findingId: d.findingIds[0] as string, ...score };
      }
    }
    throw new Error('No inspector in the demo has an assessment with findings and scores.');
  });

  // File › Export for inspector… (on the Data screen in a browser).
  await goTo(page, 'Data');
  await page.getByRole('button', { name: 'Export for inspector' }).click();
  const exportDialog = page.getByRole('dialog', { name: 'Export for inspector' });
  await exportDialog.getByLabel('Inspector', { exact: true }).selectOption(job.inspector);
  await expect(exportDialog.getByRole('checkbox', { checked: true }).first()).toBeVisible();
  await screen(page, 'merge-01-export-for-inspector');
  await exportDialog.getByRole('button', { name: 'Make the workspace' }).click();
  await expect(exportDialog.getByTestId('inspector-pack-made')).toContainText(`for ${job.inspector}:`);
  await screen(page, 'merge-02-inspector-workspace-made');
  await exportDialog.getByRole('button', { name: 'Done' }).click();
  const made = readdirSync(t.exportsDir).filter((f) => f.endsWith('.assay'));
  expect(made).toHaveLength(1);

  // The inspector works in their own copy of the app: a new score, and the finding rewritten.
  inspectorHost = await startDemoHost({ workspaceFrom: join(t.exportsDir, made[0]!) });
  const inspectorPage = await browser.newPage();
  await openAsNewUser(inspectorPage, inspectorHost.url, job.inspector);
  const newScore = job.score === 4 ? 3 : job.score + 1;
  await assay(
    inspectorPage,
    (arg) =>
      (window as unknown as { assay: Assay }).assay['scores.set']!({
        assessmentId: arg.assessmentId,
        scores: [arg.categoryId ? { statementId: arg.statementId, categories: { [arg.categoryId]: arg.score } } : { statementId: arg.statementId, score: arg.score }],
      }).catch((e: { message?: string }) => Promise.reject(new Error(e.message ?? String(e)))),
    { ...job, score: newScore },
  );
  await assay(inspectorPage, rewriteFinding, { ...job, text: 'Inspector’s wording: people told us staff did not always come when called at night.' });
  await assay(inspectorPage, () => (window as unknown as { assay: Assay }).assay['workspace.save']!({}));
  const handedBack = join(keep, `${job.inspector} – handed back.assay`);
  copyFileSync(inspectorHost.workspace, handedBack);
  await inspectorPage.close();

  // Meanwhile the editor changed the same finding here.
  await assay(page, rewriteFinding, { ...job, text: 'Editor’s wording: call bells were not always answered promptly at night.' });

  // File › Bring in a workspace…: the preview first, writing nothing.
  await page.getByRole('button', { name: 'Bring in a workspace' }).click();
  const bringIn = page.getByRole('dialog', { name: 'Bring in a workspace' });
  await bringIn.getByLabel('Workspace to bring in').setInputFiles(handedBack);
  const summary = bringIn.getByTestId('merge-summary');
  await expect(summary).toContainText('Nothing has been changed yet.');
  await expect(summary.getByRole('row', { name: /Findings/ })).toContainText('1');
  await expect(summary.getByRole('row', { name: /Quality statement scores/ })).toBeVisible();
  await screen(page, 'merge-03-bring-in-preview');
  const previewScan = await axeScan(page);
  console.log(`[a11y] bring-in preview: ${previewScan.passed} rules passed; violations: ${previewScan.violations.join(', ') || 'none'}`);
  expect(previewScan.violations).toEqual([]);
  expect(await assay(page, () => (window as unknown as { assay: Assay }).assay['merge.conflicts']!({}).then((r: { rows: unknown[] }) => r.rows.length))).toBe(0);

  await bringIn.getByRole('button', { name: 'Bring in', exact: true }).click();
  await expect(summary).toContainText('1 record changed on both sides listed for you to resolve');
  await screen(page, 'merge-04-brought-in');
  await bringIn.getByRole('button', { name: 'Resolve 1 conflict' }).click();

  // Data › Conflicts: both sides field by field; the editor writes the record from the two.
  await expect(page.getByRole('tab', { name: /Conflicts/ })).toHaveAttribute('aria-selected', 'true');
  const card = page.getByTestId('conflict');
  await expect(card).toHaveCount(1);
  await expect(card.getByRole('heading')).toContainText('Finding: “Editor’s wording');
  await expect(card.getByRole('row', { name: /Text/ })).toContainText('Inspector’s wording');
  await screen(page, 'merge-05-conflict');
  const conflictScan = await axeScan(page);
  console.log(`[a11y] conflicts: ${conflictScan.passed} rules passed; violations: ${conflictScan.violations.join(', ') || 'none'}`);
  expect(conflictScan.violations).toEqual([]);
  await card.getByRole('button', { name: 'Edit…' }).click();
  const agreed = 'People told us staff did not always come when called at night, and call bells were not always answered promptly.';
  await card.getByLabel('Text (edited)').fill(agreed);
  await screen(page, 'merge-06-conflict-editing');
  await card.getByRole('button', { name: 'Save the edited record' }).click();
  await expect(page.getByText('No conflicts to resolve.')).toBeVisible();
  await page.getByLabel('Show resolved conflicts').check();
  await expect(page.getByTestId('conflict')).toContainText('Resolved: edited');
  await screen(page, 'merge-07-resolved');
  await page.setViewportSize({ width: 1280, height: 720 });
  await screen(page, 'merge-07-resolved-1280');

  // The result: the agreed wording, and the inspector's score taken because only they changed it.
  const after = await assay(
    page,
    async (arg) => {
      const a = (window as unknown as { assay: Assay }).assay;
      const { rows } = await a['findings.list']!({ assessmentId: arg.assessmentId });
      const d = await a['assessments.get']!({ id: arg.assessmentId });
      const score = arg.categoryId
        ? d.categoryScores.find((s: { statementId: string; categoryId: string }) => s.statementId === arg.statementId && s.categoryId === arg.categoryId).score
        : d.scores.find((s: { statementId: string }) => s.statementId === arg.statementId).score;
      return { text: rows.find((r: { id: string }) => r.id === arg.findingId).text as string, score: score as number };
    },
    job,
  );
  expect(after).toEqual({ text: agreed, score: newScore });
});
