import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { buildDocument } from '../../../shared/document/tree';
import { fixtureInput } from '../../../shared/export/testing/fixtures';
import { buildHtml } from '../../../shared/export/html';
import { tempDir } from '../testing/fixtures';
import { buildPdf, findChromium, launchChromium } from './pdf';

/**
 * The report title is printed in the running head, which is CSS (`@page { @top-left { content: "…" } }`). A title is
 * typed by a user or arrives in a workspace from someone else, so it must not be able to end the CSS string, the rule
 * or the style element, and the Chromium that prints the PDF must never be made to fetch anything.
 */

let chromiumPath: string | undefined;
try {
  chromiumPath = findChromium();
} catch {
  chromiumPath = undefined;
}

describe.skipIf(!chromiumPath)('a hostile report title in the running head', () => {
  let server: Server;
  let port = 0;
  const hits: string[] = [];
  let browser: Browser;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'text/css' });
      res.end('body { color: red }');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as { port: number }).port;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((ok) => server.close(() => ok()));
  });

  const titleFor = (p: number) =>
    `R&D <b> "; } } body { background: url(http://127.0.0.1:${p}/quote) } .x{ content: "` +
    `\n} } body { background-image: url(http://127.0.0.1:${p}/newline) } .y { content: '` +
    `</style><link rel="stylesheet" href="http://127.0.0.1:${p}/tag">`;

  function doc(title: string) {
    const input = fixtureInput('public');
    input.report = { ...input.report, title };
    return buildDocument(input);
  }

  it('cannot break out of the style block: one rule set, the title read back whole', async () => {
    const title = titleFor(port);
    const html = buildHtml(doc(title), { print: true });
    const page = await browser.newPage();
    try {
      await page.setContent(buildHtml(doc('Benign'), { print: true }), { waitUntil: 'load' });
      const baseline = await page.evaluate(() => ({ styles: document.querySelectorAll('style').length, rules: Array.from(document.styleSheets).reduce((n, s) => n + s.cssRules.length, 0) }));
      await page.setContent(html, { waitUntil: 'load' });
      const parsed = await page.evaluate(() => {
        const sheets = Array.from(document.styleSheets);
        const rules = sheets.flatMap((s) => Array.from(s.cssRules));
        const page = rules.find((r) => r.constructor.name === 'CSSPageRule' && (r as CSSPageRule).selectorText === '') as CSSPageRule | undefined;
        const margins = page ? Array.from((page as unknown as { cssRules: CSSRuleList }).cssRules).map((r) => (r as CSSStyleRule).style.getPropertyValue('content')) : [];
        return {
          styles: document.querySelectorAll('style').length,
          rules: rules.length,
          links: document.querySelectorAll('link').length,
          selectors: rules.map((r) => (r as CSSStyleRule).selectorText).filter((s): s is string => typeof s === 'string'),
          bodyBackground: getComputedStyle(document.body).backgroundImage,
          margins,
          headTitle: document.title,
        };
      });
      expect(parsed.styles).toBe(baseline.styles);
      expect(parsed.rules).toBe(baseline.rules);
      expect(parsed.links).toBe(0);
      expect(parsed.selectors).not.toContain('.x');
      expect(parsed.selectors).not.toContain('.y');
      expect(parsed.bodyBackground).toBe('none');
      // The @top-left box's content, as Chromium parsed it, is the title exactly (Chromium serialises the newline as
      // "\a " and quotes as '\"').
      expect(parsed.margins[0]).toBe(JSON.stringify(title).replace(/\\n/g, '\\a ').replace(/\\"/g, '\\"'));
      expect(parsed.headTitle).toBe(title.replace(/\s+/g, ' ').trim());
    } finally {
      await page.close();
    }
    expect(hits).toEqual([]);
  });

  it('prints to PDF without fetching anything, with R&D <b> shown as written', async () => {
    const title = titleFor(port);
    const pdf = await buildPdf(doc(title), { browser });
    expect(hits).toEqual([]);
    const dir = tempDir('assay-running-head-');
    const file = join(dir, 'r.pdf');
    writeFileSync(file, pdf);
    // Page 3 onwards carries the running head (the cover and the notices page do not).
    const text = execFileSync('pdftotext', ['-f', '3', '-l', '3', '-layout', file, '-'], { encoding: 'utf8' });
    const head = text.split('\n').find((l) => l.includes('R&D'));
    expect(head).toBeDefined();
    expect(head).toContain('R&D <b> "; } } body { background: url(');
    expect(text).not.toContain('&amp;');
    expect(text).not.toContain('&lt;');
    expect(existsSync(file)).toBe(true);
  });
});
