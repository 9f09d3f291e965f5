import { readFileSync, statSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { goTo, openAsNewUser, screen } from './support/app';
import { join } from 'node:path';
import { REPO, startDemoHost, type TestHost } from './support/host';

/** CQC's real data sits beside the repository (../shared/data/cqc). */
const OLDHAM = join(REPO, '..', 'shared', 'data', 'cqc', 'oldham_cqc_api_ratings_long_2025-03.csv');

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

test('the import wizard brings the Oldham ratings file in, and the data browser shows it without a reload', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Data');
  await expect(page.locator('.results-bar__count')).toHaveText(/^[\d,]+ locations$/);
  const before = await count(page);

  // Every request the page makes, to check the file's bytes travel once, as bytes, and never inside a request.
  const sent: { path: string; type: string; bytes: number }[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.method() === 'POST' && path.startsWith('/api/')) sent.push({ path, type: r.headers()['content-type'] ?? '', bytes: r.postDataBuffer()?.length ?? 0 });
  });

  // Opened from the Data screen; the wizard starts with the kind and the file.
  await page.getByRole('button', { name: 'Import data' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import data' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: /CQC ratings/ })).toBeChecked();
  // In the loopback host the page uploads the file it is given once, as its bytes; the host holds them and answers
  // with a handle, which import.open opens.
  const opened = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/import.open');
  await dialog.getByLabel('CSV file').setInputFiles(OLDHAM);
  const openedBody = (await (await opened).json()) as { ok: boolean; value: { handle: string; fileName: string; bytes: number } };
  expect(openedBody).toMatchObject({ ok: true, value: { fileName: 'oldham_cqc_api_ratings_long_2025-03.csv', bytes: statSync(OLDHAM).size } });
  await expect(dialog.getByTestId('import-file')).toContainText('oldham_cqc_api_ratings_long_2025-03.csv');
  expect(sent.filter((r) => r.path === '/api/upload').map((r) => r.type)).toEqual(['application/octet-stream']);
  expect(sent.filter((r) => r.path === '/api/import.open')).toHaveLength(1);
  await dialog.getByLabel('Edition').fill('March 2025');
  await screen(page, 'import-1-choose');

  await dialog.getByRole('button', { name: 'Preview the file' }).click();
  await expect(dialog.getByRole('heading', { name: /Preview of oldham/ })).toBeVisible();
  await expect(dialog.getByText('Recognised')).toBeVisible();
  const previewTable = dialog.getByRole('region', { name: /First rows of/ });
  await expect(previewTable.getByRole('columnheader', { name: 'Location Name' })).toBeVisible();
  await expect(previewTable.getByRole('cell', { name: 'DHS Dental Practice' }).first()).toBeVisible();
  await screen(page, 'import-2-preview');

  // The host reports progress as import.progress events (what the wizard's progress bar follows).
  await page.evaluate(() => {
    const w = window as unknown as { importPhases: string[]; assay: { on: (e: string, l: (p: { phase: string }) => void) => void } };
    w.importPhases = [];
    w.assay.on('import.progress', (p) => w.importPhases.push(p.phase));
  });
  await dialog.getByRole('button', { name: 'Check and import' }).click();
  await expect(dialog.getByRole('heading', { name: 'Imported' })).toBeVisible({ timeout: 60_000 });
  const phases = await page.evaluate(() => (window as unknown as { importPhases: string[] }).importPhases);
  expect(phases).toEqual(expect.arrayContaining(['reading', 'checking', 'writing', 'saving', 'done']));
  // Previewed and imported by handle: still one upload, and no request that carried the file.
  expect(sent.filter((r) => r.path === '/api/upload')).toHaveLength(1);
  expect(sent.filter((r) => r.path === '/api/import.run')).toHaveLength(1);
  expect(sent.filter((r) => r.path !== '/api/upload' && r.bytes > 4096)).toEqual([]);
  const counts = dialog.getByRole('table', { name: /Rows added, updated and unchanged/ });
  await expect(counts.getByRole('rowheader').first()).toBeVisible();
  await expect(dialog.getByText('Import record')).toBeVisible();
  await expect(dialog.locator('.facts')).toContainText('oldham_cqc_api_ratings_long_2025-03.csv');
  await expect(dialog.locator('.facts')).toContainText('March 2025');
  await expect(dialog.locator('.facts')).toContainText('Priya Shah');
  await screen(page, 'import-3-result');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  // The data browser behind the dialog refreshed on workspace.changed: more locations, and an Oldham care home.
  await expect.poll(() => count(page)).toBeGreaterThan(before);
  await page.getByLabel('Search').fill('Neville House');
  const table = page.getByRole('table', { name: 'Locations' });
  await expect(table.getByRole('button', { name: 'Neville House Residential Home' })).toBeVisible();
  await screen(page, 'import-4-data-browser');

  // Home lists the import.
  await goTo(page, 'Home');
  await expect(page.getByRole('region', { name: 'Imports' }).or(page.locator('section[aria-labelledby="imports-h"]')).first()).toContainText('oldham_cqc_api_ratings_long_2025-03.csv');
});

