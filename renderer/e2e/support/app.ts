import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
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
  // Whether the prompt comes is the host's answer, not a race between the prompt and the home screen: the home screen
  // can draw before the settings arrive and the prompt opens over it.
  const named = await page.evaluate(async () => {
    const a = (window as unknown as { assay: Record<string, (input: unknown) => Promise<{ userName?: string | null }>> }).assay;
    return !!(await a['settings.get']!({})).userName;
  });
  if (!named) {
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Your full name').fill(name);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect(dialog).toBeHidden();
  }
  await expect(home).toBeVisible();
}

export async function goTo(page: Page, section: 'Home' | 'Data' | 'Reports' | 'Figures' | 'Evidence'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: section, exact: true }).click();
}

/** A location whose latest overall rating on or before the report date is Good (one rating that day, unique name). */
export async function findGoodLocation(page: Page, asAt: string): Promise<{ id: string; name: string; publishedOn: string }> {
  return page.evaluate(async (asAt) => {
    const a = (window as unknown as { assay: Record<string, (input: unknown) => Promise<any>> }).assay;
    const { rows } = await a['locations.list']!({ filters: { overallRating: 'Good' }, limit: 300 });
    for (const row of rows) {
      if (!row.overallPublished || row.overallPublished > asAt) continue;
      const loc = await a['locations.get']!({ id: row.id });
      const overall = loc.ratings
        .filter((r: { keyQuestionId: string; serviceGroup: string; publishedOn: string }) => r.keyQuestionId === 'overall' && r.serviceGroup === 'Overall' && r.publishedOn <= asAt)
        .sort((x: { publishedOn: string }, y: { publishedOn: string }) => (x.publishedOn < y.publishedOn ? 1 : -1));
      const dupes = rows.filter((r: { name: string }) => r.name === row.name).length;
      if (overall[0]?.rating === 'Good' && overall.filter((r: { publishedOn: string }) => r.publishedOn === overall[0].publishedOn).length === 1 && dupes === 1) {
        return { id: row.id as string, name: row.name as string, publishedOn: overall[0].publishedOn as string };
      }
    }
    throw new Error('No suitable location in the demo workspace.');
  }, asAt);
}

/** A date as the app writes it in labels, e.g. "18 January 2015". */
export function longDate(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}

/**
 * Puts the caret at the very end of an editor's text, and waits until the browser's selection is really there. Focus,
 * not a click: a click can land on a figure block, or put the caret where the pointer is after Ctrl+End was handled.
 */
export async function caretAtEnd(page: Page, text: Locator): Promise<void> {
  await text.focus();
  await expect
    .poll(
      async () => {
        await page.keyboard.press('Control+End');
        return text.evaluate((el) => {
          const sel = document.getSelection();
          if (!sel || !sel.anchorNode || !el.contains(sel.anchorNode)) return false;
          const after = document.createRange();
          after.setStart(sel.anchorNode, sel.anchorOffset);
          after.setEnd(el, el.childNodes.length);
          return after.toString().trim() === '';
        });
      },
      { timeout: 10_000 },
    )
    .toBe(true);
}

/** axe-core's WCAG 2.2 A and AA rules over the page as it is: each violation as "impact: rule (nodes)", and the rules passed. */
export async function axeScan(page: Page): Promise<{ passed: number; violations: string[] }> {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return { passed: r.passes.length, violations: r.violations.map((v) => `${v.impact}: ${v.id} (${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')})`) };
}
