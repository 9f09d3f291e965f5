import { expect, test, type Locator, type Page } from '@playwright/test';
import { goTo, openAsNewUser } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

/**
 * The editor's core gesture is "where does this come from?": click a live figure or a citation, read its provenance,
 * then go back to writing. The text typed next must land exactly where the user clicked, whatever was selected
 * before: a live figure, a citation, a figure block, a page break, or provenance opened from one.
 */

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

/** Opens the demo State of Care report; returns its section text box and a way to go to a section holding `what`. */
async function openReport(page: Page): Promise<{ text: Locator; sectionWith: (what: string) => Promise<void> }> {
  await openAsNewUser(page, t.url);
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care/ }).first().click();
  const text = page.getByTestId('report-editor').getByRole('textbox', { name: /Text of the section/ });
  await expect(text).toBeVisible();
  const entries = page.getByRole('navigation', { name: 'Sections' }).locator('.secs__select');
  const sectionWith = async (what: string): Promise<void> => {
    for (let i = 0; i < (await entries.count()); i++) {
      await entries.nth(i).click();
      await expect(text).toBeVisible();
      await expect(text.locator('p').first()).toBeVisible();
      const plain = await text.evaluate((root) => Array.from(root.querySelectorAll(":scope > p")).filter((p) => !p.querySelector('[data-lexical-decorator]') && (p.textContent ?? '').split(' ').length > 12).length);
      if ((await text.locator(what).count()) > 0 && plain > 0) return;
    }
    throw new Error(`No section of the demo report has ${what} and a plain paragraph.`);
  };
  return { text, sectionWith };
}

/**
 * A word inside a paragraph without decorators, far from the first paragraph, and the point in the middle of it, in
 * page coordinates: where the user clicks.
 */
async function pickTarget(text: Locator): Promise<{ x: number; y: number; before: string; paragraph: number }> {
  return text.evaluate((root) => {
    const paras = Array.from(root.querySelectorAll(":scope > p")).filter((p) => !p.querySelector('[data-figure-id], [data-evidence-id], [data-lexical-decorator]') && (p.textContent ?? '').split(' ').length > 12);
    const p = paras[Math.min(paras.length - 1, 1)];
    if (!p) throw new Error('no plain paragraph to click in');
    // The user scrolls to the paragraph before clicking in it (selecting a node further down may have scrolled away).
    p.scrollIntoView({ block: 'center' });
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    const node = walker.nextNode() as Text;
    const words = node.data.split(' ');
    // After the sixth word: click between its last two letters' gap and the space.
    const upTo = words.slice(0, 6).join(' ');
    const range = document.createRange();
    range.setStart(node, upTo.length);
    range.setEnd(node, upTo.length);
    const r = range.getBoundingClientRect();
    return { x: r.left + 0.5, y: r.top + r.height / 2, before: upTo, paragraph: Array.from(root.querySelectorAll(":scope > p")).indexOf(p) };
  });
}

async function paragraphText(text: Locator, index: number): Promise<string> {
  return text.evaluate((root, i) => root.querySelectorAll(":scope > p")[i]?.textContent ?? '', index);
}

async function typedLandsWhereClicked(page: Page, text: Locator, select: () => Promise<void>, marker: string): Promise<void> {
  await select();
  // The side panel fills in as the selection's details load, which can move the text: take the point once the
  // paragraph has stopped moving.
  let target = await pickTarget(text);
  await expect
    .poll(async () => {
      const again = await pickTarget(text);
      const still = again.x === target.x && again.y === target.y;
      target = again;
      return still;
    })
    .toBe(true);
  const scrollTop = () => text.evaluate((el) => el.closest('.se__scroll')?.scrollTop ?? 0);
  const scrollBefore = await scrollTop();
  // Where the click put the caret: the paragraph's index, or -1. On a slow first load a chart can still be drawn
  // between taking the point and clicking it, moving the text under the pointer: then the point is taken again.
  const caretParagraph = () =>
    text.evaluate((root) => {
      const n = document.getSelection()?.anchorNode ?? null;
      const p = n ? (n instanceof Element ? n : n.parentElement)?.closest(':scope > p, p') : null;
      return p ? Array.from(root.querySelectorAll(':scope > p')).indexOf(p as HTMLParagraphElement) : -1;
    });
  for (let attempt = 0; ; attempt++) {
    await page.mouse.click(target.x, target.y);
    if ((await caretParagraph()) === target.paragraph || attempt === 2) break;
    target = await pickTarget(text);
  }
  await page.keyboard.type(marker);
  // The caret never left the paragraph clicked in, so the view did not jump.
  await expect.poll(() => paragraphText(text, target.paragraph)).toContain(`${target.before}${marker}`);
  const first = await paragraphText(text, 0);
  expect(first.includes(marker)).toBe(false);
  // The view did not jump away (to the top of the section, as the bug did): the paragraph typed in is still on
  // screen. (The view may scroll a little to keep the caret visible near the bottom edge.)
  const scrollAfter = await scrollTop();
  const onScreen = await text.evaluate((root, i) => {
    const p = root.querySelectorAll(':scope > p')[i]!;
    const view = root.closest('.se__scroll')!.getBoundingClientRect();
    const r = p.getBoundingClientRect();
    return r.bottom > view.top && r.top < view.bottom;
  }, target.paragraph);
  expect(onScreen, `scrolled from ${scrollBefore} to ${scrollAfter}`).toBe(true);
  if (scrollBefore > 400) expect(scrollAfter).toBeGreaterThan(0);
  // Typed the right way round.
  expect(await text.textContent()).toContain(marker);
  await page.keyboard.press('Control+z');
}

test('after clicking a live figure, a citation, a figure block or a page break, typed text lands where the user clicks next', async ({ page }) => {
  const { text, sectionWith } = await openReport(page);
  const kinds: [string, string][] = [
    ['[data-figure-id].lf', 'QZXFIG'],
    ['[data-evidence-id]', 'QZXCITE'],
    ['.fb', 'QZXBLOCK'],
  ];
  for (const [what, marker] of kinds) {
    await sectionWith(what);
    // Selecting the node opens its provenance in the side panel: the user reads it, then goes back to writing.
    await typedLandsWhereClicked(page, text, async () => {
      await text.locator(what).first().click();
      await expect(page.getByRole('complementary', { name: 'Figures, evidence and selection' })).toBeVisible();
    }, marker);
  }
  // A page break: inserted at the end of a section, selected, then the user clicks back into the text.
  await sectionWith('[data-evidence-id]');
  await text.focus();
  await page.keyboard.press('Control+End');
  await page.getByRole('button', { name: 'Insert page break' }).click();
  await expect(text.getByRole('separator', { name: 'Page break' })).toBeVisible();
  await typedLandsWhereClicked(page, text, () => text.getByRole('separator', { name: 'Page break' }).click(), 'QZXBREAK');
});

test('keyboard: arrows move across an inline figure, and typing beside it keeps the text on the right side', async ({ page }) => {
  const { text, sectionWith } = await openReport(page);
  await sectionWith('[data-figure-id].lf');
  const figure = text.locator('[data-figure-id]').first();
  // Put the caret just after the figure by clicking the text right after it, then step left over the figure and back.
  const box = (await figure.boundingBox())!;
  await page.mouse.click(box.x + box.width + 2, box.y + box.height / 2);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.type('KBD');
  const html = await figure.evaluate((el) => el.closest('p')!.textContent ?? '');
  const valueText = (await figure.locator('.lf__value').textContent()) ?? '';
  expect(html).toContain(`${valueText}`);
  expect(html.indexOf('KBD')).toBeGreaterThan(html.indexOf(valueText));
});
