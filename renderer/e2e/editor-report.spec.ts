import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { caretAtEnd, findGoodLocation, goTo, longDate, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

/**
 * The report editor as a new user meets it, through the loopback host on a fresh copy of the demo workspace: create a
 * State of Care report from its template, write a paragraph with two live figures and a citation, change a rating in
 * the data browser (in a second window) and watch the figure in the report change without a reload, then export to
 * Word and PDF and find the files.
 */

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

type Api = Record<string, (input: unknown) => Promise<any>>;

/**
 * The two library figures the paragraph quotes. An analyst defines figures in the figure library; the test makes sure
 * these two exist (creating them through window.assay when the demo library does not have them), so the numbers it
 * checks are known: a share, and a count that moves by one when one location's rating changes.
 */
const SHARE = {
  slug: 'e2e-asc-good-or-outstanding',
  name: 'Adult social care services rated good or outstanding',
  description: 'Share of adult social care locations whose latest overall rating on or before the report date is Good or Outstanding.',
  kind: 'value',
  spec: { measure: 'rating_share', ratings: ['Good', 'Outstanding'], asAt: '$asAt', keyQuestion: 'overall', filters: { sector: 'asc' } },
  format: { style: 'percent' },
};
const COUNT = {
  slug: 'e2e-locations-rated-inadequate',
  name: 'Locations rated inadequate overall',
  description: 'Number of locations whose latest overall rating on or before the report date is Inadequate.',
  kind: 'value',
  spec: { measure: 'rating_count', ratings: ['Inadequate'], asAt: '$asAt', keyQuestion: 'overall' },
  format: { style: 'number' },
};

const BY_REGION = {
  slug: 'e2e-safe-good-or-outstanding-by-region',
  name: 'Rated good or outstanding for safe, by region',
  description: 'Share of locations whose latest safe rating on or before the report date is Good or Outstanding, by region.',
  kind: 'chart',
  spec: { measure: 'rating_share', ratings: ['Good', 'Outstanding'], asAt: '$asAt', keyQuestion: 'safe', by: 'region' },
  format: { style: 'percent' },
  chart: { type: 'bar', orientation: 'horizontal' },
};

async function ensureFigures(page: Page): Promise<void> {
  await page.evaluate(
    async (defs) => {
      const a = (window as unknown as { assay: Api }).assay;
      const { figures } = await a['figures.list']!({});
      for (const d of defs) if (!figures.some((f: { slug: string }) => f.slug === d.slug)) await a['figures.save']!(d);
    },
    [SHARE, COUNT, BY_REGION],
  );
}

/**
 * Opens the app; answers the first-run prompt only when this test is the first to meet it (tests may run alone). The
 * shared helper waits for the home screen's content, not just the navigation, which shows before the user's settings
 * are loaded (and so before the first-run prompt can appear over it).
 */
async function open(page: Page): Promise<void> {
  await openAsNewUser(page, t.url);
}

/** The State of Care report the later tests work in: the one the first test made, or a new one from the template. */
async function openReport(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const a = (window as unknown as { assay: Api }).assay;
    const { reports } = await a['reports.list']!({});
    if (!reports.some((r: { title: string }) => r.title === 'State of Care 2017/18')) await a['reports.create']!({ templateId: 'state-of-care', title: 'State of Care 2017/18' });
  });
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care 2017\/18/ }).first().click();
  await expect(page.getByTestId('report-editor')).toBeVisible();
}

async function insertFigure(page: Page, search: string, how: 'toolbar' | 'shortcut'): Promise<void> {
  if (how === 'toolbar') await page.getByRole('button', { name: 'Insert live figure' }).click();
  else await page.keyboard.press('Control+Shift+L');
  const box = page.getByRole('combobox', { name: 'Search figures' });
  await expect(box).toBeFocused();
  await box.fill(search);
  await page.keyboard.press('Enter');
}

