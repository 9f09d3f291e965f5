import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { goTo, openAsNewUser } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

/**
 * axe-core over the six screens people work in (WCAG 2.2 A and AA rules): no serious or critical violation. The
 * results of each scan are printed, so a run shows what was checked.
 */

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

const found: Record<string, unknown[]> = {};

async function scan(page: Page, name: string): Promise<void> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const all = r.violations.map((v) => `${v.impact}: ${v.id} (${v.nodes.length}: ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')})`);
  console.log(`[a11y] ${name}: ${r.passes.length} rules passed; violations: ${all.length ? all.join(', ') : 'none'}`);
  if (bad.length) found[name] = bad.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}

test('home, data, figures, evidence, the editor and review have no serious or critical axe-core violations', async ({ page }) => {
  test.setTimeout(240_000);
  await openAsNewUser(page, t.url);
  await expect(page.locator('main')).toBeVisible();
  await scan(page, 'home');
  await goTo(page, 'Data');
  await expect(page.getByRole('table').first()).toBeVisible();
  await scan(page, 'data');
  await goTo(page, 'Figures');
  await expect(page.locator('main h1')).toBeVisible();
  await scan(page, 'figures');
  await goTo(page, 'Evidence');
  await expect(page.locator('main h1')).toBeVisible();
  await scan(page, 'evidence');
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care 2017\/18/ }).first().click();
  await expect(page.getByRole('textbox', { name: /Text of the section/ })).toBeVisible();
  await expect.poll(async () => (await page.locator('[data-figure-id].lf').allTextContents()).some((x) => x.includes('…'))).toBe(false);
  await scan(page, 'editor');
  await page.getByRole('navigation', { name: /main|primary|Assay/i }).getByRole('button', { name: 'Review' }).click();
  await expect(page.locator('main h1')).toHaveText('Review');
  await expect(page.getByRole('tab', { name: /Checks/ })).toBeVisible({ timeout: 60_000 });
  await scan(page, 'review');
  expect(found, 'serious or critical violations by screen').toEqual({});
});
