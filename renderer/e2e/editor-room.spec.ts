import { expect, test } from '@playwright/test';
import { goTo, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

/**
 * Room to write: the outline and the side panel fold away (focus mode folds both) and the writing column widens; the
 * report reopens at the section last worked on, and a reload comes back to it.
 */

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

test('focus mode widens the text; the report reopens at the section last open, and the route names the section', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openAsNewUser(page, t.url);
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care 2017\/18/ }).first().click();
  const editor = page.getByTestId('report-editor');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /Hospitals/ }).first().click();
  const text = editor.getByRole('textbox', { name: /Text of the section “Hospitals”/ });
  await expect(text).toBeVisible();
  const narrow = (await text.boundingBox())!.width;

  const layout = editor.getByRole('toolbar', { name: 'Layout' });
  await layout.getByRole('button', { name: 'Focus mode' }).click();
  await expect(page.getByRole('navigation', { name: 'Sections' })).toHaveCount(0);
  await expect(page.getByRole('complementary', { name: 'Figures, evidence and selection' })).toHaveCount(0);
  await expect.poll(async () => (await text.boundingBox())!.width).toBeGreaterThan(narrow);
  await screen(page, 'editor-focus-mode-1280');
  await layout.getByRole('button', { name: 'Side panel' }).click();
  await expect(page.getByRole('complementary', { name: 'Figures, evidence and selection' })).toBeVisible();
  await layout.getByRole('button', { name: 'Sections' }).click();
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();

  // Away and back: the report opens at Hospitals, not the Foreword.
  await goTo(page, 'Home');
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care 2017\/18/ }).first().click();
  await expect(editor.getByRole('textbox', { name: /Text of the section “Hospitals”/ })).toBeVisible();

  // The address names the report and the open section: a reload comes back to it (the loopback host's page trades the
  // ticket it left in the tab for its key), and so does the link opened through the printed address.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /Safety/ }).first().click();
  await expect(editor.getByRole('textbox', { name: /Text of the section “Safety”/ })).toBeVisible();
  const hash = await page.evaluate(() => window.location.hash);
  expect(hash).toMatch(/^#\/reports\/[^/]+\/sections\/[^/]+$/);
  await page.reload();
  await expect(page.getByRole('textbox', { name: /Text of the section “Safety”/ })).toBeVisible();
  expect(await page.evaluate(() => window.location.hash)).toBe(hash);
  await goTo(page, 'Home');
  await page.goBack();
  await expect(page.getByRole('textbox', { name: /Text of the section “Safety”/ })).toBeVisible();

  const linked = await page.context().newPage();
  await linked.goto(`${t.url}&to=${encodeURIComponent(hash.slice(1))}`);
  await expect(linked.getByRole('textbox', { name: /Text of the section “Safety”/ })).toBeVisible();
  await linked.close();
});
