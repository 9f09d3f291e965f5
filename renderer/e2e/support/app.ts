import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { REPO } from './host';

export const SCREENS = join(REPO, 'test-results', 'screens');

/** A full-window screenshot of a main screen, for people to look at (not compared against a baseline). */
export async function screen(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  // Let fonts, transitions and late rows settle so the picture is what a user sees.
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SCREENS, `${name}.png`) });
}

/**
 * Opens the app; on the first visit to a host (a new user: fresh settings) it answers the name prompt. Later tests
 * against the same host find the name already stored.
 */
export async function openAsNewUser(page: Page, url: string, name = 'Priya Shah'): Promise<void> {
  await page.goto(url);
  const dialog = page.getByRole('dialog', { name: 'Welcome to Assay' });
  const home = page.getByRole('heading', { name: 'Imports' });
  await expect(dialog.or(home).first()).toBeVisible();
  if (await dialog.isVisible()) {
    await dialog.getByLabel('Your full name').fill(name);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect(dialog).toBeHidden();
  }
  await expect(home).toBeVisible();
}

export async function goTo(page: Page, section: 'Home' | 'Data' | 'Reports' | 'Figures' | 'Evidence'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: section, exact: true }).click();
}
