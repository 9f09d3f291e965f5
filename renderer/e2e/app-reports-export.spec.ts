import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { goTo, openAsNewUser, screen, SCREENS } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

test('a report is created from a template, opened, and exported to Word and PDF', async ({ page }) => {
  test.setTimeout(240_000);
  await openAsNewUser(page, t.url);
  await page.getByRole('button', { name: 'New report from template' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New report' });
  await dialog.getByRole('button', { name: 'Create report' }).click();
  await expect(dialog.locator('.field__error', { hasText: 'Choose a template' })).toBeVisible();
  await dialog.getByRole('radio', { name: /State of Care/ }).check();
  await dialog.getByLabel('Title').fill('State of Care 2017/18 (draft)');
  await dialog.getByLabel('As at').fill('2018-07-31');
  await dialog.getByLabel('Compared with').fill('2017-07-31');
  await screen(page, '14-new-report');
  await dialog.getByRole('button', { name: 'Create report' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'State of Care 2017/18 (draft)', level: 1 })).toBeVisible();
  await screen(page, '15-report-open');

  await page.getByRole('button', { name: 'Export…' }).click();
  const exp = page.getByRole('dialog', { name: /Export/ });
  await expect(exp.getByRole('checkbox', { name: /Word/ })).toBeChecked();
  await expect(exp.getByRole('checkbox', { name: /PDF/ })).toBeChecked();
  await expect(exp.getByRole('radio', { name: /Public/ })).toBeChecked();
  await screen(page, '16-export-dialog');
  // A new report's sections are drafts, so the publication checks have blockers: the public edition is refused, with
  // each problem listed where it is, and nothing is written.
  await exp.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(exp.getByRole('alert')).toContainText('The public edition was not exported', { timeout: 180_000 });
  const problems = exp.getByRole('list', { name: /problems? blocks? publication/ }).getByRole('listitem');
  expect(await problems.count()).toBeGreaterThan(0);
  await expect(problems.first()).toContainText(/“.+”/);
  await expect(exp.getByRole('button', { name: 'Export', exact: true })).toHaveCount(0);
  await screen(page, '16b-export-refused');
  expect(existsSync(t.exportsDir) ? readdirSync(t.exportsDir) : []).toEqual([]);
  // A draft is made anyway, marked DRAFT, under names that say so.
  await exp.getByRole('button', { name: 'Export draft' }).click();
  await expect(exp.getByText(/Exported \d+ files?/)).toBeVisible({ timeout: 180_000 });
  await expect(exp.getByRole('status')).toContainText('DRAFT');
  await screen(page, '17-export-done');
  const paths = await exp.locator('.file-list__path').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
  expect(paths.some((n) => n.endsWith('-draft.docx'))).toBe(true);
  expect(paths.some((n) => n.endsWith('-draft.pdf'))).toBe(true);
  for (const path of paths) {
    // The loopback host writes into its export folder; the files are really there, and not empty.
    expect(path.startsWith(t.exportsDir), path).toBe(true);
    expect(existsSync(path), path).toBe(true);
    expect(statSync(path).size).toBeGreaterThan(1000);
  }
  // DRAFT on every page of the PDF, as pdftotext reads each page; the first two pages kept as pictures to look at.
  const pdf = paths.find((n) => n.endsWith('-draft.pdf'))!;
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  expect(pages).toBeGreaterThan(1);
  for (let i = 1; i <= pages; i++) expect(execFileSync('pdftotext', ['-f', String(i), '-l', String(i), pdf, '-'], { encoding: 'utf8' }), `page ${i}`).toMatch(/DRAFT/);
  mkdirSync(SCREENS, { recursive: true });
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', pdf, join(SCREENS, 'draft-export-page')]);
  await exp.getByRole('button', { name: 'Show in folder' }).first().click();
  await expect(exp.getByText(/The file is in/)).toBeVisible();
  await exp.getByRole('button', { name: 'Done' }).click();

  await goTo(page, 'Reports');
  await expect(page.getByRole('button', { name: /State of Care 2017\/18 \(draft\)/ })).toBeVisible();
  await screen(page, '18-reports');
});
