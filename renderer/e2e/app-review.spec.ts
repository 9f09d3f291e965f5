import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { AssayApi } from '../../shared/ipc/contract';
import { openAsNewUser, screen } from './support/app';
import { REPO, startDemoHost, type TestHost } from './support/host';

/**
 * The review flow through the loopback host, on the review fixture (a two-section report quoting a live figure and
 * citing evidence): send a section for review, comment on it, approve it, change a rating underneath it, see the
 * section marked "changed since approval" and the figure's approved and current values, and re-approve.
 */

let t: TestHost;
let templateDir: string;

test.beforeAll(async () => {
  templateDir = mkdtempSync(join(tmpdir(), 'assay-e2e-review-'));
  const file = join(templateDir, 'review.assay');
  // Made in a tsx child, as the host is: Playwright's loader does not run the store's modules.
  const script =
    `import('./electron/services/workspace-file.ts').then(async ({ WorkspaceFile }) => { const { seedReviewFixture } = await import('./shared/review/testing/fixtures.ts'); ` +
    `const wf = await WorkspaceFile.create(${JSON.stringify(file)}, { name: 'Review fixture', seed: async (ws) => { await seedReviewFixture(ws); } }); await wf.close(); })` +
    `.catch((e) => { console.error(e); process.exit(1); })`;
  const r = spawnSync(join(REPO, 'node_modules', '.bin', 'tsx'), ['-e', script], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`Could not make the review workspace:\n${r.stderr || r.stdout}`);
  t = await startDemoHost({ workspaceFrom: file });
});
test.afterAll(async () => {
  await t?.close();
  rmSync(templateDir, { recursive: true, force: true });
});

async function openReview(page: Page): Promise<void> {
  await openAsNewUser(page, t.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Review', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Review', level: 1 })).toBeVisible();
}

const sectionRow = (page: Page, title: string) => page.getByRole('table', { name: 'Sections and their sign-off' }).getByRole('row').filter({ hasText: title });

test('a section is reviewed, commented on, approved, changed underneath and re-approved', async ({ page }) => {
  await openReview(page);
  const summary = page.getByTestId('publication-summary');
  await expect(summary).toContainText('block publication');
  await expect(page.getByTestId('checks-blocking')).toContainText('has not been approved');
  await screen(page, 'review-01-checks');

  const intro = sectionRow(page, 'Introduction');
  await intro.getByRole('button', { name: 'Send for review' }).click();
  await expect(intro).toContainText('in review');
  await expect(intro).toContainText('Priya Shah');

  // A comment on the words of the section, with a reply, resolved.
  await page.getByRole('tab', { name: 'Comments' }).click();
  const form = page.getByRole('form', { name: 'New comment' });
  await form.getByLabel('Section').selectOption({ label: 'Introduction' });
  await form.getByLabel('Text commented on (optional)').fill('rated good or outstanding');
  await form.getByLabel('Comment', { exact: true }).fill('Is this all sectors or adult social care only?');
  await form.getByRole('button', { name: 'Add comment' }).click();
  const thread = page.getByTestId('comment-threads').getByRole('listitem').filter({ hasText: 'Is this all sectors' });
  await expect(thread).toContainText('“rated good or outstanding”');
  await thread.getByLabel('Reply').fill('All sectors; the caption says so.');
  await thread.getByRole('button', { name: 'Reply' }).click();
  await expect(thread).toContainText('All sectors; the caption says so.');
  await screen(page, 'review-02-comments');
  await thread.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByTestId('comment-threads').getByRole('listitem').filter({ hasText: 'Is this all sectors' })).toHaveCount(0);

  await intro.getByRole('button', { name: 'Approve', exact: true }).click();
  // Approving asks first (issue 13), naming the section and who approves.
  const confirm = page.getByRole('dialog', { name: 'Approve “Introduction”?' });
  await expect(confirm.getByTestId('approver')).toHaveText('Priya Shah');
  await confirm.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(intro).toContainText('approved');

  // The citation ledger shows the claim, its figure (approved) and its evidence.
  await page.getByRole('tab', { name: 'Citation ledger' }).click();
  const claim = page.getByTestId('ledger').getByRole('row').filter({ hasText: 'At 31 July, 75% of services were rated good or outstanding.' });
  await expect(claim).toContainText('CQC ratings data');
  await expect(claim).toContainText('verified');
  await screen(page, 'review-03-ledger');

  // A rating changes underneath the approved section (as an import or a colleague's edit would).
  await page.evaluate(async () => {
    const a = (window as unknown as { assay: AssayApi }).assay;
    const loc = await a['locations.get']({ id: '1-003' });
    const overall = loc.ratings.find((r) => r.keyQuestionId === 'overall')!;
    await a['ratings.update']({ id: overall.id, rating: 'Good' });
  });
  await expect(intro).toContainText('Changed since approval');
  await page.getByRole('tab', { name: /What changed/ }).click();
  const changed = page.getByTestId('what-changed').getByRole('row').filter({ hasText: 'Share rated good or outstanding' });
  await expect(changed).toContainText('75%');
  await expect(changed).toContainText('100%');
  await screen(page, 'review-04-what-changed');

  await intro.getByRole('button', { name: 'Re-approve' }).click();
  await confirm.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(intro).not.toContainText('Changed since approval');
  await expect(page.getByText('Nothing has changed since approval')).toBeVisible();

  await page.getByRole('button', { name: 'Word review copy' }).click();
  await expect(page.getByText(/Review copy written with 4 comments: .*state-of-care-review\.docx/)).toBeVisible();

  // The register, filtered to what is not yet verified, and what rests on one source.
  await page.getByRole('tab', { name: 'Evidence register' }).click();
  await page.getByLabel('Verified').selectOption('no');
  const register = page.getByTestId('evidence-register');
  await expect(register.getByRole('row')).toHaveCount(2);
  await register.getByRole('button', { name: 'Interview with a registered manager' }).click();
  await expect(page.getByTestId('cited-by')).toContainText('Staff told us rotas were stretched.');
  await expect(page.getByTestId('cited-by')).toContainText('Safety, paragraph 2, sentence 2');
  await screen(page, 'review-05-evidence');

  await page.getByRole('tab', { name: 'Audit log' }).click();
  await expect(page.getByTestId('audit-log')).toContainText('section.reapprove');
  await screen(page, 'review-06-audit');
});
