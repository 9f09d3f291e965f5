import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { goTo, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

/**
 * Drill-through: from a live figure in the demo report to the rows it counts, said in plain words first, and exported
 * to CSV; the CSV's counted rows equal the figure's denominator.
 */

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

test('a live figure shows the rows it counts and exports them; their count is its denominator', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care 2017\/18/ }).first().click();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /Adult social care/ }).first().click();
  const text = page.getByRole('textbox', { name: /Text of the section “Adult social care”/ });
  await expect(text).toBeVisible();
  // The first percentage in the section: a share of adult social care locations.
  const figure = text.locator('[data-figure-id].lf', { hasText: '%' }).first();
  await expect(figure).not.toContainText('…');
  await figure.click();
  await page.getByTestId('show-rows').click();
  const dialog = page.getByRole('dialog', { name: /The rows behind/ });
  const rows = dialog.getByTestId('figure-rows');
  await expect(rows).toBeVisible({ timeout: 60_000 });
  const statement = (await rows.locator('.rows-dialog__statement').textContent()) ?? '';
  const m = /^([\d,]+) of ([\d,]+) .*locations rated .*, as at 31 July 2018/.exec(statement);
  expect(m, statement).not.toBeNull();
  const denominator = Number(m![2]!.replace(/,/g, ''));
  await expect(rows).toContainText('Source:');
  await screen(page, 'figure-rows');

  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: /Download all/ }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
  const lines = csv.split('\r\n').filter(Boolean);
  expect(lines[0]).toMatch(/^Location ID,Location,Local authority,Region/);
  const counted = lines.slice(1).filter((l) => /,(numerator|denominator only)$/.test(l)).length;
  expect(counted).toBe(denominator);
});

test('a count of findings shows the findings it counts; the CSV has as many as the figure prints', async ({ page }) => {
  await openAsNewUser(page, t.url);
  const id = await page.evaluate(async () => {
    const a = (window as unknown as { assay: Record<string, (input: unknown) => Promise<{ figures: { id: string; slug: string }[] }>> }).assay;
    return (await a['figures.list']!({})).figures.find((f) => f.slug === 'lsr-concerns')!.id;
  });
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care 2017\/18/ }).first().click();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /The integration lottery/ }).first().click();
  const text = page.getByRole('textbox', { name: /Text of the section “The integration lottery”/ });
  const figure = text.locator(`[data-figure-id="${id}"].lf`).first();
  await expect(figure).not.toContainText('…');
  const printed = Number(((await figure.textContent()) ?? '').replace(/[^\d]/g, ''));
  expect(printed).toBeGreaterThan(0);
  await figure.click();
  await page.getByTestId('show-rows').click();
  const dialog = page.getByRole('dialog', { name: /The rows behind/ });
  const rows = dialog.getByTestId('figure-rows');
  await expect(rows).toBeVisible({ timeout: 60_000 });
  await expect(rows.locator('.rows-dialog__statement')).toHaveText(`${printed} findings matching the figure’s filters.`);
  await expect(rows.getByRole('columnheader', { name: 'Finding' })).toBeVisible();
  await screen(page, 'figure-rows-findings');
  await page.setViewportSize({ width: 1280, height: 720 });
  await screen(page, 'figure-rows-findings-1280');
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: /Download all/ }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
  const records = csv.split('\r\n').filter(Boolean);
  expect(records[0]).toBe('Finding,Judgement,Theme,About,Status,Recorded by,Last changed');
  expect(records.length - 1).toBe(printed);
});
