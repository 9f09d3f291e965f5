import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { axeScan, caretAtEnd, goTo, openAsNewUser, screen } from './support/app';
import { startDemoHost, type TestHost } from './support/host';

/**
 * Comments in the margin, as word processors do them: select words, comment; the passage is highlighted and the comment
 * sits beside it; replies, mentions, resolve and reopen; the comment survives edits around it, and shows on the Review
 * screen, from where a link opens the editor at the passage.
 */

let t: TestHost;
test.beforeAll(async () => {
  t = await startDemoHost();
});
test.afterAll(async () => {
  await t?.close();
});

/** Selects a phrase in the editor's text, as a drag would, and waits for the editor to see the selection. */
async function selectPhrase(page: Page, text: Locator, phrase: string): Promise<void> {
  await text.focus();
  await text.evaluate((root, phrase) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = n.textContent!.indexOf(phrase);
      if (at < 0) continue;
      const r = document.createRange();
      r.setStart(n, at);
      r.setEnd(n, at + phrase.length);
      const sel = document.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(r);
      return;
    }
    throw new Error(`"${phrase}" is not in the text`);
  }, phrase);
  await expect.poll(() => page.evaluate(() => document.getSelection()?.toString())).toBe(phrase);
  await page.waitForTimeout(100);
}

const PASSAGE = 'in care homes, in their own homes';

// Debian's python-docx lives with the system Python, which may not be the first python3 on PATH.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
/** Each Word comment with its author, its text, and the document's text between its range's start and end. */
const READ_COMMENTS = `
import sys, json, docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree
W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'
d = docx.Document(sys.argv[1])
part = next(r.target_part for r in d.part.rels.values() if r.reltype == RT.COMMENTS)
comments = {c.get(W + 'id'): {'author': c.get(W + 'author'), 'text': ' '.join(t.text or '' for t in c.iter(W + 't')), 'range': ''} for c in etree.fromstring(part.blob).iter(W + 'comment')}
open_ = set()
for el in d.element.body.iter():
    if el.tag == W + 'commentRangeStart': open_.add(el.get(W + 'id'))
    elif el.tag == W + 'commentRangeEnd': open_.discard(el.get(W + 'id'))
    elif el.tag == W + 't':
        for i in open_: comments[i]['range'] += el.text or ''
print(json.dumps(list(comments.values())))
`;

