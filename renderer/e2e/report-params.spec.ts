import { expect, test } from '@playwright/test';
import { goTo, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

/**
 * A report's parameters are changed in its header, and every live figure follows: the demo State of Care report is
 * moved back a year (as at 31 July 2017, compared with 31 July 2016) and its first figures read differently. A
 * comparison date after the "as at" date is refused beside its field.
 */

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

test('changing the as-at date in the report header changes the live figures; a bad comparison date is refused', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care/ }).first().click();
  const text = page.getByTestId('report-editor').getByRole('textbox', { name: /Text of the section/ });
  await expect(text).toBeVisible();
  const figures = text.locator('[data-figure-id].lf');
  await expect(figures.first()).toBeVisible();
  // Every figure computed (none still "…").
  await expect.poll(async () => (await figures.allTextContents()).some((x) => x.includes('…'))).toBe(false);
  const before = await figures.allTextContents();
  await expect(page.locator('.report-bar__params')).toContainText('As at: 31 July 2018');

  await page.getByTestId('edit-params').click();
  const dialog = page.getByRole('dialog', { name: 'Report parameters' });
  // A comparison date after the as-at date: refused, beside the field, and nothing changes.
  await dialog.getByLabel('Compared with').fill('2019-07-31');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog.getByText('The comparison date must be before the “as at” date').first()).toBeVisible();
  await screen(page, 'report-params-refused');

  await dialog.getByLabel('As at').fill('2017-07-31');
  await dialog.getByLabel('Compared with').fill('2016-07-31');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.report-bar__params')).toContainText('As at: 31 July 2017');
  await expect
    .poll(async () => {
      const now = await figures.allTextContents();
      return !now.some((x) => x.includes('…')) && now.join('|') !== before.join('|');
    })
    .toBe(true);
  const after = await figures.allTextContents();
  expect(after.filter((x, i) => x !== before[i]).length).toBeGreaterThan(0);
  await screen(page, 'report-params-changed');
});

test('publication details are edited from the report bar, with an ISBN or HC number that is not one refused beside its field', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care/ }).first().click();
  await page.getByTestId('publication-details').click();
  const dialog = page.getByRole('dialog', { name: 'Publication details' });
  // The demo's own details, and the template's wording for the rest.
  await expect(dialog.getByLabel('ISBN')).toHaveValue('978-1-5286-0782-7');
  await expect(dialog.getByLabel('Contact details')).toHaveValue(/enquiries@cqc\.org\.uk/);
  await expect(dialog.getByTestId('pub-signatory-name-0')).toHaveValue('Peter Wyman');
  await dialog.getByLabel('ISBN').fill('978-1-5286-0782-8');
  await dialog.getByLabel('HC number').fill('1457');
  await dialog.getByRole('button', { name: 'Save details' }).click();
  await expect(dialog.getByText(/check digit/).first()).toBeVisible();
  await expect(dialog.getByText(/like “HC 1457”/).first()).toBeVisible();
  await screen(page, 'publication-details-refused');
  await dialog.getByLabel('ISBN').fill('978-0-306-40615-7');
  await dialog.getByLabel('HC number').fill('HC 1458');
  await dialog.getByRole('button', { name: 'Save details' }).click();
  await expect(dialog).toBeHidden();
  await page.getByTestId('publication-details').click();
  await expect(dialog.getByLabel('ISBN')).toHaveValue('978-0-306-40615-7');
  await expect(dialog.getByLabel('HC number')).toHaveValue('HC 1458');
  await screen(page, 'publication-details');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
