import { expect, test } from '@playwright/test';
import { goTo, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

/**
 * The editor by keyboard (issue 16): a skip link goes straight to the section text, and the formatting toolbar is one
 * Tab stop whose controls the arrow keys move between (WAI-ARIA's toolbar pattern), skipping disabled ones.
 */

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

test('a skip link to the section text, and a toolbar that is one Tab stop with arrow keys inside it', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care/ }).first().click();
  const text = page.getByTestId('report-editor').getByRole('textbox', { name: /Text of the section/ });
  await expect(text).toBeVisible();

  // The skip link: hidden until focused, then shown; following it puts the caret in the text.
  const skip = page.getByRole('link', { name: 'Skip to the section text' });
  await skip.focus();
  await expect(skip).toBeInViewport();
  await screen(page, 'editor-keyboard-skip-link');
  await page.keyboard.press('Enter');
  await expect(text).toBeFocused();

  // The toolbar: exactly one of its controls is in the Tab order.
  const bar = page.getByRole('toolbar', { name: 'Formatting' });
  const tabStops = () => bar.locator('[tabindex="0"]').count();
  expect(await tabStops()).toBe(1);
  await bar.getByRole('button', { name: 'Bold' }).focus();
  expect(await tabStops()).toBe(1);
  await expect(bar.getByRole('button', { name: 'Bold' })).toHaveAttribute('tabindex', '0');
  await page.keyboard.press('ArrowRight');
  await expect(bar.getByRole('button', { name: 'Italic' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(bar.getByRole('button', { name: 'Find' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  // Round to the first enabled control: Undo and Redo are disabled before anything is typed, so it is the text style.
  await expect(bar.getByLabel('Text style')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(bar.getByRole('button', { name: 'Find' })).toBeFocused();
  // Tab leaves the toolbar at once, rather than walking through its sixteen controls.
  await page.keyboard.press('Tab');
  const inBar = await bar.evaluate((el) => el.contains(document.activeElement));
  expect(inBar).toBe(false);
  // Shift+Tab comes back to the control last used.
  await page.keyboard.press('Shift+Tab');
  await expect(bar.getByRole('button', { name: 'Find' })).toBeFocused();
});
