import { describe, expect, it } from 'vitest';
import { buildDocument } from './tree';
import { getTemplate, listTemplates, parseTemplate } from './templates';
import { fixtureInput } from '../export/testing/fixtures';
import { fillParams } from './format';
import { lxCite, lxFigureBlock, lxParagraph, lxRoot, lxText } from './lexical';

describe('buildDocument', () => {
  it('turns sections into numbered headings, formatted runs, live values, captions and notes', () => {
    const doc = buildDocument(fixtureInput('internal'));
    expect(doc.problems).toEqual([]);
    expect(doc.headings.map((h) => `${h.number} ${h.text} (${h.level})`)).toEqual(['1 Summary (1)', '1.1 Safety (2)', '2 The integration lottery (1)']);
    const p = doc.blocks[1]!;
    expect(p).toMatchObject({
      type: 'paragraph',
      children: [
        { type: 'text', text: 'In adult social care, ' },
        { type: 'figure', text: '82%', slug: 'asc-good-outstanding' },
        { type: 'text', text: ' of services were rated ' },
        { type: 'text', text: 'good or outstanding', bold: true },
        { type: 'text', text: '; the share ' },
        { type: 'figure', text: 'rose' },
        { type: 'text', text: '.' },
        { type: 'note', n: 1 },
      ],
    });
    const charts = doc.blocks.filter((b) => b.type === 'chart');
    const tables = doc.blocks.filter((b) => b.type === 'figure-table');
    expect(charts.map((c) => (c.type === 'chart' ? `${c.number}: ${c.caption}` : ''))).toEqual([
      '1: Ratings by key question, adult social care',
      '2: Delayed transfers of care by area',
    ]);
    expect(tables).toHaveLength(1);
    expect(tables[0]).toMatchObject({ number: 1, head: [{ text: 'Area' }, { text: 'Delayed days per 100,000 aged 65+', numeric: true }], rows: [['York', '2,510'], ['Trafford', '1,720'], ['Halton', '640'], ['Stockport', '1,210']] });
    const chart = charts[1]!;
    if (chart.type !== 'chart') throw new Error();
    expect(chart.alt).toContain('Highest: York (2,510). Lowest: Halton (640).');
    expect(chart.table.rows[0]).toEqual(['York', '2,510']);
    expect(doc.notes.map((n) => n.text)).toEqual([
      'Association of Directors of Adult Social Services, ‘Published survey of councils’, 14 June 2018, https://www.adass.org.uk/adass-budget-survey-2018 (accessed 14 September 2018). [Internal: Survey collected 1 May 2018; reference ADASS 2018.]',
      '‘Interview with a discharge coordinator about Mrs A’, unpublished interview, para 4. [Internal: Interview collected 2 March 2018; reference LSR-07-INT-12.] [Restricted: not for publication.]',
    ]);
    expect(doc.figures.map((f) => `${f.display}:${f.slug}=${f.formatted}`)).toEqual([
      'inline:asc-good-outstanding=82%',
      'inline:asc-change=rose',
      'chart:ratings-by-kq=',
      'table:dtoc-by-area=',
      'chart:dtoc-by-area=',
    ]);
    expect(doc.meta.notices.join(' ')).toMatch(/Demonstration data/);
  });

  it('replaces restricted evidence with a neutral reference in the public edition', () => {
    const doc = buildDocument(fixtureInput('public'));
    expect(doc.notes[1]).toEqual({ n: 2, firstRef: 2, evidenceId: 'e2', text: 'Unpublished evidence held by CQC.', restricted: true });
    expect(JSON.stringify(doc)).not.toContain('Mrs A');
  });

  it('gives a source cited again the same note number; another place in it (a locator) a note of its own', () => {
    const input = fixtureInput('internal');
    const sections = input.sections.map((sec, i) => {
      if (i !== 0) return sec;
      const root = (typeof sec.content === 'string' ? JSON.parse(sec.content) : structuredClone(sec.content)) as { root: { children: unknown[] } };
      root.root.children.push(lxParagraph([lxText('Again, '), lxCite('e1'), lxText(' and elsewhere '), lxCite('e2', 'para 9'), lxCite('e1')]));
      return { ...sec, content: JSON.stringify(root) };
    });
    const doc = buildDocument({ ...input, sections });
    const refs = (function collect(bs: unknown): { n: number; ref: number }[] {
      const out: { n: number; ref: number }[] = [];
      JSON.stringify(bs, (_k, v: { type?: string; n?: number; ref?: number }) => {
        if (v && v.type === 'note') out.push({ n: v.n!, ref: v.ref! });
        return v;
      });
      return out;
    })(doc.blocks);
    // e1, e2 para 4, e1 again, e2 para 9, e1 again: three notes, five references in reading order.
    expect(doc.notes.map((n) => `${n.n}:${n.evidenceId}:${n.firstRef}`)).toEqual(['1:e1:1', '2:e2:2', '3:e2:4']);
    expect(refs.map((r) => r.n)).toEqual([1, 2, 1, 3, 1]);
    expect(refs.map((r) => r.ref)).toEqual([1, 2, 3, 4, 5]);
    expect(doc.noteRefs).toEqual(refs.map((r) => ({ ref: r.ref, n: r.n })));
  });

  it('keeps going when figures or sections are broken, and reports them', () => {
    const input = fixtureInput('public');
    input.sections = [
      { id: 'x', title: 'Broken', content: '{oops' },
      { id: 'y', title: 'Missing figure', content: { root: { children: [{ type: 'paragraph', children: [{ type: 'live-figure', figureId: 'nope' }] }, { type: 'figure-block', figureId: 'nope', display: 'chart' }] } } },
    ];
    const doc = buildDocument(input);
    expect(doc.problems.join('\n')).toMatch(/not valid JSON/);
    expect(doc.problems.join('\n')).toMatch(/figure nope is not in the figure library/);
    expect(doc.blocks.some((b) => b.type === 'figure-error')).toBe(true);
  });
});