test('comment on a passage: highlight and margin card, reply, mention, edits around it, resolve, reopen, the Review tab and back', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openAsNewUser(page, t.url, 'Priya Shah');
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care 2017\/18/ }).first().click();
  const editor = page.getByTestId('report-editor');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /Adult social care/ }).first().click();
  const text = editor.getByRole('textbox', { name: /Text of the section “Adult social care”/ });
  await expect(text).toBeVisible();
  const before = (await text.boundingBox())!.width;
  // Room for a margin beside the page: focus mode folds the outline and the side panel away.
  await editor.getByRole('toolbar', { name: 'Layout' }).getByRole('button', { name: 'Focus mode' }).click();

  await selectPhrase(page, text, PASSAGE);
  await editor.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Comment' }).click();
  const composer = editor.getByTestId('new-comment');
  await expect(composer).toBeVisible();
  await expect(composer.locator('blockquote')).toHaveText(PASSAGE);
  await composer.getByRole('textbox', { name: 'Comment' }).fill('Is this every setting? @Hel');
  // Typing "@" and part of a name offers the people who have written in the workspace.
  const people = composer.getByRole('listbox', { name: 'People to mention' });
  await expect(people.getByRole('option').first()).toContainText('Helen Ward');
  await composer.getByRole('textbox', { name: 'Comment' }).press('Enter');
  await expect(composer.getByRole('textbox', { name: 'Comment' })).toHaveValue(/@Helen Ward \(publications reviewer\) $/);
  await composer.getByRole('button', { name: 'Comment', exact: true }).click();

  // The passage is highlighted; the card sits in the margin at the passage's height.
  const mark = text.locator('mark.cm-mark');
  await expect(mark).toHaveText(PASSAGE);
  const margin = editor.getByTestId('comment-margin');
  const card = margin.getByTestId('comment-card');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('Is this every setting?');
  await expect(card.locator('.cm-mention')).toHaveText('@Helen Ward (publications reviewer)');
  await expect(card.locator('time')).toHaveText('just now');
  await expect(card.locator('time')).toHaveAttribute('title', /\d{4}/);
  const markBox = (await mark.boundingBox())!;
  const cardBox = (await card.boundingBox())!;
  expect(Math.abs(cardBox.y - markBox.y)).toBeLessThan(40);
  expect(cardBox.x).toBeGreaterThan(markBox.x + markBox.width - 1);
  // The writing column is not squeezed by the margin.
  expect((await text.boundingBox())!.width).toBeGreaterThanOrEqual(Math.min(before, 590));
  await expect(page.locator('[data-testid=save-status]')).toHaveAttribute('data-state', 'saved', { timeout: 10_000 });
  await screen(page, 'editor-comments-margin-1440');

  // Reply, with a mention typed in full.
  await card.getByRole('textbox', { name: 'Reply' }).fill('It counts care homes and home care, not day services.');
  await card.getByRole('button', { name: 'Reply' }).click();
  await expect(card.locator('.cm-reply')).toContainText('not day services');
  await expect(card.locator('.cm-reply time')).toHaveText('just now');
  // Mine: threads I wrote in or that mention me.
  await margin.getByRole('group', { name: 'Show comments' }).getByRole('button', { name: 'Mine' }).click();
  await expect(margin.getByTestId('comment-card')).toHaveCount(1);
  await margin.getByRole('group', { name: 'Show comments' }).getByRole('button', { name: /Open/ }).click();

  // axe-core on the editor with a comment open: no violations of any impact.
  const scan = await axeScan(page);
  console.log(`[a11y] editor with a comment open: ${scan.passed} rules passed; violations: ${scan.violations.join(', ') || 'none'}`);
  expect(scan.violations).toEqual([]);

  // Edits around the passage: it moves with the text, and its comment with it.
  await text.focus();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('Across England, ');
  await expect(mark).toHaveText(PASSAGE);
  await expect(text).toContainText(`Across England, Adult social care`);
  // A copy of the passage pasted elsewhere is plain text: the comment stays on the words it was made on.
  await selectPhrase(page, text, PASSAGE);
  await page.keyboard.press('Control+C');
  await caretAtEnd(page, text);
  await page.keyboard.type(' Pasted: ');
  await page.keyboard.press('Control+V');
  await expect(text).toContainText(`Pasted: ${PASSAGE}`);
  await expect(mark).toHaveCount(1);
  await expect(mark).toHaveText(PASSAGE);
  await expect(page.locator('[data-testid=save-status]')).toHaveAttribute('data-state', 'saved', { timeout: 10_000 });

  // Clicking the highlight makes its comment the active one.
  await margin.getByRole('button', { name: 'Priya Shah' }).click();
  await expect(card).not.toHaveClass(/cm-card--active/);
  await mark.click();
  await expect(card).toHaveClass(/cm-card--active/);

  // Resolve: the card leaves the Open filter and the highlight is no longer shown; All shows it; Reopen brings it back.
  await card.getByRole('button', { name: 'Resolve' }).click();
  await expect(margin.getByTestId('comment-card')).toHaveCount(0);
  await expect(mark).toHaveClass(/cm-mark--resolved/);
  await margin.getByRole('group', { name: 'Show comments' }).getByRole('button', { name: 'All' }).click();
  await expect(card).toContainText('Resolved by Priya Shah');
  await card.getByRole('button', { name: 'Reopen' }).click();
  await margin.getByRole('group', { name: 'Show comments' }).getByRole('button', { name: /Open/ }).click();
  await expect(margin.getByTestId('comment-card')).toHaveCount(1);
  await expect(mark).not.toHaveClass(/cm-mark--resolved/);

  // Without room for a margin (the outline and the side panel back), the comments are listed in the side panel.
  await editor.getByRole('toolbar', { name: 'Layout' }).getByRole('button', { name: 'Focus mode' }).click();
  await expect(margin).toHaveCount(0);
  await mark.click();
  const list = editor.getByTestId('comment-list');
  await expect(list.getByTestId('comment-card')).toHaveCount(1);
  await screen(page, 'editor-comments-side-panel-1440');
  const listScan = await axeScan(page);
  console.log(`[a11y] editor with comments in the side panel: ${listScan.passed} rules passed; violations: ${listScan.violations.join(', ') || 'none'}`);
  expect(listScan.violations).toEqual([]);
  // The side panel folded away: the comments come back into a narrower margin beside the page.
  await editor.getByRole('toolbar', { name: 'Layout' }).getByRole('button', { name: 'Side panel' }).click();
  await expect(margin.getByTestId('comment-card')).toHaveCount(1);
  expect((await text.boundingBox())!.width).toBeGreaterThanOrEqual(480);
  await screen(page, 'editor-comments-margin-no-side-panel-1440');
  await editor.getByRole('toolbar', { name: 'Layout' }).getByRole('button', { name: 'Side panel' }).click();

  // The Review screen's Comments tab: the same comment on its passage, and a link back to it in the editor.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Review' }).click();
  await page.getByRole('tab', { name: /Comments/ }).click();
  const thread = page.getByTestId('comment-threads').getByRole('listitem').filter({ hasText: 'Is this every setting?' });
  await expect(thread).toContainText(PASSAGE);
  await expect(thread).toContainText('not day services');
  await thread.scrollIntoViewIfNeeded();
  await screen(page, 'review-comments-1440');
  const reviewScan = await axeScan(page);
  console.log(`[a11y] Review › Comments: ${reviewScan.passed} rules passed; violations: ${reviewScan.violations.join(', ') || 'none'}`);
  expect(reviewScan.violations).toEqual([]);

  // The Word review copy: the comment is a real Word comment from its author, anchored on the same passage.
  await page.getByRole('button', { name: 'Word review copy' }).click();
  const written = page.getByText(/Review copy written with \d+ comments: .*\.docx/);
  await expect(written).toBeVisible({ timeout: 60_000 });
  const path = /: (\/.*\.docx)/.exec((await written.textContent())!)![1]!;
  const word = JSON.parse(execFileSync(PYTHON, ['-c', READ_COMMENTS, path], { encoding: 'utf8' })) as { author: string; text: string; range: string }[];
  const ours = word.find((c) => c.author === 'Priya Shah');
  expect(ours?.range).toBe(PASSAGE);
  expect(ours?.text).toMatch(/^Is this every setting\? @Helen Ward \(publications reviewer\) Reply from Priya Shah \(\d{4}-\d{2}-\d{2}\): It counts care homes/);
  await thread.getByRole('button', { name: /Open in the editor/ }).click();
  await expect(editor.getByRole('textbox', { name: /Text of the section “Adult social care”/ })).toBeVisible();
  await expect(editor.locator('[data-testid=comment-card].cm-card--active')).toContainText('Is this every setting?');

  // The person mentioned finds it in their activity list, one click from the comment.
  await page.getByRole('button', { name: /Change name/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Your name' });
  await dialog.getByLabel('Your full name').fill('Helen Ward (publications reviewer)');
  await dialog.getByRole('button', { name: 'Save name' }).click();
  await expect(dialog).toBeHidden();
  await goTo(page, 'Home');
  const bell = page.getByRole('banner').getByRole('button', { name: /Activity/ });
  await expect(bell).toContainText('1');
  await bell.click();
  const activity = page.getByTestId('activity');
  const item = activity.getByRole('button', { name: /Priya Shah mentioned you in State of Care 2017\/18.*, Adult social care/ });
  await expect(item).toBeVisible();
  await screen(page, 'activity-1440');
  const activityScan = await axeScan(page);
  console.log(`[a11y] the activity list open: ${activityScan.passed} rules passed; violations: ${activityScan.violations.join(', ') || 'none'}`);
  expect(activityScan.violations).toEqual([]);
  await item.click();
  await expect(editor.locator('[data-testid=comment-card].cm-card--active')).toContainText('Is this every setting?');
  await expect(editor.locator('mark.cm-mark--active')).toHaveText(PASSAGE);
});

