import { expect, test, type Page } from '@playwright/test';
import { goTo, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

const count = async (page: Page): Promise<number> => {
  const text = (await page.locator('.results-bar__count').textContent()) ?? '';
  return Number(text.replace(/[^\d]/g, ''));
};

test('the data browser filters, sorts and scrolls the whole list of locations', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Data');
  const table = page.getByRole('table', { name: 'Locations' });
  await expect(table.getByRole('row').nth(1).getByRole('button')).toBeVisible();
  await expect(page.locator('.results-bar__count')).toHaveText(/^[\d,]+ locations$/);
  const all = await count(page);
  expect(all).toBeGreaterThan(1000);
  await screen(page, '03-data-locations');

  await page.getByLabel('Sector').selectOption({ label: 'Adult social care' });
  await expect(page.locator('.results-bar__count')).toHaveText(/match$/);
  const asc = await count(page);
  expect(asc).toBeLessThan(all);
  await page.getByLabel('Overall rating').selectOption('Inadequate');
  await expect.poll(() => count(page)).toBeLessThan(asc);
  // Every row shown is what the filters asked for.
  const rows = table.locator('.vt__body [role="row"]');
  await expect(rows.first().getByText('Inadequate')).toBeVisible();
  const sectors = await rows.locator('[role="cell"]:nth-child(3)').allTextContents();
  expect(new Set(sectors)).toEqual(new Set(['Adult social care']));

  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await expect.poll(() => count(page)).toBe(all);

  // Sorting by a column header; aria-sort tells assistive technology which way.
  const nameHeader = table.getByRole('columnheader', { name: /Location/ });
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
  const firstRowName = () => table.locator('.vt__body [role="row"]').first().locator('.vt__open').textContent();
  const ascFirst = await firstRowName();
  await nameHeader.getByRole('button').click();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(firstRowName).not.toBe(ascFirst);
  await nameHeader.getByRole('button').click();
  await expect.poll(firstRowName).toBe(ascFirst);
  await expect(page.locator('.results-bar__count')).toHaveText(/locations$/);

  // Scroll to the very end: the last row arrives from the host and is drawn, not a placeholder.
  const scroller = page.getByTestId('locations-scroll');
  await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  const last = table.locator(`[aria-rowindex="${all + 1}"]`);
  await expect(last.getByRole('button')).toBeVisible();
  await expect(last.locator('.skeleton')).toHaveCount(0);
  // Only a window of rows is in the DOM, however many locations there are.
  expect(await table.locator('.vt__body [role="row"]').count()).toBeLessThan(80);

  // Search narrows by name.
  await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
  const firstName = (await table.locator('.vt__body [role="row"]').first().getByRole('button').textContent())!.trim();
  await page.getByLabel('Search', { exact: true }).fill(firstName);
  await expect.poll(() => count(page)).toBeLessThan(all);
  await expect(table.getByRole('button', { name: firstName }).first()).toBeVisible();
});

