import type { DocBlock, DocChart, DocFigureTable, DocInline, DocListItem, DocTree } from '../document/tree';
import { longDate } from '../document/format';
import { madeLine } from '../document/publication';
import { renderChartSvg } from '../charts/render';
import { chartLook, type ChartLook } from '../charts/look';
import { addressParts } from './address';
import { cssString } from '../util/escape';
import { readableOn } from './colour';

/**
 * One self-contained, accessible HTML file from the document tree: inline CSS and SVG, lang="en-GB", landmarks, table
 * headers with scope, every chart a figure with alt text and its data as a table.
 *
 * The same HTML, with `print: true`, is what Chromium prints to PDF (playwright in Node, printToPDF in the app): page
 * size, margins, running header and page numbers are CSS (@page margin boxes), so both printers give the same pages
 * and neither needs header templates.
 */

export interface HtmlOptions {
  /** Print layout: cover and contents on their own pages, page numbers in the contents, endnotes. */
  print?: boolean;
  /** Page of each heading (by heading id), filled in by a second print pass, for the contents. */
  pageNumbers?: ReadonlyMap<string, number>;
  /**
   * The data download written beside this file (relative file names), linked from the notices: the tidy CSV and the
   * XLSX workbook.
   */
  dataFiles?: { csv?: string; xlsx?: string };
  /** The same edition in other formats written beside this file (relative file names), linked from the notices. */
  otherFormats?: { pdf?: string; docx?: string };
}


/** Text with its web and email addresses made links, and its line breaks kept. */
export function linked(text: string): string {
  return addressParts(text)
    .map((p) => (p.href ? `<a href="${esc(p.href)}">${esc(p.text)}</a>` : esc(p.text)))
    .join('')
    .replace(/\n/g, '<br>');
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}


function inline(xs: DocInline[], publicEdition = false): string {
  return xs
    .map((x, i) => {
      switch (x.type) {
        case 'text': {
          let t = esc(x.text);
          if (x.code) t = `<code>${t}</code>`;
          if (x.bold) t = `<strong>${t}</strong>`;
          if (x.italic) t = `<em>${t}</em>`;
          if (x.underline) t = `<u>${t}</u>`;
          if (x.strike) t = `<s>${t}</s>`;
          if (x.sub) t = `<sub>${t}</sub>`;
          if (x.sup) t = `<sup>${t}</sup>`;
          return t;
        }
        case 'link':
          return `<a href="${esc(x.url)}">${inline(x.children, publicEdition)}</a>`;
        case 'figure':
          // Internal editions keep the figure's slug for tools that trace a number; a public one names nothing internal.
          return `<span class="fig${x.error ? ' fig-error' : ''}"${publicEdition ? '' : ` data-figure="${esc(x.slug || x.figureId)}"`}>${esc(x.text)}</span>`;
        case 'note':
          return `${i > 0 && xs[i - 1]!.type === 'note' ? '<sup class="notesep">,</sup>' : ''}<sup class="noteref"><a href="#note-${x.n}" id="noteref-${x.ref}" aria-label="Note ${x.n}">${x.n}</a></sup>`;
        case 'break':
          return '<br>';
      }
    })
    .join('');
}

function list(l: { ordered: boolean; start: number; items: DocListItem[] }, pub: boolean): string {
  const tag = l.ordered ? 'ol' : 'ul';
  const start = l.ordered && l.start !== 1 ? ` start="${l.start}"` : '';
  return `<${tag}${start}>${l.items.map((it) => `<li>${inline(it.children, pub)}${it.sublists.map((x) => list(x, pub)).join('')}</li>`).join('')}</${tag}>`;
}

/**
 * On screen a table scrolls sideways in its own region when the page is narrower than the table (WCAG 1.4.10 reflow
 * at 320 px): the region is focusable and named, so a keyboard can scroll it and a screen reader says what it is.
 */
function scrollRegion(label: string, print: boolean): string {
  return print ? '' : ` role="region" tabindex="0" aria-label="${esc(label)}"`;
}