test('at 1280 × 720 a comment is listed in the side panel beside the text, which keeps its width', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openAsNewUser(page, t.url, 'Priya Shah');
  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care 2017\/18/ }).first().click();
  const editor = page.getByTestId('report-editor');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /Safety/ }).first().click();
  const text = editor.getByRole('textbox', { name: /Text of the section “Safety”/ });
  await expect(text).toBeVisible();
  const before = (await text.boundingBox())!.width;
  const phrase = (await text.locator('p').first().innerText()).split(/\s+/).slice(0, 4).join(' ');
  await selectPhrase(page, text, phrase);
  await page.keyboard.press('Control+Alt+M');
  const composer = editor.getByTestId('new-comment');
  await expect(composer).toBeVisible();
  await composer.getByRole('textbox', { name: 'Comment' }).fill('Say which year this compares with.');
  await composer.getByRole('textbox', { name: 'Comment' }).press('Control+Enter');
  await expect(text.locator('mark.cm-mark')).toHaveText(phrase);
  await expect(editor.getByTestId('comment-list').getByTestId('comment-card')).toContainText('Say which year');
  expect((await text.boundingBox())!.width).toBe(before);
  await screen(page, 'editor-comments-1280');
  // Focus mode: room for the margin beside the page, and more room to write than with the panels open.
  await editor.getByRole('toolbar', { name: 'Layout' }).getByRole('button', { name: 'Focus mode' }).click();
  const card = editor.getByTestId('comment-margin').getByTestId('comment-card');
  await expect(card).toContainText('Say which year');
  expect((await text.boundingBox())!.width).toBeGreaterThan(before);
  await screen(page, 'editor-comments-focus-1280');
  await editor.getByRole('toolbar', { name: 'Layout' }).getByRole('button', { name: 'Focus mode' }).click();
});