test('adding a rating shows validation beside the fields first, then saves; editing it changes the list', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Data');
  const table = page.getByRole('table', { name: 'Locations' });
  await page.getByLabel('Sector').selectOption({ label: 'Adult social care' });
  await expect(page.locator('.results-bar__count')).toHaveText(/match$/);
  const firstRow = table.locator('.vt__body [role="row"]').first();
  const name = (await firstRow.getByRole('button').textContent())!.trim();
  await firstRow.getByRole('button').click();

  const detail = page.getByRole('complementary', { name });
  await expect(detail.getByRole('heading', { name: 'Rating history' })).toBeVisible();
  await screen(page, '04-location-detail');

  await detail.getByRole('button', { name: 'Add rating' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a rating' });
  await dialog.getByRole('button', { name: 'Add rating' }).click();
  await expect(dialog.getByText('There is a problem')).toBeVisible();
  await expect(dialog.getByLabel('Key question')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.locator('.field__error', { hasText: 'Choose a key question' })).toBeVisible();
  await expect(dialog.locator('.field__error', { hasText: 'Choose a rating' })).toBeVisible();
  await expect(dialog.locator('.field__error', { hasText: 'Enter the date the rating was published' })).toBeVisible();
  // The date must not be in the future.
  await dialog.getByLabel('Published on').fill('2099-01-01');
  await dialog.getByRole('button', { name: 'Add rating' }).click();
  await expect(dialog.locator('.field__error', { hasText: 'today or in the past' })).toBeVisible();
  await screen(page, '05-rating-form-errors');

  // A rating published today for Overall becomes the location's current rating in the list.
  const today = new Date().toISOString().slice(0, 10);
  await dialog.getByLabel('Key question').selectOption({ label: 'Overall' });
  await dialog.getByLabel('Rating', { exact: true }).selectOption('Inadequate');
  await dialog.getByLabel('Published on').fill(today);
  await dialog.getByRole('button', { name: 'Add rating' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').getByText(`Rating added for ${name}`)).toBeVisible();
  const history = detail.getByRole('table');
  await expect(history.getByRole('row').nth(1)).toContainText('Inadequate');
  await expect(history.getByRole('row').nth(1)).toContainText('Entered in Assay');
  await expect(table.getByRole('row').filter({ hasText: name }).first()).toContainText('Inadequate');

  // Edit it: Good instead.
  await history.getByRole('row').nth(1).getByRole('button', { name: /^Edit Overall rating/ }).click();
  const edit = page.getByRole('dialog', { name: 'Edit rating' });
  await expect(edit.getByLabel('Key question')).toBeDisabled();
  await edit.getByLabel('Rating', { exact: true }).selectOption('Good');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  await expect(history.getByRole('row').nth(1)).toContainText('Good');
  await expect(table.getByRole('row').filter({ hasText: name }).first()).toContainText('Good');
  await expect(page.getByText('Unsaved changes').or(page.getByText('All changes saved'))).toBeVisible();
});

test('the other tabs list providers, inspections, area reviews and findings; a finding can be added', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Data');
  await page.getByRole('tab', { name: /Providers/ }).click();
  await expect(page.getByRole('columnheader', { name: 'Provider', exact: true })).toBeVisible();
  await page.getByRole('tab', { name: /Area reviews/ }).click();
  await expect(page.getByRole('columnheader', { name: 'Review' })).toBeVisible();
  await screen(page, '06-area-reviews');
  await page.getByRole('tab', { name: /Findings/ }).click();
  await expect(page.getByRole('list', { name: 'Findings' }).or(page.getByText('No findings yet'))).toBeVisible();

  await page.getByRole('button', { name: 'Add finding' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a finding' });
  await dialog.getByRole('button', { name: 'Add finding' }).click();
  await expect(dialog.locator('.field__error', { hasText: 'Choose the area review' })).toBeVisible();
  await expect(dialog.locator('.field__error', { hasText: 'Write the finding' })).toBeVisible();
  await dialog.getByLabel('Area review').selectOption({ index: 1 });
  await dialog.getByLabel('Theme').selectOption({ label: 'Step down and return home' });
  await dialog.getByRole('radio', { name: 'Concern' }).check();
  const text = 'Weekend discharge staff were not available, so people ready to go home stayed in hospital over the weekend.';
  await dialog.getByLabel('Finding', { exact: true }).fill(text);
  await dialog.getByRole('group', { name: 'Evidence sources' }).getByRole('checkbox').first().check();
  await screen(page, '07-finding-form');
  await dialog.getByRole('button', { name: 'Add finding' }).click();
  await expect(dialog).toBeHidden();
  await page.getByLabel('Judgement').selectOption('concern');
  await expect(page.getByRole('listitem').filter({ hasText: text })).toContainText('1 evidence source');
  await screen(page, '08-findings');
});