function figureTable(t: DocFigureTable, print: boolean): string {
  const numericCols = t.head.map((h) => h.numeric);
  const head = t.head.map((h) => `<th scope="col"${h.numeric ? ' class="num"' : ''}>${esc(h.text)}</th>`).join('');
  const body = t.rows
    .map(
      (r) =>
        `<tr>${r
          .map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td${numericCols[i] ? ' class="num"' : ''}>${esc(c)}</td>`))
          .join('')}</tr>`,
    )
    .join('');
  const caption = `<span class="label">Table ${t.number}:</span> ${esc(t.caption)}`;
  if (print) {
    return (
      `<div class="table-wrap${t.rows.length <= 12 ? ' short' : ''}" id="${t.id}"><table class="data">` +
      `<caption>${caption}</caption>` +
      `<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>` +
      `<p class="source">${esc(t.source)}</p></div>`
    );
  }
  // On screen the title is shown above the region that scrolls, so that on a narrow screen it wraps to the page
  // instead of scrolling with a wide table; the table keeps it as its caption for screen readers, said once.
  return (
    `<div class="table-block" id="${t.id}"><p class="table-title" aria-hidden="true">${caption}</p>` +
    `<div class="table-wrap"${scrollRegion(`Table ${t.number}: ${t.caption}`, print)}><table class="data">` +
    `<caption class="visually-hidden">${caption}</caption>` +
    `<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>` +
    `<p class="source">${esc(t.source)}</p></div>`
  );
}

function chart(c: DocChart, look: ChartLook, print: boolean): string {
  const svg = renderChartSvg(c.model, look).svg;
  const table = (cls: string) =>
    `<table class="${cls}"><caption>Data for figure ${c.number}: ${esc(c.subtitle ?? c.caption)}</caption>` +
    `<thead><tr>${c.table.head.map((h, i) => `<th scope="col"${i ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${c.table.rows.map((r) => `<tr>${r.map((v, i) => (i === 0 ? `<th scope="row">${esc(v)}</th>` : `<td class="num">${esc(v)}</td>`)).join('')}</tr>`).join('')}</tbody></table>`;
  if (print) {
    // Printed (the PDF): the chart is an image whose alternative text gives its data and key message, so the tagged
    // PDF's Figure carries it; the caption and the source stay text a screen reader reads on its own, and the data
    // follows as a real table.
    return (
      // The chart keeps with its caption and source; its data table may start on the next page.
      `<div class="chart" id="${c.id}"><div class="chart-figure">` +
      `<p class="chart-caption" id="${c.id}-cap"><span class="label">Figure ${c.number}:</span> ${esc(c.caption)}</p>` +
      (c.subtitle ? `<p class="chart-subtitle">${esc(c.subtitle)}</p>` : '') +
      `<img class="chart-img" alt="${esc(c.alt)}" src="data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}">` +
      `<p class="source">${esc(c.source)}</p></div>` +
      table('data chart-table') +
      `</div>`
    );
  }
  return (
    `<figure class="chart" id="${c.id}" aria-labelledby="${c.id}-cap">` +
    `<figcaption id="${c.id}-cap"><span class="label">Figure ${c.number}:</span> ${esc(c.caption)}${c.subtitle ? `<span class="chart-subtitle">${esc(c.subtitle)}</span>` : ''}</figcaption>` +
    `<div class="chart-img" role="img" aria-label="${esc(c.alt)}">${svg}</div>` +
    `<p class="source">${esc(c.source)}</p>` +
    `<details class="chart-data"><summary>Show the data for figure ${c.number}</summary><div class="table-wrap"${scrollRegion(`Data for figure ${c.number}`, print)}>${table('data')}</div></details>` +
    `</figure>`
  );
}

function block(b: DocBlock, look: ChartLook, print: boolean, pub: boolean): string {
  switch (b.type) {
    case 'heading': {
      // On screen the report's title is the page's one h1 and its sections start at h2, as GOV.UK pages do; printed,
      // each section is a top-level heading of the PDF (its bookmarks and tags).
      const tag = `h${Math.min(6, b.level + (print ? 0 : 1))}`;
      const num = b.number ? `<span class="hnum">${esc(b.number)}</span> ` : '';
      return `<${tag} id="${b.id}" class="hl${b.level}">${num}${esc(b.text)}</${tag}>`;
    }
    case 'paragraph':
      return `<p${b.align ? ` class="align-${b.align}"` : ''}>${inline(b.children, pub)}</p>`;
    case 'list':
      return list(b, pub);
    case 'quote':
      return `<blockquote><p>${inline(b.children, pub)}</p></blockquote>`;
    case 'callout':
      return `<aside class="callout" aria-label="${esc(b.title)}"><p class="callout-title">${esc(b.title)}</p>${b.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')}</aside>`;
    case 'table': {
      const rows = b.rows.map(
        (r) =>
          `<tr>${r
            .map((c) => {
              const span = c.colSpan > 1 ? ` colspan="${c.colSpan}"` : '';
              return c.header ? `<th scope="col"${span}>${inline(c.children, pub)}</th>` : `<td${span}>${inline(c.children, pub)}</td>`;
            })
            .join('')}</tr>`,
      );
      const headCount = b.rows.findIndex((r) => !r.every((c) => c.header));
      const h = headCount > 0 ? headCount : 0;
      return `<div class="table-wrap"${scrollRegion('Table', print)}><table class="data">${h ? `<thead>${rows.slice(0, h).join('')}</thead>` : ''}<tbody>${rows.slice(h).join('')}</tbody></table></div>`;
    }
    case 'figure-table':
      return figureTable(b, print);
    case 'chart':
      return chart(b, look, print);
    case 'figure-error':
      return `<div class="figure-error" role="note"><p><strong>${esc(b.caption)}</strong></p><p>${esc(b.message)}</p></div>`;
    case 'page-break':
      return '<div class="page-break" aria-hidden="true"></div>';
  }
}

function css(doc: DocTree, print: boolean): string {
  const s = doc.style;
  const c = s.colours;
  const m = s.page.marginMm;
  // CSS strings, not HTML: an HTML entity here would print as "&amp;", and only CSS escapes keep a quote, a line break
  // or "</style>" in a title from ending the string, the rule or the style element.
  const head = cssString(doc.meta.runningHead);
  const org = cssString(doc.meta.organisation);
  return `
:root { --primary: ${c.primary}; --accent: ${c.accent}; --accent-text: ${readableOn(c.accent)}; --text: ${c.text}; --muted: ${readableOn(c.muted)}; --rule: ${c.rule}; }
* { box-sizing: border-box; }
html { font-family: ${s.fonts.body}; font-size: ${s.sizes.bodyPt}pt; line-height: ${s.spacing.lineHeight}; color: var(--text); background: #fff; }
body { margin: 0; }
${print ? '' : 'body { max-width: 46rem; margin: 0 auto; padding: 0 1.25rem 4rem; }'}
h1, h2, h3, h4 { font-family: ${s.fonts.heading}; color: var(--primary); line-height: 1.2; break-after: avoid; page-break-after: avoid; overflow-wrap: break-word; }
.hl1 { font-size: ${s.sizes.h1Pt}pt; margin: 0 0 10pt; padding-bottom: 6pt; border-bottom: 3pt solid var(--accent); }
main .hl1 { ${print ? (s.sectionsOnNewPage ? 'break-before: page; page-break-before: always;' : 'margin-top: 20pt;') : 'margin-top: 2.5rem;'} }
.hl2 { font-size: ${s.sizes.h2Pt}pt; margin: 16pt 0 6pt; }
.hl3 { font-size: ${s.sizes.h3Pt}pt; margin: 12pt 0 4pt; }
.hnum { color: var(--accent-text); margin-right: 0.3em; }
p, li { margin: 0 0 ${s.spacing.paragraphAfterPt}pt; orphans: 3; widows: 3; }
ul, ol { margin: 0 0 ${s.spacing.paragraphAfterPt}pt; padding-left: 1.4em; }
a { color: var(--primary); }
.fig { font-variant-numeric: tabular-nums; }
.fig-error { background: #fde8e6; color: #a00; }
sup.noteref, sup.notesep { font-size: 0.7em; line-height: 0; }
sup.noteref a { text-decoration: none; padding: 0 0.1em; }
blockquote { margin: 10pt 0; padding: 8pt 12pt; border-left: 4pt solid var(--accent); background: ${c.calloutFill}; break-inside: avoid; }
blockquote p { margin: 0; font-size: 1.05em; }
.callout { margin: 12pt 0; padding: 10pt 14pt; background: ${c.calloutFill}; border-left: 4pt solid var(--primary); break-inside: avoid; }
.callout-title { font-weight: bold; color: var(--primary); }
.table-wrap { margin: 12pt 0; ${print ? '' : 'overflow-x: auto; max-width: 100%;'} }
.table-block { margin: 12pt 0; }
.table-block .table-wrap { margin: 0; }
.table-title { font-weight: bold; font-size: ${s.sizes.captionPt + 1}pt; margin: 0 0 5pt; }
.visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important; padding: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important; clip-path: inset(50%) !important; border: 0 !important; white-space: nowrap !important; }
${print ? '' : '.table-wrap:focus { outline: 3px solid #fd0; outline-offset: 0; box-shadow: 0 0 0 5px #0b0c0c; }'}
table.data { border-collapse: collapse; width: 100%; font-size: ${s.sizes.tablePt}pt; font-variant-numeric: tabular-nums; }
table.data caption, figure.chart figcaption { caption-side: top; text-align: left; font-weight: bold; font-size: ${s.sizes.captionPt + 1}pt; color: var(--text); padding: 0 0 5pt; }
.label { color: var(--primary); }
table.data th, table.data td { padding: 3pt 6pt; border-bottom: 0.75pt solid var(--rule); text-align: left; vertical-align: top; }
table.data thead th { background: ${c.tableHeaderFill}; color: ${c.tableHeaderText}; border-bottom: 1.5pt solid ${c.tableHeaderFill}; }
table.data tbody tr:nth-child(even) { background: ${c.tableStripe}; }
table.data tbody th { font-weight: normal; }
table.data .num { text-align: right; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
figure.chart { margin: 14pt 0; break-inside: avoid; }
div.chart { margin: 14pt 0; }
div.chart-figure { break-inside: avoid; }
.chart-img svg { display: block; max-width: 100%; height: auto; }
img.chart-img { display: block; width: 100%; height: auto; }
.chart-caption { font-weight: bold; font-size: ${s.sizes.captionPt + 1}pt; margin: 0 0 5pt; }
.chart-subtitle { display: block; font-weight: normal; font-size: ${s.sizes.captionPt}pt; color: var(--muted); margin: 0 0 5pt; }
table.chart-table { font-size: ${s.sizes.captionPt}pt; margin-top: 4pt; break-inside: avoid; }
table.chart-table caption { font-size: ${s.sizes.captionPt}pt; font-weight: bold; }
.table-wrap .source, figure .source { break-before: avoid; page-break-before: avoid; }
.table-wrap.short { break-inside: avoid; page-break-inside: avoid; }
.source { font-size: ${s.sizes.captionPt}pt; color: var(--muted); margin: 4pt 0 0; }
details.chart-data { margin-top: 6pt; font-size: ${s.sizes.captionPt}pt; }
.figure-error { border: 1pt solid #d4351c; padding: 6pt 10pt; color: #a00; }
.page-break { break-after: page; page-break-after: always; height: 0; }
.cover { background: ${c.coverBackground}; color: ${c.coverText}; ${print ? 'padding: 28mm 22mm; height: 297mm; page: cover; display: flex; flex-direction: column; break-after: page;' : 'padding: clamp(1.25rem, 6vw, 28mm) clamp(1.25rem, 5vw, 22mm); margin: 0 -1.25rem 2rem; min-height: 20rem;'} }
.cover .kicker { text-transform: uppercase; letter-spacing: 0.12em; font-size: 11pt; border-top: 3pt solid var(--accent); padding-top: 8pt; display: inline-block; margin: 0 0 24pt; }
.cover h1.title { color: ${c.coverText}; font-size: ${print ? '40pt' : 'clamp(24pt, 9vw, 40pt)'}; border: 0; margin: 0 0 12pt; padding: 0; overflow-wrap: break-word; }
.cover .subtitle { font-size: 17pt; margin: 0 0 24pt; max-width: 32em; }
.cover .date { font-size: 13pt; margin: 0; }
.cover .demo { display: inline-block; margin-top: 22pt; padding: 6pt 10pt; border: 2pt solid ${c.coverText}; font-weight: bold; font-size: 12pt; letter-spacing: 0.04em; }
.cover .org { margin-top: auto; font-size: 15pt; font-weight: bold; }
.cover .mark { display: inline-block; margin-top: 22pt; padding: 8pt 14pt; background: #fff; color: #b3261e; border: 3pt solid #b3261e; font-weight: bold; font-size: 20pt; letter-spacing: 0.06em; text-transform: uppercase; }
.edition-banner { position: sticky; top: 0; z-index: 10; margin: 0 -1.25rem; padding: 0.6rem 1.25rem; background: #b3261e; color: #fff; font-weight: bold; letter-spacing: 0.04em; text-align: center; }
.edition-banner--final { background: #383f43; }
.watermark { position: fixed; top: 45%; left: 0; right: 0; text-align: center; transform: rotate(-35deg); font-size: 110pt; font-weight: bold; color: rgba(179, 38, 30, 0.10); z-index: -1; pointer-events: none; }
.cover .edition { font-size: 11pt; margin: 4pt 0 0; }
.notices { ${print ? 'break-after: page; padding-top: 150mm;' : 'margin: 1rem 0 2rem;'} font-size: ${s.sizes.captionPt}pt; color: var(--muted); }
.notices p { margin: 0 0 6pt; }
.notices.has-imprint { ${print ? 'padding-top: 0;' : ''} }
.notices .imprint { margin: 0 0 10pt; color: var(--text); }
.notices .imprint p { margin: 0 0 5pt; }
.notices .imprint strong { color: var(--text); }
nav.toc { ${print ? 'break-after: page;' : ''} }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li { margin: 0; }
nav.toc li.l1 { font-weight: bold; margin-top: 7pt; }
nav.toc li.l2 { padding-left: 2.2em; font-size: 0.95em; }
nav.toc a { display: flex; align-items: baseline; text-decoration: none; color: var(--text); }
${print ? '' : 'nav.toc a { min-height: 24px; padding: 2px 0; } nav.toc a:hover .t, nav.toc a:focus .t { text-decoration: underline; }'}
nav.toc .t { flex: 0 1 auto; }
nav.toc .t .hnum { display: inline-block; min-width: 2.2em; margin-right: 0; }
nav.toc li.l2 .t .hnum { min-width: 2.6em; }
nav.toc .dots { flex: 1 1 auto; border-bottom: 1pt dotted var(--rule); margin: 0 4pt; min-width: 1em; transform: translateY(-3pt); }
nav.toc .pg { flex: 0 0 2.5em; text-align: right; font-variant-numeric: tabular-nums; }
section.notes { ${print ? 'break-before: page;' : 'margin-top: 3rem;'} font-size: ${s.sizes.captionPt}pt; }
section.notes ol { padding-left: 2.2em; }
section.notes li { margin-bottom: 3pt; }
/* A long web address breaks where it must: unbroken, it would widen the page and Chromium would shrink every printed page to fit it. */
section.notes li, .notices .imprint { overflow-wrap: anywhere; }
footer.colophon { margin-top: 2rem; font-size: ${s.sizes.captionPt}pt; color: var(--muted); border-top: 0.75pt solid var(--rule); padding-top: 6pt; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fd0; color: #000; padding: 0.5rem; }
${
  print
    ? `@page { size: A4; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm;
  @top-left { content: ${head}; font-family: ${s.fonts.body}; font-size: 8.5pt; color: ${c.muted}; vertical-align: bottom; padding-bottom: 4mm; }
  @top-right { content: ${org}; font-family: ${s.fonts.body}; font-size: 8.5pt; color: ${c.muted}; vertical-align: bottom; padding-bottom: 4mm; }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-family: ${s.fonts.body}; font-size: 9pt; color: ${c.muted}; vertical-align: top; padding-top: 4mm; }
}
@page cover { margin: 0; @top-left { content: none; } @top-right { content: none; } @bottom-center { content: none; } }
/* Spaces kept where lines wrap: Chromium's PDF leaves out a space that ends a wrapped line, so its tagged text (what a
   screen reader reads) ran the two words together ("wherewe"); preserved, the space is printed at the line's end. */
p, li, td, th, caption, figcaption, blockquote, h1, h2, h3, h4, .cover div { white-space: break-spaces; }
nav.toc li, nav.toc a { white-space: normal; }
nav.toc .t { white-space: pre-wrap; }
@media print { a { color: inherit; } section.notes a.back { display: none; } }`
    : ''
}`;
}