test('a file with a bad date and an unknown rating shows every problem by row and imports nothing', async ({ page }) => {
  const header = readFileSync(OLDHAM, 'utf8').split(/\r?\n/)[0];
  const csv = [
    header,
    '1-900000001,Test Bad Date Home,Registered,Y,Social Care Org,Adult social care,Residential social care,Oldham,North West,Overall,Overall,Good,31/13/2024,Location,1-900000009',
    '1-900000002,Test Unknown Rating Home,Registered,Y,Social Care Org,Adult social care,Residential social care,Oldham,North West,Overall,Safe,Superb,2024-05-01,Location,1-900000009',
    '',
  ].join('\n');

  await openAsNewUser(page, t.url);
  const importsCard = page.locator('section[aria-labelledby="imports-h"]');
  const importsBefore = await importsCard.textContent();
  // Opened from Home's quick actions this time.
  await page.getByRole('button', { name: /Import data/ }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Import data' });
  await dialog.getByLabel('CSV file').setInputFiles({ name: 'bad-ratings.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(dialog.getByTestId('import-file')).toContainText('bad-ratings.csv');
  await dialog.getByRole('button', { name: 'Preview the file' }).click();
  await expect(dialog.getByRole('heading', { name: /Preview of bad-ratings.csv/ })).toBeVisible();
  await dialog.getByRole('button', { name: 'Check and import' }).click();

  await expect(dialog.getByRole('heading', { name: 'Nothing was imported' })).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByRole('alert')).toContainText('nothing was imported and the workspace is unchanged');
  const problems = dialog.getByRole('list', { name: /Problems found/ });
  const items = problems.getByRole('listitem');
  await expect(items.filter({ hasText: 'Row 2' }).filter({ hasText: 'Publication Date' })).toHaveCount(1);
  await expect(items.filter({ hasText: 'Row 3' }).filter({ hasText: /Superb/ })).toHaveCount(1);
  await screen(page, 'import-5-problems');
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await expect(dialog).toBeHidden();

  // Nothing was written: no import record, and neither location exists.
  await expect(importsCard).toHaveText(importsBefore ?? '');
  await goTo(page, 'Data');
  await page.getByLabel('Search').fill('Test Bad Date');
  await expect(page.locator('.results-bar__count')).toHaveText(/^0 /);
});

test('an evidence register with its own column names is mapped in the wizard, with a progress bar while it imports', async ({ page }) => {
  const csv = [
    'Source type,Document title,Ref,Marking,When collected,Notes',
    'Document,Oldham discharge-to-assess protocol,OLD-D2A-01,Official,2025-02-03,Weekend discharge cover agreed with the council',
    'Interview,Interview with the ward discharge lead,OLD-INT-07,Official-sensitive,2025-02-04,Delays waiting for home care packages',
    '',
  ].join('\n');
  await openAsNewUser(page, t.url);
  await page.getByRole('button', { name: /Import data/ }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Import data' });
  // The file first, then the kind: the file opened (and previewed) as CQC ratings is read again as an evidence
  // register, by its handle, without being sent again.
  await dialog.getByLabel('CSV file').setInputFiles({ name: 'oldham-evidence.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(dialog.getByTestId('import-file')).toContainText('oldham-evidence.csv');
  await dialog.getByRole('radio', { name: /Evidence register/ }).check();
  const reread = page.waitForRequest((r) => r.url().endsWith('/api/import.preview'));
  await dialog.getByRole('button', { name: 'Preview the file' }).click();
  expect(JSON.parse((await reread).postData() ?? '{}')).toMatchObject({ kind: 'evidence', handle: expect.any(String) });
  await expect(dialog.getByRole('heading', { name: 'Columns' })).toBeVisible();
  // Suggested from the header: "Ref" is a known name for the reference; the rest must be chosen.
  await expect(dialog.getByLabel('Reference')).toHaveValue('Ref');
  await dialog.getByRole('button', { name: 'Check and import' }).click();
  await expect(dialog.getByText('Choose the column that holds the kind.')).toBeVisible();
  await dialog.getByLabel('Kind', { exact: true }).selectOption('Source type');
  await dialog.getByLabel('Title', { exact: true }).selectOption('Document title');
  await dialog.getByLabel('Sensitivity', { exact: true }).selectOption('Marking');
  await dialog.getByLabel('Collected on').selectOption('When collected');
  await dialog.getByLabel('Summary').selectOption('Notes');
  await screen(page, 'import-6-mapping');

  // Hold the answer back a moment (after the host has done the work) so the progress step can be seen.
  await page.route('**/api/import.run', async (route) => {
    const response = await route.fetch();
    await new Promise((r) => setTimeout(r, 1500));
    await route.fulfill({ response });
  });
  await dialog.getByRole('button', { name: 'Check and import' }).click();
  const bar = dialog.getByRole('progressbar', { name: 'Import progress' });
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  await screen(page, 'import-7-progress');
  await expect(dialog.getByRole('heading', { name: 'Imported' })).toBeVisible();
  await expect(dialog.getByRole('table', { name: /Rows added/ })).toContainText('Evidence');
  await dialog.getByRole('button', { name: 'Done' }).click();

  await goTo(page, 'Evidence');
  await expect(page.getByText('Oldham discharge-to-assess protocol').first()).toBeVisible();
});
