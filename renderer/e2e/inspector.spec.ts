import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { goTo, longDate, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

type Assay = Record<string, (input: unknown) => Promise<any>>;

/** A care home whose latest Safe rating is not "Requires improvement", with a provider (the figure's filter). */
async function findCareHome(page: Page): Promise<{ id: string; name: string; providerId: string }> {
  return page.evaluate(async () => {
    const a = (window as unknown as { assay: Assay }).assay;
    const { rows } = await a['locations.list']!({ filters: { overallRating: 'Good' }, limit: 400 });
    for (const row of rows) {
      if (!row.careHome || !row.providerId || rows.filter((r: { name: string }) => r.name === row.name).length > 1) continue;
      const loc = await a['locations.get']!({ id: row.id });
      const safe = loc.ratings
        .filter((r: { keyQuestionId: string; serviceGroup: string }) => r.keyQuestionId === 'safe' && r.serviceGroup === 'Overall')
        .sort((x: { publishedOn: string }, y: { publishedOn: string }) => (x.publishedOn < y.publishedOn ? 1 : -1));
      const open = await a['assessments.list']!({ subjectType: 'location', subjectId: row.id, limit: 10 });
      if (safe[0] && safe[0].rating !== 'Requires improvement' && open.rows.length === 0) return { id: row.id as string, name: row.name as string, providerId: row.providerId as string };
    }
    throw new Error('No suitable care home in the demo workspace.');
  });
}

/** The live figure: care homes of one provider whose Safe rating, as at today, is "Requires improvement". */
async function safeRequiresImprovement(page: Page, providerId: string): Promise<number> {
  return page.evaluate(async (providerId) => {
    const a = (window as unknown as { assay: Assay }).assay;
    const asAt = new Date().toISOString().slice(0, 10);
    const r = await a['figures.preview']!({
      kind: 'value',
      spec: { measure: 'rating_count', ratings: ['Requires improvement'], keyQuestion: 'safe', filters: { providerId, careHome: true }, asAt, registered: 'all' },
    });
    if (typeof r.value !== 'number') throw new Error(`The figure gave no number: ${JSON.stringify(r).slice(0, 300)}`);
    return r.value as number;
  }, providerId);
}

test('an inspector creates an inspection, scores it, records findings and evidence, and publishes ratings that figures then count', async ({ page }) => {
  test.setTimeout(240_000);
  await openAsNewUser(page, t.url, 'Sam Okoro');
  await goTo(page, 'Data');
  const home = await findCareHome(page);
  const before = await safeRequiresImprovement(page, home.providerId);

  // The location's page: New inspection.
  await page.getByLabel('Search', { exact: true }).fill(home.name);
  const table = page.getByRole('table', { name: 'Locations' });
  await table.getByRole('button', { name: home.name, exact: true }).first().click();
  const detail = page.getByRole('complementary', { name: home.name });
  await expect(detail.getByRole('heading', { name: 'Inspections' })).toBeVisible();
  await detail.getByRole('button', { name: 'New inspection' }).click();

  const dialog = page.getByRole('dialog', { name: 'New inspection' });
  await expect(dialog.getByText(`Of ${home.name}.`)).toBeVisible();
  await dialog.getByLabel('Site visit 1', { exact: true }).fill('2025-03-03');
  await dialog.getByRole('button', { name: 'Add a site visit' }).click();
  await dialog.getByLabel('Site visit 2', { exact: true }).fill('2025-03-04');
  // The framework version in force on the first visit is offered by default.
  await expect(dialog.getByLabel('Framework version')).toContainText('In force on the first visit: Single assessment framework: scores by quality statement');
  // A team member without a name is refused beside the team, before anything is sent.
  await dialog.getByRole('button', { name: 'Add a team member' }).click();
  await dialog.getByLabel('Team member 2 role', { exact: true }).fill('Specialist adviser');
  await dialog.getByRole('button', { name: 'Create inspection' }).click();
  await expect(dialog.locator('.field__error', { hasText: 'Give each team member’s name' })).toBeVisible();
  await dialog.getByLabel('Team member 2 name', { exact: true }).fill('Dr Amara Bello');
  await screen(page, 'inspector-01-new-inspection');
  await dialog.getByRole('button', { name: 'Create inspection' }).click();
  await expect(dialog).toBeHidden();

  // The inspection's screen.
  await expect(page.getByRole('heading', { name: `Comprehensive assessment: ${home.name}` })).toBeVisible();
  const progress = page.getByRole('list', { name: 'Progress' });
  await expect(progress.locator('[aria-current="step"]')).toHaveText(/Planned/);
  await expect(page.getByText('Sam Okoro (Lead inspector), Dr Amara Bello (Specialist adviser)')).toBeVisible();
  await expect(page.getByText(`${longDate('2025-03-03')}, ${longDate('2025-03-04')}`)).toBeVisible();
  await page.getByRole('button', { name: 'Start the inspection' }).click();
  await expect(progress.locator('[aria-current="step"]')).toHaveText(/In progress/);

  // Score every quality statement 3 (good standard): each key question is 75% or so and Good.
  const selects = page.locator('select[aria-label^="Score: "]');
  expect(await selects.count()).toBe(34);
  for (let i = 0; i < 34; i++) {
    await selects.nth(i).selectOption('3');
    await expect(selects.nth(i)).toHaveValue('3');
  }
  const safe = page.getByTestId('result-safe');
  await expect(safe).toContainText('8 of 8 scored · 24 of 32');
  await expect(safe).toContainText('75%');
  await expect(safe.locator('.rating')).toHaveText('Good');
  // Medicines optimisation scored 1: 22 of 32 is 69%, in the Good band, but a statement scored 1 limits Safe to
  // Requires improvement (the rule is data in the framework version).
  await page.getByLabel('Score: Medicines optimisation').selectOption('1');
  await expect(safe).toContainText('69%');
  await expect(safe.locator('.rating')).toHaveText('Requires improvement');
  await expect(page.getByText('The bands give Good; limited to Requires improvement')).toBeVisible();
  await page.getByLabel('Note: Medicines optimisation').fill('Medicines audits not done since October.');
  await page.getByLabel('Note: Medicines optimisation').blur();
  // One key question requires improvement: overall is still Good under the rules.
  await expect(page.locator('.score-overall .rating')).toHaveText('Good');
  await screen(page, 'inspector-02-scores');

  // Draft ratings, prefilled from the rules; a different rating needs a reason, named beside it.
  const drafts = page.getByRole('table', { name: 'Draft ratings' });
  await expect(drafts.getByLabel('Draft rating: Safe')).toHaveValue('Requires improvement');
  await expect(drafts.getByLabel('Draft rating: Caring')).toHaveValue('Good');
  await drafts.getByLabel('Draft rating: Caring').selectOption('Outstanding');
  await page.getByRole('button', { name: 'Save draft ratings' }).click();
  await expect(drafts.locator('.field__error', { hasText: 'Say why the rating differs from Good' })).toBeVisible();
  await drafts.getByLabel('Reason: Caring').fill('Exceptional end of life care seen on both days, beyond the statements scored.');
  await page.getByRole('button', { name: 'Save draft ratings' }).click();
  await expect(drafts.locator('.field__error')).toHaveCount(0);
  await expect(drafts.getByLabel('Reason: Caring')).toHaveValue(/Exceptional end of life care/);
  await screen(page, 'inspector-03-draft-ratings');

  // Evidence with an attachment, collected for this inspection.
  await page.getByRole('button', { name: 'Add evidence' }).click();
  const ev = page.getByRole('dialog', { name: 'Add evidence' });
  await ev.getByLabel('Title').fill('Medication administration records, March 2025');
  await ev.getByLabel('Kind').selectOption('document');
  await ev.getByLabel('Evidence category').selectOption({ label: 'Processes' });
  await ev.getByLabel('Attachment').setInputFiles({ name: 'mar-charts.txt', mimeType: 'text/plain', buffer: Buffer.from('MAR charts: 14 gaps in 28 days.\n') });
  await ev.getByRole('button', { name: 'Add evidence' }).click();
  await expect(ev).toBeHidden();
  const evidence = page.getByRole('table', { name: 'Evidence of this inspection' });
  await expect(evidence.getByRole('row', { name: /Medication administration records/ })).toContainText('mar-charts.txt');
  // Opening the attachment: in a browser it downloads, checked against its content hash, byte for byte as attached.
  const downloading = page.waitForEvent('download');
  await evidence.getByRole('button', { name: 'Open the attached file “mar-charts.txt”' }).click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe('mar-charts.txt');
  expect(readFileSync(await file.path(), 'utf8')).toBe('MAR charts: 14 gaps in 28 days.\n');
  await expect(page.getByRole('status').getByText('“mar-charts.txt” downloaded')).toBeVisible();

  // A finding under Safe, on a quality statement, citing that evidence.
  await page.getByRole('button', { name: 'Add finding' }).click();
  const fd = page.getByRole('dialog', { name: 'Add a finding' });
  await fd.getByRole('button', { name: 'Add finding' }).click();
  await expect(fd.locator('.field__error', { hasText: 'Choose the key question' })).toBeVisible();
  await fd.getByLabel('Key question').selectOption({ label: 'Safe' });
  await fd.getByLabel('Quality statement').selectOption({ label: 'Medicines optimisation' });
  await fd.getByRole('radio', { name: 'Concern' }).check();
  await fd.getByLabel('Finding', { exact: true }).fill('Medicines were not always given as prescribed; records had gaps.');
  await fd.getByLabel('Search evidence').fill('Medication administration records');
  await fd.getByRole('checkbox', { name: /Medication administration records, March 2025/ }).check();
  await screen(page, 'inspector-04-finding');
  await fd.getByRole('button', { name: 'Add finding' }).click();
  await expect(fd).toBeHidden();
  const safeFindings = page.getByRole('list', { name: 'Findings: Safe' });
  await expect(safeFindings).toContainText('Medicines were not always given as prescribed');
  await expect(safeFindings).toContainText('Medicines optimisation');
  await expect(safeFindings).toContainText('1 evidence source');

  // Through moderation: the draft ratings are never counted.
  await page.getByRole('button', { name: 'Move to draft report' }).click();
  await expect(progress.locator('[aria-current="step"]')).toHaveText(/Draft report/);
  await page.getByRole('button', { name: 'Send to moderation' }).click();
  await expect(progress.locator('[aria-current="step"]')).toHaveText(/In moderation/);
  expect(await safeRequiresImprovement(page, home.providerId)).toBe(before);

  // Publishing is a deliberate step: the dialog names the location, the date and every rating.
  await page.getByRole('button', { name: 'Publish…' }).click();
  const pub = page.getByRole('dialog', { name: 'Publish this inspection?' });
  const today = new Date().toISOString().slice(0, 10);
  await expect(pub).toContainText(`These ratings of ${home.name} become published ratings, dated ${longDate(today)}`);
  const toPublish = pub.getByRole('table', { name: 'Ratings to publish' });
  await expect(toPublish.getByRole('row', { name: /Safe/ })).toContainText('Requires improvement');
  await expect(toPublish.getByRole('row', { name: /Caring/ })).toContainText('Outstanding');
  await expect(toPublish.getByRole('row', { name: /Overall/ })).toContainText('Good');
  await screen(page, 'inspector-05-publish-confirm');
  // Cancel publishes nothing.
  await pub.getByRole('button', { name: 'Cancel' }).click();
  await expect(pub).toBeHidden();
  expect(await safeRequiresImprovement(page, home.providerId)).toBe(before);
  await page.getByRole('button', { name: 'Publish…' }).click();
  await pub.getByRole('button', { name: 'Publish ratings' }).click();
  await expect(pub).toBeHidden();

  await expect(progress.locator('[aria-current="step"]')).toHaveText(/Published/);
  const published = page.getByRole('table', { name: 'Published ratings' });
  await expect(published.getByRole('row', { name: /Safe/ })).toContainText('Requires improvement');
  await expect(published.getByRole('row', { name: /Caring/ })).toContainText('Outstanding');
  await expect(published.getByRole('row', { name: /Overall/ })).toContainText(longDate(today));
  // Published means fixed: the scores can no longer change.
  await expect(page.getByLabel('Score: Medicines optimisation')).toBeDisabled();
  // The live figure counts the published Safe rating.
  await expect.poll(() => safeRequiresImprovement(page, home.providerId)).toBe(before + 1);
  await screen(page, 'inspector-06-published');

  // The location's page shows the inspection, its finding and evidence; the Inspections tab lists it.
  await page.getByRole('button', { name: home.name, exact: true }).click();
  const loc = page.getByRole('complementary', { name: home.name });
  const inspections = loc.getByRole('table', { name: `Inspections of ${home.name}` });
  await expect(inspections.getByRole('row', { name: /Comprehensive assessment/ })).toContainText('Published');
  await expect(loc.getByRole('list', { name: `Findings about ${home.name}` })).toContainText('Medicines were not always given as prescribed');
  await expect(loc.getByRole('table', { name: `Evidence about ${home.name}` })).toContainText('mar-charts.txt');
  await expect(loc.getByRole('heading', { name: 'Current ratings' })).toBeVisible();
  await loc.getByRole('heading', { name: 'Findings' }).scrollIntoViewIfNeeded();
  await screen(page, 'inspector-07-location');

  await page.getByRole('tab', { name: /Inspections/ }).click();
  const list = page.getByRole('table', { name: 'Inspections and assessments' });
  await expect(list.getByRole('row', { name: new RegExp(home.name) }).first()).toContainText('Published');
  await screen(page, 'inspector-08-inspections-tab');
  await list.getByRole('button', { name: `Comprehensive assessment: ${home.name}` }).click();
  await expect(page.getByRole('heading', { name: `Comprehensive assessment: ${home.name}` })).toBeVisible();

  // The inspection report, made from the inspection: filled with the visit, its ratings and scores as live tables, and
  // the finding under Safe with its evidence cited.
  await page.getByRole('button', { name: 'Write the inspection report' }).click();
  await expect(page.getByTestId('report-editor')).toBeVisible();
  const outline = page.getByRole('navigation', { name: 'Sections' });
  await outline.getByRole('button', { name: /^(\d+ )?Ratings/ }).click();
  const ratingsText = page.getByRole('textbox', { name: /Text of the section “Ratings”/ });
  await expect(ratingsText).toContainText(`We carried out this comprehensive assessment of ${home.name}`);
  await expect(ratingsText).toContainText(`The ratings were published on ${longDate(today)}.`);
  const grid = ratingsText.getByRole('table').first();
  await expect(grid.getByRole('row', { name: /Safe/ })).toContainText('Requires improvement');
  await expect(grid.getByRole('row', { name: /Caring/ })).toContainText('Outstanding');
  await screen(page, 'inspector-09-report-ratings');
  await outline.getByRole('button', { name: /^(\d+ )?Is the service safe\?/ }).click();
  const safeText = page.getByRole('textbox', { name: /Text of the section “Is the service safe\?”/ });
  await expect(safeText).toContainText('Concern (Medicines optimisation): Medicines were not always given as prescribed; records had gaps.');
  await expect(safeText.locator('[data-lexical-decorator], .citation, [class*="cite"]').first()).toBeVisible();
  await screen(page, 'inspector-10-report-safe');
});
