import { expect, test, type Page } from '@playwright/test';
import { goTo, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

/**
 * Find across the whole report, and "Replace all" as one undo step: a word the demo State of Care report uses in
 * several sections is replaced everywhere, live figures and citations untouched, then put back with one Undo.
 */

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

type Api = Record<string, ((input: unknown) => Promise<unknown>) | undefined>;

/** Every section's saved text, with figures and citations as markers, straight from the host. */
async function savedTexts(page: Page): Promise<{ title: string; text: string; figures: number; citations: number }[]> {
  return page.evaluate(async () => {
    const a = (window as unknown as { assay: Api }).assay;
    const { reports } = (await a['reports.list']!({})) as { reports: { id: string; title: string }[] };
    const r = reports.find((x) => /State of Care 2017\/18/.test(x.title))!;
    const full = (await a['reports.get']!({ id: r.id })) as { sections: { id: string; title: string }[]; sectionContents: Record<string, string> };
    return full.sections.map((s) => {
      let text = '';
      let figures = 0;
      let citations = 0;
      const walk = (n: { type?: string; text?: string; children?: unknown[] }) => {
        if (n.type === 'text') text += n.text ?? '';
        if (n.type === 'live-figure' || n.type === 'figure-block') figures++;
        if (n.type === 'evidence-citation') citations++;
        for (const c of (n.children ?? []) as never[]) walk(c);
      };
      walk((JSON.parse(full.sectionContents[s.id]!) as { root: never }).root);
      return { title: s.title, text, figures, citations };
    });
  });
}

test('find steps across sections; replace all changes every section in one step and one Undo puts it back', async ({ page }) => {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care 2017\/18/ }).first().click();
  const editor = page.getByTestId('report-editor');
  await expect(editor).toBeVisible();
  const before = await savedTexts(page);
  const word = 'vacancies';
  const where = before.filter((s) => new RegExp(`\\b${word}\\b`, 'i').test(s.text));
  expect(where.length).toBeGreaterThan(1);
  const expected = before.reduce((n, s) => n + (s.text.match(new RegExp(`(?<![\\p{L}\\p{N}_])${word}(?![\\p{L}\\p{N}_])`, 'giu'))?.length ?? 0), 0);

  // Find in the whole report from the Foreword, which does not say it: the count is the report's.
  await editor.getByRole('textbox', { name: /Text of the section “Foreword”/ }).click();
  await page.keyboard.press('Control+f');
  const bar = page.getByRole('search', { name: 'Find and replace' });
  const find = bar.getByRole('textbox', { name: 'Find', exact: true });
  await find.fill(word);
  await bar.getByLabel('Whole word').check();
  await expect(page.locator('#find-count')).toHaveText(new RegExp(`^– of ${expected} in the report$`));
  // Enter goes to the first section that has it, and shows the match.
  await find.press('Enter');
  await expect(editor.getByRole('textbox', { name: new RegExp(`Text of the section “${where[0]!.title}”`) })).toBeVisible();
  await expect(page.locator('#find-count')).toHaveText(new RegExp(`^\\d+ of ${expected} in the report$`));
  await screen(page, 'find-report');

  // Replace all: every section changes, figures and citations do not.
  await bar.getByRole('button', { name: 'Replace…' }).click();
  await bar.getByLabel('Replace with').fill('unfilled posts');
  await bar.getByRole('button', { name: 'Replace all' }).click();
  await expect(bar.getByRole('status')).toContainText(`Replaced ${expected} in ${where.length} sections`);
  await expect(page.locator('#find-count')).toHaveText('No matches in the report');
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
  await expect.poll(async () => (await savedTexts(page)).reduce((n, s) => n + (s.text.match(/unfilled posts/g)?.length ?? 0), 0)).toBe(expected);
  const after = await savedTexts(page);
  expect(after.map((s) => [s.figures, s.citations])).toEqual(before.map((s) => [s.figures, s.citations]));
  expect(after.some((s) => /\bvacancies\b/i.test(s.text))).toBe(false);
  await screen(page, 'find-replaced');

  // One Undo puts every section back as it was.
  await bar.getByRole('button', { name: 'Undo replace all' }).click();
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
  await expect.poll(async () => (await savedTexts(page)).map((s) => s.text)).toEqual(before.map((s) => s.text));
  await expect(page.locator('#find-count')).toHaveText(new RegExp(`of ${expected} in the report$`));
});
