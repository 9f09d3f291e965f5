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

test('evidence is added with an attached file, listed, and marked verified', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Evidence');
  await expect(page.getByRole('heading', { name: 'Evidence', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Add evidence' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add evidence' });
  await dialog.getByRole('button', { name: 'Add evidence' }).click();
  await expect(dialog.locator('.field__error', { hasText: 'Enter a title' })).toBeVisible();
  await expect(dialog.locator('.field__error', { hasText: 'Choose the kind of evidence' })).toBeVisible();
  await expect(dialog.locator('.field__error', { hasText: 'Choose how sensitive' })).toBeVisible();

  const title = 'Discharge lounge observation, Oldham Royal';
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByLabel('Kind').selectOption('observation');
  await dialog.getByLabel('Sensitivity').selectOption('official-sensitive');
  await dialog.getByLabel('Reference').fill('OBS-2018-0142');
  await dialog.getByLabel('Date collected').fill('2018-03-14');
  await dialog.getByLabel('Summary').fill('Six people waited more than four hours for transport home; no weekend social worker on site.');
  await dialog.getByLabel('Attachment').setInputFiles({ name: 'observation-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Observation notes\n14 March 2018\nDischarge lounge, 10:00 to 16:00.\n') });
  await expect(dialog.getByTestId('picked-file')).toContainText('observation-notes.txt');
  // The source as a reports' notes cite it: a web address that is not one is refused beside its field.
  await dialog.getByLabel('Publisher or author').fill('Care Quality Commission');
  await dialog.getByLabel('Web address').fill('cqc.org.uk/discharge');
  await dialog.getByRole('button', { name: 'Add evidence' }).click();
  await expect(dialog.getByText(/Enter a web address starting https:\/\//).first()).toBeVisible();
  await dialog.getByLabel('Web address').fill('https://www.cqc.org.uk/publications/themed-work/beyond-barriers-how-older-people-move-between-health-care-england');
  await dialog.getByLabel('Date accessed').fill('2018-09-14');
  await screen(page, '09-evidence-form');
  await dialog.getByRole('button', { name: 'Add evidence' }).click();
  await expect(dialog).toBeHidden();

  await page.getByLabel('Search', { exact: true }).fill('Discharge lounge observation');
  const row = page.getByRole('row').filter({ hasText: title });
  await expect(row).toContainText('observation-notes.txt');
  await expect(row).toContainText('Official-sensitive');
  await row.getByRole('button', { name: /^Mark verified: / }).click();
  await expect(row).toContainText('Priya Shah');
  // Editing starts from what is stored, the summary included, so saving an edit loses nothing.
  await row.getByRole('button', { name: /^Edit/ }).click();
  const edit = page.getByRole('dialog', { name: 'Edit evidence' });
  await expect(edit.getByLabel('Summary')).toHaveValue(/Six people waited/);
  await edit.getByLabel('Reference').fill('OBS-2018-0142a');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  await expect(row).toContainText('OBS-2018-0142a');
  await row.getByRole('button', { name: /^Edit/ }).click();
  await expect(edit.getByLabel('Summary')).toHaveValue(/Six people waited/);
  await expect(edit.getByLabel('Publisher or author')).toHaveValue('Care Quality Commission');
  await expect(edit.getByLabel('Web address')).toHaveValue(/^https:\/\/www\.cqc\.org\.uk\//);
  await expect(edit.getByLabel('Date accessed')).toHaveValue('2018-09-14');
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await page.getByLabel('Search', { exact: true }).fill('');
  await expect(page.getByRole('row').nth(2)).toBeVisible();
  await screen(page, '10-evidence-list');
});

test('editing evidence from an area review keeps it with that review (the form writes back what it does not show)', async ({ page }) => {
  await openAsNewUser(page, t.url);
  type Api = Record<string, (input: unknown) => Promise<any>>;
  const source = await page.evaluate(async () => {
    const a = (window as unknown as { assay: Api }).assay;
    const { rows } = await a['evidence.list']!({ limit: 500 });
    for (const r of rows) {
      const e = await a['evidence.get']!({ id: r.id });
      if (e.areaReviewId && rows.filter((x: { title: string }) => x.title === e.title).length === 1) return e as { id: string; title: string; areaReviewId: string; reference: string | null };
    }
    throw new Error('No evidence from an area review in the demo workspace.');
  });
  await goTo(page, 'Evidence');
  await page.getByLabel('Search', { exact: true }).fill(source.title);
  const row = page.getByRole('row').filter({ hasText: source.title });
  await row.getByRole('button', { name: /^Edit/ }).click();
  const edit = page.getByRole('dialog', { name: 'Edit evidence' });
  await edit.getByLabel('Reference').fill('AR-EDITED-1');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  await expect(row).toContainText('AR-EDITED-1');
  const after = await page.evaluate(async (id) => (window as unknown as { assay: Api }).assay['evidence.get']!({ id }), source.id);
  expect(after).toMatchObject({ reference: 'AR-EDITED-1', areaReviewId: source.areaReviewId });
});

test('a structured figure previews live as it is built, and is saved to the library', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Figures');
  await expect(page.getByRole('heading', { name: 'Figures', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'New figure' }).click();
  const editor = page.getByRole('region', { name: 'Figure editor' });
  await editor.getByLabel('Name').fill('Adult social care rated good or outstanding for safe');
  await expect(editor.getByLabel('Slug')).toHaveValue('adult-social-care-rated-good-or-outstanding-for-safe');
  await editor.getByLabel('Measure').selectOption('rating_share');
  await editor.getByLabel('Key question').selectOption('Safe');
  await editor.getByLabel('Sector').selectOption('Adult social care');
  await editor.getByLabel('$asAt').fill('2018-07-31');
  const value = editor.getByTestId('preview-value');
  await expect(value).toHaveText(/^\d+(\.\d+)?%$/);
  const safe2018 = await value.textContent();
  await editor.getByLabel('$asAt').fill('2017-07-31');
  await expect(value).not.toHaveText(safe2018!);
  await screen(page, '11-figure-builder');

  // A breakdown by region makes a table.
  await editor.getByLabel('Break down by').selectOption('region');
  await expect(editor.getByTestId('figure-preview').getByRole('table')).toBeVisible();
  await expect(editor.getByTestId('figure-preview').getByRole('row')).toHaveCount(10);
  await editor.getByRole('button', { name: 'Add to library' }).click();
  await expect(page.getByRole('status').getByText(/added to the library/)).toBeVisible();
  await page.getByLabel('Search figures').fill('good or outstanding for safe');
  await expect(page.getByRole('region', { name: 'Figure library' }).getByRole('button', { name: /Adult social care rated good or outstanding for safe/ })).toBeVisible();
});

test('an SQL figure shows the engine’s error inline, then its result', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Figures');
  await page.getByRole('button', { name: 'New SQL figure' }).click();
  const editor = page.getByRole('region', { name: 'Figure editor' });
  await editor.getByLabel('Name').fill('Locations per region');
  const sql = editor.getByLabel('SQL query');
  await sql.fill('SELEC name FROM regions');
  await expect(editor.getByTestId('preview-error')).toBeVisible();
  await expect(sql).toHaveAttribute('aria-invalid', 'true');
  await screen(page, '12-sql-figure-error');
  await sql.fill('DELETE FROM regions');
  await expect(editor.getByTestId('preview-error')).toBeVisible();
  await sql.fill(
    'SELECT r.name AS region, count(*) AS locations\nFROM locations l JOIN regions r ON r.id = l.region_id\nWHERE l.registered_on <= $asAt OR l.registered_on IS NULL\nGROUP BY r.name ORDER BY locations DESC',
  );
  await editor.getByRole('radio', { name: 'Table' }).check();
  await editor.getByLabel('$asAt').fill('2018-07-31');
  await expect(editor.getByTestId('figure-preview').getByRole('table')).toBeVisible();
  await expect(sql).not.toHaveAttribute('aria-invalid', 'true');
  await screen(page, '13-sql-figure');
});

test('a figure over councils’ assessment scores opens in its own form, previews, and breaks down by region', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Figures');
  await page.getByLabel('Search figures').fill('safe systems');
  await page.getByRole('region', { name: 'Figure library' }).getByRole('button', { name: /Councils scoring 3 or more on safe systems/ }).click();
  const editor = page.getByRole('region', { name: 'Figure editor' });
  await expect(editor.getByLabel('Measure')).toHaveValue('assessment_score');
  await expect(editor.getByLabel('Framework')).toHaveValue('Local authority assessment');
  await expect(editor.getByLabel('Quality statement')).toHaveValue('Safe systems, pathways and transitions');
  await expect(editor.getByLabel('Scoring at least')).toHaveValue('3');
  const value = editor.getByTestId('preview-value');
  await expect(value).toHaveText(/^\d+%$/);
  await expect(editor.getByTestId('figure-preview')).toContainText(/\d+ of \d+ local authorities/);
  await screen(page, '14-assessment-figure');
  // The median by region: a table of the nine regions.
  await editor.getByLabel('Statistic').selectOption('median');
  await editor.getByLabel('Quality statement').selectOption('');
  await editor.getByLabel('Break down by').selectOption('region');
  const table = editor.getByTestId('figure-preview').getByRole('table');
  await expect(table).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(10);
  await expect(table).toContainText('Median score');
  // A median score is a score, not a percentage, though the figure was a share when it was opened.
  await expect(table).not.toContainText('%');
  await screen(page, '15-assessment-figure-by-region');
});