test('write a paragraph with live figures and a citation, see a rating change arrive live, export Word and PDF', async ({ page, context }) => {
  await openAsNewUser(page, t.url);
  await ensureFigures(page);

  // Create the report from the State of Care template.
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: 'New report' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New report' });
  await dialog.getByText('State of Care annual report', { exact: false }).first().click();
  await dialog.getByLabel('Title').fill('State of Care 2017/18');
  await dialog.getByRole('button', { name: 'Create report' }).click();
  await expect(dialog).toBeHidden();
  const editor = page.getByTestId('report-editor');
  await expect(editor).toBeVisible();
  const outline = page.getByRole('navigation', { name: 'Sections' });
  await expect(outline.getByRole('button', { name: /Summary/ }).first()).toBeVisible();
  await screen(page, 'editor-01-new-report');

  // Write in the Summary section, after the template's guidance.
  await outline.getByRole('button', { name: /^(\d+ )?Summary/ }).click();
  await expect(page.getByRole('heading', { name: 'Summary', level: 2 })).toBeVisible();
  const text = page.getByRole('textbox', { name: /Text of the section “Summary”/ });
  await caretAtEnd(page, text);
  await page.keyboard.press('Enter');
  // The guidance is in italics; a new paragraph carries that on, so turn it off as a writer would.
  const italic = page.getByRole('button', { name: 'Italic' });
  if ((await italic.getAttribute('aria-pressed')) === 'true') await page.keyboard.press('Control+i');
  await expect(italic).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.type('As at 31 July 2018, ');
  await insertFigure(page, 'adult social care services rated', 'toolbar');
  await page.keyboard.type(' of adult social care services were rated good or outstanding, while ');
  await insertFigure(page, 'inadequate overall', 'shortcut');
  await page.keyboard.type(' locations were rated inadequate overall');
  await page.keyboard.press('Control+Shift+E');
  const evidenceSearch = page.getByRole('combobox', { name: 'Search evidence' });
  await expect(evidenceSearch).toBeFocused();
  await evidenceSearch.fill('Interview with the registered manager');
  const firstEvidence = page.getByRole('listbox', { name: 'Evidence sources' }).getByRole('option').first();
  await expect(firstEvidence).toBeVisible();
  // Sensitivity is shown before citing: restricted sources are flagged as left out of public exports.
  await expect(firstEvidence.locator('.sens')).toHaveText(/Public|Official|Official-sensitive|Personal/);
  await page.keyboard.press('Enter');
  await page.keyboard.type('.');

  const figures = text.locator('.lf');
  await expect(figures).toHaveCount(2);
  await expect(figures.nth(0)).toHaveText(/^\d+(\.\d+)?%/);
  await expect(figures.nth(1)).toHaveText(/^[\d,]+/);
  await expect(figures.nth(0)).not.toHaveAttribute('data-state', /loading|error/);
  await expect(text.locator('.cite')).toHaveCount(1);
  await expect(text.locator('.cite')).toContainText('[1]');
  await expect(text).toContainText('of adult social care services were rated good or outstanding, while');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });

  // Saved as references, never values.
  const reportId = await page.evaluate(async () => {
    const a = (window as unknown as { assay: Api }).assay;
    const { reports } = await a['reports.list']!({});
    return reports.find((r: { title: string }) => r.title === 'State of Care 2017/18').id as string;
  });
  const saved = async () =>
    page.evaluate(async (id) => {
      const a = (window as unknown as { assay: Api }).assay;
      const r = await a['reports.get']!({ id });
      const summary = r.sections.find((s: { title: string }) => s.title === 'Summary');
      return r.sectionContents[summary.id] as string;
    }, reportId);
  const content = await saved();
  expect(content.match(/"type":"live-figure"/g)?.length).toBe(2);
  expect(content.match(/"type":"evidence-citation"/g)?.length).toBe(1);
  expect(content).toContain('rated good or outstanding, while ');

  // The hover card: value, provenance and state.
  await figures.nth(1).hover();
  const card = page.getByTestId('figure-card');
  await expect(card).toBeVisible();
  await expect(card).toContainText('Locations rated inadequate overall');
  await expect(card).toContainText('Tables read');
  await expect(card).toContainText('ratings');
  await expect(card).toContainText('Data fingerprint');
  await expect(card.locator('.prov__sql')).toContainText(/select/i);
  await screen(page, 'editor-02-hover-card');
  await page.mouse.move(5, 5);
  await expect(card).toBeHidden();

  // The keyboard card: the caret just after a figure shows it too; Alt+Enter selects the figure for its details.
  await figures.nth(1).click();
  await expect(page.getByRole('tab', { name: /Selected/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toContainText('Locations rated inadequate overall');
  await expect(page.getByRole('tabpanel')).toContainText('Where it comes from');
  await screen(page, 'editor-03-figure-details');

  // A rating changes in the data browser, in a second window; the figure in the report follows without a reload.
  const before = (await figures.nth(1).textContent())!.replace(/[^\d]/g, '');
  const location = await findGoodLocation(page, '2018-07-31');
  const data = await context.newPage();
  await data.goto(t.url);
  await goTo(data, 'Data');
  // Search by the location's id, which is unique (names are not), and wait for the list to narrow before clicking.
  await data.getByRole('searchbox', { name: 'Search' }).fill(location.id);
  await expect(data.getByText('1 location match', { exact: true })).toBeVisible({ timeout: 15_000 });
  const row = data.getByRole('table', { name: 'Locations' }).getByRole('row').filter({ hasText: location.name }).first();
  await row.click();
  await data.getByRole('button', { name: `Edit Overall rating published ${longDate(location.publishedOn)}` }).first().click();
  const form = data.getByRole('dialog', { name: 'Edit rating' });
  await form.getByLabel('Rating').selectOption('Inadequate');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form).toBeHidden();
  await data.close();

  const expected = new Intl.NumberFormat('en-GB').format(Number(before) + 1);
  await expect(figures.nth(1)).toHaveText(new RegExp(`^${expected}`), { timeout: 20_000 });
  await expect(figures.nth(1).locator('.lf__value--changed')).toHaveCount(1);
  await page.mouse.move(5, 5);
  await screen(page, 'editor-04-live-update');
  // The update touched no text: the saved section is unchanged and nothing waits to be saved.
  expect(await saved()).toBe(content);
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved');

  // Export to Word and PDF through the shell's export dialog, then find the files.
  await page.getByRole('button', { name: /Export/ }).first().click();
  const exportDialog = page.getByRole('dialog', { name: /Export/ });
  await expect(exportDialog.getByLabel(/Word document/)).toBeChecked();
  await expect(exportDialog.getByLabel(/PDF/)).toBeChecked();
  // The new report's sections are not approved, so the public edition would be refused: export a draft.
  await exportDialog.getByRole('button', { name: 'Export draft' }).click();
  await expect(exportDialog.getByRole('button', { name: 'Done' })).toBeVisible({ timeout: 90_000 });
  await screen(page, 'editor-05-exported');
  const files = readdirSync(t.exportsDir, { recursive: true }).map(String);
  const docx = files.find((f) => f.endsWith('.docx'));
  const pdf = files.find((f) => f.endsWith('.pdf'));
  expect(docx, `a .docx in ${t.exportsDir}: ${files.join(', ')}`).toBeTruthy();
  expect(pdf, `a .pdf in ${t.exportsDir}: ${files.join(', ')}`).toBeTruthy();
  for (const f of [docx!, pdf!]) {
    const p = join(t.exportsDir, f);
    expect(existsSync(p)).toBe(true);
    expect(statSync(p).size).toBeGreaterThan(1000);
  }
  await exportDialog.getByRole('button', { name: 'Done' }).click();
});

