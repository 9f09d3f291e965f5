import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { caretAtEnd, goTo, openAsNewUser, SCREENS, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

/**
 * Issue 13, "Signed off means signed off", through the UI on a copy of the demo workspace: an approved section (approved
 * in the demo by a named reviewer through the workflow) is edited in the editor; the editor and the Review screen say
 * it has changed since approval, and "What changed" shows the added words; approving asks for confirmation, and the
 * person who made the last change is refused, with the reason, until an administrator allows self-approval.
 */

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

const REPORT = 'State of Care 2017/18 (demonstration data)';
const SECTION = 'Foreword';
const ADDED = 'Waiting times for home care assessments also lengthened in most areas this year.';

const sectionRow = (page: Page) => page.getByRole('table', { name: 'Sections and their sign-off' }).getByRole('row').filter({ has: page.getByRole('cell', { name: SECTION, exact: true }) });

async function openReview(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Review', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Review', level: 1 })).toBeVisible();
  await page.getByRole('combobox').filter({ has: page.getByRole('option', { name: REPORT }) }).first().selectOption({ label: REPORT });
  await expect(sectionRow(page)).toBeVisible();
}

test('an edited approved section shows what changed; approval is confirmed, and refused to the last editor unless allowed', async ({ page }) => {
  await openAsNewUser(page, t.url);

  // The demo's approval is a real one, by a reviewer who did not write the section: nothing has changed since.
  await openReview(page);
  await expect(sectionRow(page)).toContainText('approved');
  await expect(sectionRow(page)).toContainText('Helen Ward (publications reviewer)');
  await expect(sectionRow(page)).not.toContainText('Changed since approval');

  // 1. Edit the approved section's text in the editor.
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: REPORT }).first().click();
  await expect(page.getByTestId('report-editor')).toBeVisible();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: new RegExp(`^(\\d+ )?${SECTION}`) }).click();
  await expect(page.getByRole('heading', { name: SECTION, level: 2 })).toBeVisible();
  const text = page.getByRole('textbox', { name: new RegExp(`Text of the section “${SECTION}”`) });
  await caretAtEnd(page, text);
  await page.keyboard.press('Enter');
  await page.keyboard.type(ADDED);
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
  // The editor's status bar says so at once.
  await expect(page.getByTestId('changed-since-approval')).toHaveText('Changed since approval', { timeout: 15_000 });

  // 2. The Review screen: the section is changed since approval, and "What changed" shows the words added.
  await openReview(page);
  const row = sectionRow(page);
  await expect(row).toContainText('Changed since approval');
  await expect(row).toContainText('last changed by Priya Shah');
  await expect(page.getByTestId('checks-blocking')).toContainText(`Section “${SECTION}” has changed since Helen Ward (publications reviewer) approved it`);
  await page.getByRole('tab', { name: /What changed/ }).click();
  const changed = page.getByTestId('what-changed').getByRole('region', { name: SECTION });
  await expect(changed).toContainText('Approved by Helen Ward (publications reviewer)');
  await expect(changed).toContainText('the text (1 passage added)');
  const diff = changed.getByTestId('text-diff');
  await expect(diff.locator('ins')).toHaveText(ADDED);
  await expect(diff.locator('del')).toHaveCount(0);
  // Unchanged words around it, shortened.
  await expect(diff).toContainText('and we will continue to do so.');
  await changed.scrollIntoViewIfNeeded();
  await page.getByRole('tab', { name: /What changed/ }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SCREENS, 'review-diff.png') });

  // 3. Approving asks first; the person who made the last change is refused, with the reason.
  await row.getByRole('button', { name: 'Re-approve' }).click();
  const dialog = page.getByRole('dialog', { name: `Approve “${SECTION}”?` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('approver')).toHaveText('Priya Shah');
  await expect(dialog).toContainText(/figures? at the values shown/);
  await expect(dialog).toContainText(/citations? of evidence/);
  await expect(dialog.getByTestId('approval-refused')).toContainText(
    `Priya Shah made the last change to “${SECTION}”`,
  );
  await expect(dialog.getByTestId('approval-refused')).toContainText('so cannot also approve it: approval needs a second person');
  await expect(dialog.getByRole('button', { name: 'Approve', exact: true })).toBeDisabled();
  await screen(page, 'review-approval-refused');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('Changed since approval');

  // 4. An administrator allows self-approval: a clearly labelled option, confirmed, and recorded in the audit log.
  const rules = page.getByTestId('approval-rules');
  await expect(rules).toContainText('administrators');
  // The box changes only once the confirmation is given, so it is clicked, not checked.
  await rules.getByLabel(/Allow self-approval/).click();
  const confirm = page.getByRole('dialog', { name: 'Allow self-approval?' });
  await confirm.getByRole('button', { name: 'Allow self-approval' }).click();
  await expect(confirm).toBeHidden();
  await expect(rules.getByLabel(/Allow self-approval/)).toBeChecked();
  await expect(rules).toContainText('Allowed: one person can write and approve a section.');

  // 5. Now the approval goes through the same dialog, and clears "changed since approval".
  await row.getByRole('button', { name: 'Re-approve' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('approval-refused')).toHaveCount(0);
  await expect(dialog).toContainText(`Changed since Helen Ward (publications reviewer) approved it`);
  await screen(page, 'review-approval-dialog');
  await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row).not.toContainText('Changed since approval');
  await expect(row).toContainText('Priya Shah');
  await expect(page.getByText('Nothing has changed since approval')).toBeVisible();

  await page.getByRole('tab', { name: 'Audit log' }).click();
  await expect(page.getByTestId('audit-log')).toContainText('workspace.self-approval');
  await expect(page.getByTestId('audit-log')).toContainText('section.reapprove');
});