describe('notices', () => {
  it('says demonstration data, or carries the Open Government Licence attribution for real CQC data', () => {
    const demo = buildDocument(fixtureInput('public'));
    expect(demo.meta.notices[0]).toMatch(/^Demonstration data\./);
    expect(demo.meta.notices.join(' ')).not.toMatch(/Open Government Licence/);
    const real = buildDocument({ ...fixtureInput('public'), demonstration: false, ogl: true });
    expect(real.meta.notices).toContain('Contains public sector information licensed under the Open Government Licence v3.0 (Care Quality Commission).');
    expect(real.meta.notices.join(' ')).not.toMatch(/Demonstration/);
  });
});

describe('templates', () => {
  it('loads the four valid templates with sections and a house style', () => {
    const ts = listTemplates();
    expect(ts.map((t) => t.id)).toEqual(['state-of-care', 'local-system-review', 'inspection-report', 'local-authority-assessment']);
    for (const t of ts) {
      expect(t.sections.length).toBeGreaterThan(4);
      expect(t.style.fonts.wordBody).toBe('Arial');
    }
    expect(getTemplate('state-of-care')!.sections.map((s) => s.title)).toContain('The integration lottery');
  });

  it('rejects a bad template with the path of the bad field', () => {
    const bad = structuredClone(getTemplate('state-of-care')!) as unknown as { style: { colours: { primary: string } } };
    bad.style.colours.primary = 'navy';
    expect(() => parseTemplate(bad, 'my.json')).toThrow(/my.json is not a valid report template: style.colours.primary: must be a colour/);
  });
});

