import { expect, test } from '@playwright/test';
import { goTo, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

/**
 * Next year's edition of the demo State of Care report: made from the report header, it opens with the blackline of
 * numbers that moved (old → new, in document order); one click takes the editor to that figure, selected.
 */

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

test('a new edition opens with the numbers that moved; one of them is one click from its place in the text', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care 2017\/18/ }).first().click();
  await expect(page.getByTestId('report-editor')).toBeVisible();

  await page.getByTestId('new-edition').click();
  const dialog = page.getByRole('dialog', { name: 'New edition' });
  await expect(dialog.getByLabel('Title')).toHaveValue('State of Care 2018/19 (demonstration data)');
  await expect(dialog.getByLabel('As at')).toHaveValue('2019-07-31');
  await expect(dialog.getByLabel('Compared with')).toHaveValue('2018-07-31');
  await screen(page, 'edition-dialog');
  await dialog.getByRole('button', { name: 'Make the new edition' }).click();
  await expect(dialog).toBeHidden();

  await expect(page.getByRole('heading', { level: 1, name: 'State of Care 2018/19 (demonstration data)' })).toBeVisible();
  const panel = page.getByTestId('blackline');
  await expect(panel).toContainText('Numbers that moved since “State of Care 2017/18 (demonstration data)”');
  const items = panel.locator('.blackline__item');
  await expect(items.first()).toBeVisible({ timeout: 60_000 });
  const n = await items.count();
  expect(n).toBeGreaterThan(0);
  await expect(panel).toContainText(new RegExp(`: ${n} of \\d+ figures`));
  // Every item shows a number that differs: old struck through, new beside it.
  for (let i = 0; i < Math.min(n, 5); i++) {
    const del = (await items.nth(i).locator('del').textContent()) ?? '';
    const ins = (await items.nth(i).locator('ins').textContent()) ?? '';
    expect(del).not.toBe(ins);
  }
  await screen(page, 'edition-blackline');

  // One from a later section: the editor opens that section with the figure selected, showing the new number.
  const pick = items.nth(Math.min(n - 1, 3));
  const where = (await pick.locator('.blackline__where').textContent()) ?? '';
  const section = where.replace(/, paragraph \d+$/, '');
  const shown = ((await pick.locator('ins').textContent()) ?? '').replace(/:.*$/, '');
  await pick.click();
  const text = page.getByRole('textbox', { name: `Text of the section “${section}”` });
  await expect(text).toBeVisible();
  const selected = text.locator('.lf--selected, .fb--selected');
  await expect(selected).toHaveCount(1);
  await expect(selected).toBeInViewport();
  if (!/rows?$/.test(shown)) await expect(selected).toContainText(shown);
  await screen(page, 'edition-blackline-jump');
});