test('outline: add, rename, reorder by keyboard and drag, delete with confirmation', async ({ page }) => {
  await open(page);
  await ensureFigures(page);
  await openReport(page);
  const outline = page.getByRole('navigation', { name: 'Sections' });
  await expect(outline).toBeVisible();
  const names = async () => (await outline.locator('.secs__name').allTextContents()).map((s) => s.trim());

  await outline.getByRole('button', { name: /^(\d+ )?Foreword/ }).click();
  await outline.getByRole('button', { name: 'Add section' }).click();
  await outline.getByRole('textbox', { name: 'New section title' }).fill('Methods note');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Methods note', level: 2 })).toBeVisible();
  expect((await names()).slice(0, 2)).toEqual(['Foreword', 'Methods note']);

  // Rename with F2 on the focused section.
  const methods = outline.getByRole('button', { name: /^(\d+ )?Methods note/ });
  await methods.focus();
  await page.keyboard.press('F2');
  await outline.getByRole('textbox', { name: /Rename/ }).fill('A note on methods');
  await page.keyboard.press('Enter');
  await expect(outline.getByRole('button', { name: /^(\d+ )?A note on methods/ })).toBeFocused();

  // Reorder by keyboard: Alt+Down moves it after Summary, focus stays on it.
  await page.keyboard.press('Alt+ArrowDown');
  await expect.poll(async () => (await names()).slice(0, 3)).toEqual(['Foreword', 'Summary', 'A note on methods']);
  await expect(outline.getByRole('button', { name: /^(\d+ )?A note on methods/ })).toBeFocused();

  // Reorder by drag, by the handle: drop it on the first section. Ctrl+Z in the outline undoes the move, as does Undo.
  await outline.locator('li', { hasText: 'A note on methods' }).locator('.secs__grip').dragTo(outline.locator('li', { hasText: 'Foreword' }));
  await expect.poll(async () => (await names())[0]).toBe('A note on methods');
  await outline.getByRole('button', { name: /^(\d+ )?A note on methods/ }).focus();
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await names()).slice(0, 3)).toEqual(['Foreword', 'Summary', 'A note on methods']);
  await outline.locator('li', { hasText: 'A note on methods' }).locator('.secs__grip').dragTo(outline.locator('li', { hasText: 'Foreword' }));
  await expect.poll(async () => (await names())[0]).toBe('A note on methods');
  await outline.getByRole('status').getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await names()).slice(0, 3)).toEqual(['Foreword', 'Summary', 'A note on methods']);
  // A click anywhere on a title opens the section and never moves it (no action covers a title).
  const summary = outline.getByRole('button', { name: /^(\d+ )?Summary/ });
  const box = (await summary.boundingBox())!;
  await page.mouse.click(box.x + box.width - 6, box.y + box.height / 2);
  await expect.poll(async () => (await names()).slice(0, 3)).toEqual(['Foreword', 'Summary', 'A note on methods']);
  await outline.locator('li', { hasText: 'A note on methods' }).locator('.secs__grip').dragTo(outline.locator('li', { hasText: 'Foreword' }));
  await expect.poll(async () => (await names())[0]).toBe('A note on methods');
  await outline.getByRole('button', { name: /^(\d+ )?A note on methods/ }).click();
  // Status from the status bar, shown as the section's badge in the outline.
  await page.getByLabel('Section status').selectOption('in review');
  await expect(outline.locator('.secs__item--current .status')).toHaveText('In review');
  await screen(page, 'editor-06-outline');

  // Delete asks first; keeping it keeps it.
  await outline.getByRole('button', { name: /^(\d+ )?A note on methods/ }).focus();
  await page.keyboard.press('Delete');
  const confirm = page.getByRole('dialog', { name: /Delete “A note on methods”/ });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Keep the section' }).click();
  expect(await names()).toContain('A note on methods');
  // The open section's actions sit under its title.
  await outline.getByRole('button', { name: /^(\d+ )?A note on methods/ }).click();
  await outline.getByRole('button', { name: 'Delete “A note on methods”' }).click();
  await page.getByRole('dialog', { name: /Delete “A note on methods”/ }).getByRole('button', { name: 'Delete section' }).click();
  await expect.poll(names).not.toContain('A note on methods');
});

