import { expect, test, type Page } from '@playwright/test';
import { caretAtEnd, findGoodLocation, goTo, longDate, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

/**
 * Issue 6's review flow as a reviewer goes through it, on a copy of the demo workspace and only through the UI: add
 * evidence with an attachment on the Evidence screen, cite it (with a live figure) in a draft section of the demo
 * report through the editor's pickers, send the section for review, comment, approve, change a rating through the
 * Data browser's rating form, then see the stale badge in the editor and the "what changed" view in the Review screen.
 */

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

type Api = Record<string, (input: unknown) => Promise<any>>;

const REPORT = 'State of Care 2017/18 (demonstration data)';
const SECTION = 'Looking ahead';
const AS_AT = '2018-07-31';
const EVIDENCE = 'Review flow: night staffing observation, Oldham';

/** A count that moves by one when one location's overall rating changes; defined in the library if the demo lacks it. */
const COUNT = {
  slug: 'e2e-review-locations-rated-inadequate',
  name: 'Review flow: locations rated inadequate overall',
  description: 'Number of locations whose latest overall rating on or before the report date is Inadequate.',
  kind: 'value',
  spec: { measure: 'rating_count', ratings: ['Inadequate'], asAt: '$asAt', keyQuestion: 'overall' },
  format: { style: 'number' },
};

async function openSection(page: Page): Promise<void> {
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: REPORT }).first().click();
  await expect(page.getByTestId('report-editor')).toBeVisible();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: new RegExp(`^(\\d+ )?${SECTION}`) }).click();
  await expect(page.getByRole('heading', { name: SECTION, level: 2 })).toBeVisible();
}

async function openReview(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Review', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Review', level: 1 })).toBeVisible();
  await page.getByRole('combobox').filter({ has: page.getByRole('option', { name: REPORT }) }).first().selectOption({ label: REPORT });
}

const sectionRow = (page: Page) => page.getByRole('table', { name: 'Sections and their sign-off' }).getByRole('row').filter({ hasText: SECTION });