describe('editions, captions and source lines in plain English', () => {
  it('marks a draft, an internal edition and a review copy on the cover line, in the running head and the keywords', () => {
    const pub = buildDocument(fixtureInput('public')).meta;
    expect(pub).toMatchObject({ edition: 'final', mark: '', editionLabel: 'Public edition', runningHead: 'State of Care 2017/18' });
    const draft = buildDocument({ ...fixtureInput('public'), edition: 'draft' }).meta;
    expect(draft.editionLabel).toBe('DRAFT – not for publication');
    expect(draft.runningHead).toBe('DRAFT – NOT FOR PUBLICATION · State of Care 2017/18');
    expect(draft.keywords).toMatch(/^DRAFT; /);
    expect(draft.notices[0]).toMatch(/^DRAFT – not for publication\./);
    const internal = buildDocument(fixtureInput('internal')).meta;
    expect(internal.runningHead).toBe('INTERNAL EDITION · State of Care 2017/18 · OFFICIAL-SENSITIVE');
    const review = buildDocument({ ...fixtureInput('internal'), edition: 'review' }).meta;
    expect(review.runningHead).toMatch(/^REVIEW COPY · /);
    expect(review.editionLabel).toMatch(/^Review copy/);
  });

  it('fills report parameters into names and captions, drops "(chart)", and names the data and its date in the source line', () => {
    const input = fixtureInput('public');
    const base = input.figures;
    input.figures = (ref, rp) => {
      const r = base(ref, rp);
      if (!r) return r;
      return ref.figureId === 't2'
        ? { ...r, name: 'Delays by area, {asAt:year} (chart)', source: () => ({ data: ['NHS England'], date: '2017/18' }) }
        : { ...r, source: () => ({ data: ['CQC ratings data'], date: 'as at 31 July 2018' }) };
    };
    input.sections = [
      {
        id: 's1',
        title: 'Summary',
        content: JSON.stringify(lxRoot([lxFigureBlock('t2', 'chart'), lxFigureBlock('t1', 'chart', 'Ratings as at {asAt:date}')])),
      },
    ];
    const doc = buildDocument(input);
    const charts = doc.blocks.filter((b) => b.type === 'chart');
    expect(charts.map((c) => (c.type === 'chart' ? c.caption : ''))).toEqual(['Delays by area, 2018', 'Ratings as at 31 July 2018']);
    expect(charts.map((c) => (c.type === 'chart' ? c.source : ''))).toEqual(['Source: NHS England, 2017/18.', 'Source: CQC ratings data, as at 31 July 2018.']);
    expect(doc.figures.find((f) => f.figureId === 't2')!.name).toBe('Delays by area, 2018 (chart)');
  });

  it('a chart titled by its finding prints the finding after "Figure n:", the caption below it, and both in its alt text', async () => {
    const input = fixtureInput('public');
    input.sections = [{ id: 's1', title: 'Summary', content: JSON.stringify(lxRoot([lxFigureBlock('t1', 'chart', 'Ratings as at {asAt:date}', undefined, 'Most services were rated good in {asAt:year}')])) }];
    const doc = buildDocument(input);
    const chart = doc.blocks.find((b) => b.type === 'chart');
    if (chart?.type !== 'chart') throw new Error('no chart');
    expect({ caption: chart.caption, subtitle: chart.subtitle }).toEqual({ caption: 'Most services were rated good in 2018', subtitle: 'Ratings as at 31 July 2018' });
    expect(chart.alt).toMatch(/chart: Most services were rated good in 2018\. Ratings as at 31 July 2018\. /);
    const { buildHtml } = await import('../export/html');
    for (const print of [false, true]) {
      const html = buildHtml(doc, { print });
      expect(html).toContain('Figure 1:</span> Most services were rated good in 2018');
      expect(html).toMatch(/class="chart-subtitle">Ratings as at 31 July 2018</);
      // The data table is titled by what the data is, not by the finding.
      expect(html).toContain('Data for figure 1: Ratings as at 31 July 2018');
    }
    // Without a title, the caption is the title and there is no subtitle.
    input.sections = [{ id: 's1', title: 'Summary', content: JSON.stringify(lxRoot([lxFigureBlock('t1', 'chart', 'Ratings as at {asAt:date}')])) }];
    const plain = buildDocument(input).blocks.find((b) => b.type === 'chart');
    expect(plain?.type === 'chart' && [plain.caption, plain.subtitle]).toEqual(['Ratings as at 31 July 2018', undefined]);
  });

  it('fillParams: year, long date, month; a missing parameter is left as written', () => {
    const p = { asAt: '2019-07-31', previousAsAt: '2018-07-31', area: 'Bradford' };
    expect(fillParams('Rated good ({asAt:year}); {previousAsAt:year} and {asAt:year}', p)).toBe('Rated good (2019); 2018 and 2019');
    expect(fillParams('as at {asAt:date}, {asAt:month}, {asAt}, in {area}', p)).toBe('as at 31 July 2019, July 2019, 31 July 2019, in Bradford');
    expect(fillParams('({nothing:year})', p)).toBe('({nothing:year})');
  });
});