/** The report as one HTML document. */
export function buildHtml(doc: DocTree, opts: HtmlOptions = {}): string {
  const print = !!opts.print;
  const look = chartLook(doc);
  const m = doc.meta;
  const tocEntries = doc.headings.filter((h) => h.level <= 2);
  // The heading level of Contents and Notes: h1 printed (with the sections), h2 on screen under the title's h1.
  const top = print ? 'h1' : 'h2';
  const toc =
    `<nav class="toc" aria-labelledby="toc-title"><${top} id="toc-title" class="hl1">Contents</${top}><ol>` +
    tocEntries
      .map((h) => {
        const pg = opts.pageNumbers?.get(h.id);
        return (
          `<li class="l${h.level}"><a href="#${h.id}"><span class="t">${h.number ? `<span class="hnum">${esc(h.number)}</span>` : ''}${esc(h.text)}</span>` +
          (print ? `<span class="dots" aria-hidden="true"></span><span class="pg">${pg ?? ''}</span>` : '') +
          `</a></li>`
        );
      })
      .join('') +
    (doc.notes.length ? `<li class="l1"><a href="#notes-title"><span class="t">Notes</span>${print ? `<span class="dots" aria-hidden="true"></span><span class="pg">${opts.pageNumbers?.get('notes-title') ?? ''}</span>` : ''}</a></li>` : '') +
    `</ol></nav>`;
  const cover =
    `<header class="cover" role="banner">` +
    `<p class="kicker">${esc(doc.style.cover.kicker)}</p>` +
    `<h1 class="title">${esc(m.title)}</h1>` +
    (m.subtitle ? `<p class="subtitle">${esc(m.subtitle)}</p>` : '') +
    (m.dateLine ? `<p class="date">${esc(m.dateLine)}</p>` : '') +
    (m.demonstration ? `<p class="demo">DEMONSTRATION DATA – NOT OFFICIAL STATISTICS</p>` : '') +
    (m.mark ? `<p class="mark">${esc(m.editionLabel)}</p>` : '') +
    `<p class="org">${esc(m.organisation)}</p>` +
    `<p class="edition">${esc(m.editionLabel)}</p>` +
    `</header>`;
  // A draft, an internal edition or a review copy says so before anything else, on screen and on every printed page.
  const banner = m.mark && !print ? `<aside class="edition-banner edition-banner--${m.edition}" aria-label="Edition">${esc(m.editionLabel)}</aside>` : '';
  const watermark = m.edition === 'draft' && print ? `<div class="watermark" aria-hidden="true">DRAFT</div>` : '';
  const data = opts.dataFiles ?? {};
  const dataLinks = [data.xlsx ? `<a href="${esc(encodeURI(data.xlsx))}">the data tables as a spreadsheet (XLSX)</a>` : '', data.csv ? `<a href="${esc(encodeURI(data.csv))}">the same data as a CSV file</a>` : ''].filter(Boolean);
  const download = dataLinks.length ? `<p class="data-download">Data download: ${dataLinks.join(' and ')}, one row for each figure in this report.</p>` : '';
  const other = opts.otherFormats ?? {};
  const formatLinks = [other.pdf ? `<a href="${esc(encodeURI(other.pdf))}">as a PDF</a>` : '', other.docx ? `<a href="${esc(encodeURI(other.docx))}">as a Word document</a>` : ''].filter(Boolean);
  const formats = formatLinks.length && !print ? `<p class="formats">This report is also available ${formatLinks.join(' and ')}.</p>` : '';
  const made = madeLine(m);
  const imprint = m.imprint.length
    ? `<div class="imprint">${m.imprint.map((l) => `<p>${l.heading ? `<strong>${esc(l.heading)}</strong><br>` : ''}${linked(l.text)}</p>`).join('')}</div>`
    : '';
  const notices = `<section class="notices${imprint ? ' has-imprint' : ''}" aria-label="About this edition">${imprint}${m.notices.map((n) => `<p>${esc(n)}</p>`).join('')}${formats}${download}${made ? `<p>${esc(made)}</p>` : ''}</section>`;
  const body = doc.blocks.map((b) => block(b, look, print, m.audience === 'public')).join('\n');
  const notes = doc.notes.length
    ? `<section class="notes" aria-labelledby="notes-title"><${top} id="notes-title" class="hl1">Notes</${top}><ol>${doc.notes
        .map((n) => `<li id="note-${n.n}">${linked(n.text)} <a href="#noteref-${n.firstRef}" class="back" aria-label="Back to the first reference to note ${n.n}">↩</a></li>`)
        .join('')}</ol></section>`
    : '';
  const colophon = `<footer class="colophon" role="contentinfo"><p>${esc(m.organisation)}. ${esc(m.title)}${m.dateLine ? `. ${esc(m.dateLine)}` : ''}.${m.mark ? ` ${esc(m.editionLabel)}.` : ''}</p>${m.notices
    .filter((n) => /^Contains public sector/.test(n))
    .map((n) => `<p>${esc(n)}</p>`)
    .join('')}</footer>`;
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${m.mark ? `${esc(m.mark)}: ` : ''}${esc(m.title)}</title>
<meta name="author" content="${esc(m.author)}">
<meta name="description" content="${esc(m.subject)}">
<meta name="keywords" content="${esc(m.keywords)}">
<meta name="generator" content="Assay">
<style>${css(doc, print)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
${banner}${watermark}
${cover}
${notices}
${toc}
<main id="main">
${body}
${notes}
</main>
${colophon}
</body>
</html>
`;
}
