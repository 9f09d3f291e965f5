import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { demoTemplate, REPO } from './support/host';

/**
 * The HTML edition of the demo State of Care, as a reader meets it (issue 17): axe-core finds nothing of any impact at
 * 1280 px and at 320 px, the page has one h1, nothing scrolls sideways at 320 px but a table in its own region, and
 * text meets the contrast it needs. The edition is made by the CLI as a user would (a draft public edition: the demo
 * report's checks still have blockers, and a draft carries its banner, which is checked too).
 */

let dir: string;
let html: string;
test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-html-a11y-'));
  const ws = join(dir, 'demo.assay');
  copyFileSync(demoTemplate(), ws);
  const out = join(dir, 'out');
  const r = spawnSync(join(REPO, 'node_modules', '.bin', 'tsx'), ['electron/cli/main.ts', 'export', ws, '--report', 'state-of-care-2017-18', '--format', 'html', '--draft', '--out', out], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (r.status !== 0) throw new Error(`export failed: ${r.stderr || r.stdout}`);
  html = join(out, readdirSync(out).find((f) => f.endsWith('.html'))!);
});
test.afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const width of [1280, 320]) {
  test(`the HTML edition at ${width} px: no axe-core violations of any impact, one h1, no sideways scrolling`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(pathToFileURL(html).href);
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page.locator('h1')).toContainText('State of Care');
    // Open every chart's data table too, so that it is checked like the rest.
    for (const d of await page.locator('details.chart-data').all()) await d.evaluate((el) => ((el as HTMLDetailsElement).open = true));
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
    const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0]?.target.join(' ')}`);
    console.log(`[html ${width}px] ${results.passes.length} rules passed; violations: ${found.length ? found.join('; ') : 'none'}`);
    expect(found).toEqual([]);
    // Reflow: the page itself never scrolls sideways; a wide table scrolls in its own focusable, named region.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    if (width === 320) {
      const wide = await page.locator('.table-wrap[role="region"]').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.getAttribute('aria-label')));
      expect(wide.length).toBeGreaterThan(0);
      await page.screenshot({ path: join(REPO, 'test-results', 'screens', 'html-edition-320-cover.png') });
      await page.locator('.table-block').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(REPO, 'test-results', 'screens', 'html-edition-320-table.png') });
    } else {
      await page.screenshot({ path: join(REPO, 'test-results', 'screens', 'html-edition-1280.png') });
    }
  });
}