test('rich text: headings, lists, bold, link, table, undo and redo, and find stepping through matches', async ({ page }) => {
  await open(page);
  await openReport(page);
  const outline = page.getByRole('navigation', { name: 'Sections' });
  await outline.getByRole('button', { name: /^(\d+ )?Safety/ }).click();
  const text = page.getByRole('textbox', { name: /Text of the section “Safety”/ });
  await caretAtEnd(page, text);
  await page.keyboard.press('Enter');
  const italic = page.getByRole('button', { name: 'Italic' });
  if ((await italic.getAttribute('aria-pressed')) === 'true') await page.keyboard.press('Control+i');

  await page.keyboard.press('Control+Alt+2');
  await page.keyboard.type('Safety remained the weakest key question');
  await expect(text.locator('h2')).toHaveText('Safety remained the weakest key question');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Safety improved in ');
  await page.keyboard.press('Control+b');
  await page.keyboard.type('most');
  await page.keyboard.press('Control+b');
  await page.keyboard.type(' regions.');
  // The template's guidance opens with a bold label of its own; the word made bold here is the last bold run.
  await expect(text.locator('.rt-bold').last()).toHaveText('most');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+Shift+8');
  await page.keyboard.type('Staffing and safety');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Medicines safety');
  await expect(text.locator('ul li')).toHaveCount(2);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');

  // A link from the link editor (Electron has no prompt()).
  await page.keyboard.type('See the CQC website');
  await page.keyboard.down('Shift');
  for (let i = 0; i < 'the CQC website'.length; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.up('Shift');
  await page.keyboard.press('Control+k');
  const url = page.getByLabel('Link address');
  await url.fill('javascript:alert(1)');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Enter a web address' })).toBeVisible();
  await url.fill('https://www.cqc.org.uk/');
  await page.keyboard.press('Enter');
  await expect(text.locator('a.rt-link')).toHaveAttribute('href', 'https://www.cqc.org.uk/');
  await expect(text.locator('a.rt-link')).toHaveText('the CQC website');
  await expect(text).toContainText('See the CQC website');

  // A table, then undo removes it and redo brings it back.
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Insert table' }).click();
  await expect(text.locator('table')).toHaveCount(1);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(text.locator('table')).toHaveCount(0);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(text.locator('table')).toHaveCount(1);

  // Find: highlights every match and steps through them.
  await page.keyboard.press('Control+f');
  const find = page.getByRole('textbox', { name: 'Find', exact: true });
  await expect(find).toBeFocused();
  await page.getByRole('search', { name: 'Find and replace' }).getByRole('combobox').selectOption('section');
  await find.fill('safety');
  await expect(page.locator('#find-count')).toHaveText(/^1 of \d+ in this section$/);
  const total = Number(/of (\d+)/.exec((await page.locator('#find-count').textContent())!)![1]);
  // At least the four typed above (guidance is not the author's text and is not searched).
  expect(total).toBeGreaterThanOrEqual(4);
  await find.press('Enter');
  await expect(page.locator('#find-count')).toHaveText(`2 of ${total} in this section`);
  await find.press('Shift+Enter');
  await find.press('Shift+Enter');
  await expect(page.locator('#find-count')).toHaveText(`${total} of ${total} in this section`);
  expect(await page.evaluate(() => (CSS as unknown as { highlights: Map<string, unknown> }).highlights.has('assay-find'))).toBe(true);
  await screen(page, 'editor-07-find');
  await find.press('Escape');
  await expect(find).toBeHidden();
  expect(await page.evaluate(() => (CSS as unknown as { highlights: Map<string, unknown> }).highlights.has('assay-find'))).toBe(false);
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
});

test('figure blocks: a table and a chart with a caption, and a page break', async ({ page }) => {
  await open(page);
  await ensureFigures(page);
  await openReport(page);
  const outline = page.getByRole('navigation', { name: 'Sections' });
  await outline.getByRole('button', { name: /^(\d+ )?Hospitals/ }).click();
  const text = page.getByRole('textbox', { name: /Text of the section “Hospitals”/ });
  await caretAtEnd(page, text);

  await page.getByRole('button', { name: /^Table\/chart/ }).click();
  await page.getByRole('radio', { name: 'Table' }).check();
  await page.getByRole('combobox', { name: 'Search figures' }).fill('safe, by region');
  await page.getByRole('button', { name: 'Insert as a table' }).click();
  const blocks = text.locator('.fb');
  await expect(blocks).toHaveCount(1);
  await expect(blocks.first().locator('table tbody tr')).toHaveCount(9);
  await expect(blocks.first().locator('thead th').first()).toBeVisible();

  await page.getByRole('radio', { name: 'Chart' }).check();
  await page.getByRole('button', { name: 'Insert as a chart' }).click();
  await expect(blocks).toHaveCount(2);
  const chart = blocks.nth(1).locator('.fb__chart');
  await expect(chart.locator('svg')).toHaveCount(1);
  // Alt text written from the data, for readers who cannot see the chart.
  await expect(chart).toHaveAttribute('aria-label', /Bar chart: .*Highest: /);

  // Caption from the details panel.
  await blocks.nth(1).locator('.fb__caption').click();
  const caption = page.getByRole('textbox', { name: 'Caption' });
  await caption.fill('Safety ratings by region, 31 July 2018');
  await page.keyboard.press('Enter');
  await expect(blocks.nth(1).locator('.fb__title')).toHaveText('Safety ratings by region, 31 July 2018');
  // A title that states the finding leads; the caption then says what the data is, beneath it.
  await blocks.nth(1).locator('.fb__caption').click();
  await page.getByRole('textbox', { name: 'Title stating the finding' }).fill('Safe ratings vary little between regions');
  await page.keyboard.press('Enter');
  await expect(blocks.nth(1).locator('.fb__title')).toHaveText('Safe ratings vary little between regions');
  await expect(blocks.nth(1).locator('.fb__subtitle')).toHaveText('Safety ratings by region, 31 July 2018');

  // A page break after the chart, from the keyboard. The insertions left no empty quote behind, and the template's
  // guidance is still one guidance block, not text.
  await expect(text.locator('blockquote')).toHaveCount(0);
  await expect(text.getByTestId('guidance')).toHaveCount(1);
  await caretAtEnd(page, text);
  await page.keyboard.press('Control+Enter');
  await expect(text.getByRole('separator', { name: 'Page break' })).toHaveCount(1);
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
  await blocks.nth(1).scrollIntoViewIfNeeded();
  await screen(page, 'editor-08-figure-blocks');

  const content = await page.evaluate(async () => {
    const a = (window as unknown as { assay: Api }).assay;
    const { reports } = await a['reports.list']!({});
    const r = await a['reports.get']!({ id: reports.find((x: { title: string }) => x.title === 'State of Care 2017/18').id });
    return r.sectionContents[r.sections.find((x: { title: string }) => x.title === 'Hospitals').id] as string;
  });
  expect(content).toMatch(/"type":"figure-block","version":1,"figureId":"[^"]+","display":"table"/);
  expect(content).toMatch(/"type":"figure-block","version":1,"figureId":"[^"]+","display":"chart","caption":"Safety ratings by region, 31 July 2018","title":"Safe ratings vary little between regions"/);
  expect(content).toContain('"type":"page-break"');
});

test('a figure that takes a parameter the report does not set asks for it in the picker, and is inserted with it', async ({ page }) => {
  await open(page);
  await openReport(page);
  const outline = page.getByRole('navigation', { name: 'Sections' });
  await outline.getByRole('button', { name: /^(\d+ )?Adult social care/ }).first().click();
  const text = page.getByRole('textbox', { name: /Text of the section “Adult social care/ });
  await caretAtEnd(page, text);
  await page.keyboard.press('Enter');
  await page.keyboard.type('Unfilled vacancies stood at about ');

  await page.getByRole('button', { name: 'Insert live figure' }).click();
  const box = page.getByRole('combobox', { name: 'Search figures' });
  await expect(box).toBeFocused();
  await box.fill('national measure for England, 2017/18, in words');
  const preview = page.getByRole('region', { name: 'Preview' });
  // Not an error: the preview says what it needs, and inserting waits for it.
  await expect(preview.getByText('Needs a value the report does not set')).toBeVisible();
  await expect(preview.getByText('Give the value above to see the figure.')).toBeVisible();
  await expect(preview.getByRole('button', { name: 'Insert in the text' })).toBeDisabled();
  await expect(preview.locator('.prov__state--error')).toHaveCount(0);
  // Enter on the search takes the writer to the missing value instead of inserting a broken figure.
  await page.keyboard.press('Enter');
  const indicator = preview.getByLabel('indicator');
  await expect(indicator).toBeFocused();
  await indicator.selectOption({ label: 'Unfilled adult social care staff vacancies (count)' });
  await expect(preview.locator('.fprev__value')).toHaveText('90,000');
  await screen(page, 'editor-09-figure-parameter');
  await preview.getByRole('button', { name: 'Insert in the text' }).click();

  const inserted = text.locator('.lf').last().locator('.lf__value');
  await expect(inserted).toHaveText('90,000');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
  const content = await page.evaluate(async () => {
    const a = (window as unknown as { assay: Api }).assay;
    const { reports } = await a['reports.list']!({});
    const r = await a['reports.get']!({ id: reports.find((x: { title: string }) => x.title === 'State of Care 2017/18').id });
    return Object.values(r.sectionContents as Record<string, string>).join('\n');
  });
  expect(content).toMatch(/"type":"live-figure","version":1,"figureId":"[^"]+","params":\{"indicator":"adult-social-care-vacancies"\}/);
});
