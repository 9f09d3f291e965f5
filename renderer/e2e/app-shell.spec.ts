import { expect, test } from '@playwright/test';
import { goTo, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

test('a new user is asked their name, then sees what is in the demo workspace', async ({ page }) => {
  await page.goto(t.url);
  const welcome = page.getByRole('dialog', { name: 'Welcome to Assay' });
  await expect(welcome).toBeVisible();
  await screen(page, '01-first-run');
  // The name is required: an empty answer is refused beside the field.
  await welcome.getByRole('button', { name: 'Continue' }).click();
  await expect(welcome.getByText('Enter your name')).toBeVisible();
  await welcome.getByLabel('Your full name').fill('Priya Shah');
  await welcome.getByRole('button', { name: 'Continue' }).click();
  await expect(welcome).toBeHidden();

  await expect(page.getByText('Demonstration data', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: /Locations$/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Imports' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Latest changes' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Priya Shah/ })).toBeVisible();
  await screen(page, '02-home');

  // The name is kept in the app's settings: opening the app again does not ask again.
  await page.goto(t.url);
  await expect(page.getByRole('heading', { name: 'Imports' })).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Welcome to Assay' })).toHaveCount(0);
});

test('the main navigation is reachable by keyboard with a visible focus ring', async ({ page }) => {
  await page.goto(t.url);
  await expect(page.getByRole('heading', { name: 'Imports' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  const home = page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' });
  await expect(home).toBeFocused();
  const ring = await home.evaluate((el) => getComputedStyle(el).boxShadow);
  expect(ring).not.toBe('none');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Data', level: 1 })).toBeVisible();
  await goTo(page, 'Home');
});