test('evidence added, cited, reviewed, commented, approved; a rating change shows stale in the editor and in what changed', async ({ page }) => {
  await openAsNewUser(page, t.url);
  // The analyst's library figure the sentence quotes (library set-up, not the reviewer's flow).
  await page.evaluate(async (def) => {
    const a = (window as unknown as { assay: Api }).assay;
    const { figures } = await a['figures.list']!({});
    if (!figures.some((f: { slug: string }) => f.slug === def.slug)) await a['figures.save']!(def);
  }, COUNT);

  // 1. Evidence, with an attachment, on the Evidence screen.
  await goTo(page, 'Evidence');
  await expect(page.getByRole('heading', { name: 'Evidence', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Add evidence' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add evidence' });
  await dialog.getByLabel('Title').fill(EVIDENCE);
  await dialog.getByLabel('Kind').selectOption('observation');
  await dialog.getByLabel('Sensitivity').selectOption('public');
  await dialog.getByLabel('Reference').fill('OBS-2018-0999');
  await dialog.getByLabel('Date collected').fill('2018-05-02');
  await dialog.getByLabel('Summary').fill('Two night staff for 38 residents; agency cover on four nights of seven.');
  await dialog.getByLabel('Attachment').setInputFiles({ name: 'night-staffing.txt', mimeType: 'text/plain', buffer: Buffer.from('Night staffing observation\n2 May 2018\n') });
  await expect(dialog.getByTestId('picked-file')).toContainText('night-staffing.txt');
  await screen(page, 'review-flow-01-evidence-form');
  await dialog.getByRole('button', { name: 'Add evidence' }).click();
  await expect(dialog).toBeHidden();
  await page.getByLabel('Search', { exact: true }).fill('night staffing observation');
  const evRow = page.getByRole('row').filter({ hasText: EVIDENCE });
  await expect(evRow).toContainText('night-staffing.txt');
  await evRow.getByRole('button', { name: /^Mark verified: / }).click();
  await expect(evRow).toContainText('Priya Shah');

  // 2. Cite it, with a live figure, in a draft section of the demo report, through the editor's pickers.
  await openSection(page);
  const text = page.getByRole('textbox', { name: new RegExp(`Text of the section “${SECTION}”`) });
  await caretAtEnd(page, text);
  await page.keyboard.press('Enter');
  const italic = page.getByRole('button', { name: 'Italic' });
  if ((await italic.getAttribute('aria-pressed')) === 'true') await page.keyboard.press('Control+i');
  await page.keyboard.type('At 31 July 2018, ');
  await page.getByRole('button', { name: 'Insert live figure' }).click();
  const figBox = page.getByRole('combobox', { name: 'Search figures' });
  await expect(figBox).toBeFocused();
  await figBox.fill('Review flow: locations rated inadequate');
  await page.keyboard.press('Enter');
  await page.keyboard.type(' locations were rated inadequate overall');
  await page.getByRole('button', { name: /^Cite/ }).first().click();
  const evBox = page.getByRole('combobox', { name: 'Search evidence' });
  await expect(evBox).toBeFocused();
  await evBox.fill('night staffing observation');
  await expect(page.getByRole('listbox', { name: 'Evidence sources' }).getByRole('option').filter({ hasText: EVIDENCE })).toBeVisible();
  await page.keyboard.press('Enter');
  await page.keyboard.type('.');
  const para = text.locator('p').filter({ hasText: 'locations were rated inadequate overall' });
  const figure = para.locator('.lf').first();
  await expect(figure).toHaveText(/^[\d,]+/);
  await expect(para.locator('.cite')).toHaveCount(1);
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
  const before = (await figure.locator('.lf__value').textContent())!.replace(/[^\d]/g, '');
  await screen(page, 'review-flow-02-cited');

  // 3. Send for review, comment, approve.
  await openReview(page);
  const row = sectionRow(page);
  await row.getByRole('button', { name: 'Send for review' }).click();
  await expect(row).toContainText('in review');
  await page.getByRole('tab', { name: 'Comments' }).click();
  const form = page.getByRole('form', { name: 'New comment' });
  await form.getByLabel('Section').selectOption({ label: SECTION });
  await form.getByLabel('Text commented on (optional)').fill('locations were rated inadequate overall');
  await form.getByLabel('Comment', { exact: true }).fill('Does this count include locations inspected but not yet published?');
  await form.getByRole('button', { name: 'Add comment' }).click();
  const thread = page.getByTestId('comment-threads').getByRole('listitem').filter({ hasText: 'inspected but not yet published' });
  await expect(thread).toContainText('“locations were rated inadequate overall”');
  await thread.scrollIntoViewIfNeeded();
  await screen(page, 'review-flow-03-comment');
  // Priya wrote the sentence, so approving it herself needs the workspace to allow self-approval (issue 13): an
  // administrator's recorded choice on the Review screen. Approving then asks for confirmation.
  // The box changes only once the confirmation is given, so it is clicked, not checked.
  await page.getByTestId('approval-rules').getByLabel(/Allow self-approval/).click();
  await page.getByRole('dialog', { name: 'Allow self-approval?' }).getByRole('button', { name: 'Allow self-approval' }).click();
  await expect(page.getByTestId('approval-rules').getByLabel(/Allow self-approval/)).toBeChecked();
  await row.getByRole('button', { name: 'Approve', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: `Approve “${SECTION}”?` });
  await confirm.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText('approved');
  await expect(row).not.toContainText('Changed since approval');

  // The citation ledger holds the sentence with its figure and the new evidence.
  await page.getByRole('tab', { name: 'Citation ledger' }).click();
  const claim = page.getByTestId('ledger').getByRole('row').filter({ hasText: 'locations were rated inadequate overall' });
  await expect(claim).toContainText(EVIDENCE);

  // 4. A rating changes through the Data browser's rating form.
  const location = await findGoodLocation(page, AS_AT);
  await goTo(page, 'Data');
  const data = page.getByTestId('data-browser').or(page.locator('main')).first();
  await data.getByRole('searchbox', { name: 'Search' }).fill(location.name);
  await data.getByRole('table', { name: 'Locations' }).getByRole('row').filter({ hasText: location.name }).first().click();
  await data.getByRole('button', { name: `Edit Overall rating published ${longDate(location.publishedOn)}` }).first().click();
  const ratingForm = page.getByRole('dialog', { name: 'Edit rating' });
  await ratingForm.getByLabel('Rating').selectOption('Inadequate');
  await screen(page, 'review-flow-04-rating-form');
  await ratingForm.getByRole('button', { name: 'Save changes' }).click();
  await expect(ratingForm).toBeHidden();

  // 5. The stale badge in the editor.
  await openSection(page);
  const after = new Intl.NumberFormat('en-GB').format(Number(before) + 1);
  const para2 = page.getByRole('textbox', { name: new RegExp(`Text of the section “${SECTION}”`) }).locator('p').filter({ hasText: 'locations were rated inadequate overall' });
  const stale = para2.locator('.lf').first();
  await expect(stale).toHaveText(new RegExp(`^${after}`), { timeout: 20_000 });
  await expect(stale).toHaveClass(/lf--stale/);
  await expect(stale.locator('.lf__flag')).toBeVisible();
  await expect(stale).toContainText('stale: the data changed since approval');
  await expect(page.locator('.sb__item--stale', { hasText: /\d+ stale/ })).toBeVisible();
  // A figure printed differently is a change to what was approved: the section says so too.
  await expect(page.getByTestId('changed-since-approval')).toBeVisible();
  await stale.hover();
  const card = page.getByTestId('figure-card');
  await expect(card).toBeVisible();
  await expect(card).toContainText(`Stale: approved as ${new Intl.NumberFormat('en-GB').format(Number(before))} by Priya Shah`);
  await expect(card).toContainText('re-approve its section on the Review screen');
  await screen(page, 'review-flow-05-editor-stale');
  await page.mouse.move(5, 5);

  // 6. The "what changed" view: approved and current values, who approved.
  await openReview(page);
  await expect(sectionRow(page)).toContainText('Changed since approval');
  await page.getByRole('tab', { name: /What changed/ }).click();
  const changed = page.getByTestId('what-changed').getByRole('region', { name: SECTION }).getByRole('row').filter({ hasText: COUNT.name });
  await expect(changed).toContainText(new Intl.NumberFormat('en-GB').format(Number(before)));
  await expect(changed.locator('strong')).toHaveText(after);
  await expect(changed).toContainText('Priya Shah');
  await page.getByTestId('what-changed').scrollIntoViewIfNeeded();
  await page.getByRole('tab', { name: /What changed/ }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await screen(page, 'review-flow-06-what-changed');

  // Re-approval clears it.
  await sectionRow(page).getByRole('button', { name: 'Re-approve' }).click();
  await page.getByRole('dialog', { name: `Approve “${SECTION}”?` }).getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(sectionRow(page)).not.toContainText('Changed since approval');
  await expect(page.getByTestId('what-changed').getByRole('region', { name: SECTION })).toHaveCount(0);
});