test('an old comment (its words typed in) is marked when its section opens; a comment whose passage is deleted is detached', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openAsNewUser(page, t.url, 'Priya Shah');
  const quote = 'the highest ratings of any sector we regulate';
  const ids = await page.evaluate(async (quote) => {
    const a = (window as unknown as { assay: Record<string, (input: unknown) => Promise<any>> }).assay;
    const reports = await a['reports.list']!({});
    const soc = reports.reports.find((r: { title: string }) => r.title.startsWith('State of Care'));
    const report = await a['reports.get']!({ id: soc.id });
    const section = report.sections.find((s: { title: string }) => s.title === 'Primary medical services');
    const old = await a['comments.add']!({ sectionId: section.id, body: 'Highest by which measure?', quote });
    const lost = await a['comments.add']!({ sectionId: section.id, body: 'This sentence was cut.', quote: 'words that are not in the section' });
    return { reportId: soc.id as string, sectionId: section.id as string, old: old.id as string, lost: lost.id as string };
  }, quote);
  const placeOf = (id: string) =>
    page.evaluate(async ({ sectionId, id }) => {
      const a = (window as unknown as { assay: Record<string, (input: unknown) => Promise<any>> }).assay;
      const { threads } = await a['comments.list']!({ sectionId, includeResolved: true });
      return threads.find((t: { id: string }) => t.id === id)?.place as string;
    }, { sectionId: ids.sectionId, id });
  expect(await placeOf(ids.old)).toBe('quoted');
  expect(await placeOf(ids.lost)).toBe('detached');
  const lastEditor = () =>
    page.evaluate(async ({ sectionId }) => {
      const a = (window as unknown as { assay: Record<string, (input: unknown) => Promise<any>> }).assay;
      return (await a['sections.approval']!({ id: sectionId })).lastEditedBy as string;
    }, ids);
  const editorBefore = await lastEditor();

  await goTo(page, 'Reports');
  await page.getByRole('button', { name: /State of Care 2017\/18/ }).first().click();
  const editor = page.getByTestId('report-editor');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /Primary medical services/ }).first().click();
  const text = editor.getByRole('textbox', { name: /Text of the section “Primary medical services”/ });
  const mark = text.locator('mark.cm-mark');
  await expect(mark).toHaveText(quote);
  // Saved as an ordinary edit: the workspace now has the mark.
  await expect(page.locator('[data-testid=save-status]')).toHaveAttribute('data-state', 'saved', { timeout: 10_000 });
  await expect.poll(() => placeOf(ids.old)).toBe('marked');
  // A mark is not a change to the words: the section's last editor is still whoever last wrote in it.
  expect(await lastEditor()).toBe(editorBefore);

  await editor.getByRole('tab', { name: 'Comments' }).click();
  const list = editor.getByTestId('comment-list');
  const lost = list.locator(`[data-comment-id="${ids.lost}"]`);
  await expect(lost).toContainText('Detached: the passage it was made on is no longer in the text');
  await expect(lost).toContainText('words that are not in the section');

  // The whole passage deleted: its comment is detached and shows the words it was made on.
  await mark.click();
  await selectPhrase(page, text, quote);
  await page.keyboard.press('Backspace');
  await expect(mark).toHaveCount(0);
  const old = list.locator(`[data-comment-id="${ids.old}"]`);
  await expect(old).toContainText('Detached');
  await expect(old).toContainText(quote);
  await screen(page, 'editor-comments-detached-1440');
  // Undo brings the passage back, and its comment is on it again.
  await page.keyboard.press('Control+Z');
  await expect(mark).toHaveText(quote);
  await expect(old).not.toContainText('Detached');
});
