import type { FigureResult } from '../../figures/types';
import type { BuildInput, EvidenceInfo, ResolvedFigure } from '../../document/tree';
import { getTemplate } from '../../document/templates';
import { reportPublication, type PublicationInput } from '../../document/publication';
import { DEMO_PUBLICATION } from '../../demo/publication';
import { lxCite, lxFigure, lxFigureBlock, lxHeading, lxList, lxParagraph, lxQuote, lxRoot, lxTable, lxText } from '../../document/lexical';

/**
 * Hand-made figure results and content for the exporters' tests: plain data in the shapes the figure engine returns,
 * so the writers can be tested without a workspace.
 */
const prov = (tables: string[]): FigureResult['provenance'] => ({
  sql: 'SELECT 1',
  params: { asAt: '2018-07-31' },
  tables,
  rowsRead: 10,
  fingerprint: 'abc123',
  imports: [{ id: 'imp1', kind: 'demo', fileName: 'demo', importedAt: '2026-01-01T00:00:00Z', rows: 10 }],
  evidenceIds: [],
  computedAt: '2026-01-01T00:00:00Z',
});

export const FIXTURE_FIGURES: Record<string, ResolvedFigure> = {
  f1: {
    slug: 'asc-good-outstanding',
    name: 'Adult social care rated good or outstanding',
    kind: 'value',
    chart: null,
    result: { figureId: 'f1', kind: 'value', value: 0.815, formatted: '82%', numerator: 815, denominator: 1000, provenance: prov(['ratings', 'locations']) },
  },
  f2: {
    slug: 'asc-change',
    name: 'Change',
    kind: 'value',
    chart: null,
    result: {
      figureId: 'f2',
      kind: 'value',
      value: 0.01,
      formatted: '1 percentage point',
      parts: { direction: 'rose', from: 0.78, to: 0.79 },
      provenance: prov(['ratings']),
    },
  },
  t1: {
    slug: 'ratings-by-kq',
    name: 'Ratings by key question',
    kind: 'chart',
    chart: { type: 'stacked-bar', category: 'kq', series: 'rating', value: 'share' },
    result: {
      figureId: 't1',
      kind: 'chart',
      value: null,
      formatted: '',
      columns: [
        { key: 'kq', label: 'Key question' },
        { key: 'rating', label: 'Rating' },
        { key: 'share', label: 'Share', numeric: true, format: { style: 'percent' } },
      ],
      rows: ['Safe', 'Effective', 'Caring', 'Responsive', 'Well-led'].flatMap((kq, i) => [
        { kq, rating: 'Outstanding', share: 0.02 + i * 0.01 },
        { kq, rating: 'Good', share: 0.7 + i * 0.02 },
        { kq, rating: 'Requires improvement', share: 0.25 - i * 0.03 },
        { kq, rating: 'Inadequate', share: 0.03 },
      ]),
      provenance: prov(['ratings']),
    },
  },
  t2: {
    slug: 'dtoc-by-area',
    name: 'Delayed transfers by area',
    kind: 'table',
    chart: { type: 'bar', orientation: 'horizontal' },
    result: {
      figureId: 't2',
      kind: 'table',
      value: null,
      formatted: '',
      columns: [
        { key: 'area', label: 'Area' },
        { key: 'v', label: 'Delayed days per 100,000 aged 65+', numeric: true, format: { style: 'number', decimals: 0 } },
      ],
      rows: [
        { area: 'York', v: 2510 },
        { area: 'Trafford', v: 1720 },
        { area: 'Halton', v: 640 },
        { area: 'Stockport', v: 1210 },
      ],
      provenance: prov(['indicator_values']),
    },
  },
};

export const FIXTURE_EVIDENCE: Record<string, EvidenceInfo> = {
  e1: {
    id: 'e1',
    title: 'Published survey of councils',
    kind: 'survey',
    reference: 'ADASS 2018',
    collectedOn: '2018-05-01',
    sensitivity: 'public',
    publisher: 'Association of Directors of Adult Social Services',
    publishedOn: '2018-06-14',
    url: 'https://www.adass.org.uk/adass-budget-survey-2018',
    accessedOn: '2018-09-14',
  },
  e2: { id: 'e2', title: 'Interview with a discharge coordinator about Mrs A', kind: 'interview', reference: 'LSR-07-INT-12', collectedOn: '2018-03-02', sensitivity: 'personal' },
};

export function fixtureSections() {
  return [
    {
      id: 's1',
      title: 'Summary',
      content: JSON.stringify(
        lxRoot([
          lxParagraph([lxText('In adult social care, '), lxFigure('f1'), lxText(' of services were rated '), lxText('good or outstanding', 1), lxText('; the share '), lxFigure('f2', 'direction'), lxText('.'), lxCite('e1')]),
          lxHeading(2, 'Safety'),
          lxQuote([lxText('Not so much a postcode lottery as an integration lottery.')]),
          lxList(false, [[lxText('first point')], [lxText('second point'), lxCite('e2', 'para 4')]]),
          lxFigureBlock('t1', 'chart', 'Ratings by key question, adult social care'),
        ]),
      ),
    },
    {
      id: 's2',
      title: 'The integration lottery',
      content: JSON.stringify(
        lxRoot([
          lxParagraph([lxText('Delays varied widely.')]),
          lxFigureBlock('t2', 'table', 'Delayed transfers of care by area'),
          lxFigureBlock('t2', 'chart', 'Delayed transfers of care by area'),
          lxTable([
            ['Theme', 'Finding'],
            ['Leadership', 'Shared vision in some areas'],
          ]),
        ]),
      ),
    },
  ];
}

/** A complete build input over the fixtures. */
export function fixtureInput(audience: 'public' | 'internal'): BuildInput {
  return {
    report: { id: 'r1', slug: 'soc', title: 'State of Care 2017/18', params: { asAt: '2018-07-31' } },
    sections: fixtureSections(),
    figures: (ref) => FIXTURE_FIGURES[ref.figureId],
    evidence: (id) => FIXTURE_EVIDENCE[id],
    template: getTemplate('state-of-care')!,
    audience,
    demonstration: true,
    restrictedSensitivities: ['official-sensitive', 'personal'],
    generatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** The demo State of Care's own publication details, as a report stores them (the rest are the template's). */
export const FIXTURE_PUBLICATION: PublicationInput = DEMO_PUBLICATION;

/** What the notices page says with them, each somewhere in its text (a line break as a newline). */
export const FIXTURE_IMPRINT = [
  'Presented to Parliament pursuant to section 83(4)(a) of the Health and Social Care Act 2008',
  '\nHC 1457',
  'Published 10 October 2018.',
  '© Care Quality Commission 2018',
  'Open Government Licence v3.0',
  'ISBN 978-1-5286-0782-7',
  'Contact us\nAny enquiries about this publication',
  'enquiries@cqc.org.uk',
  'Other formats\nIf you would like this publication in another format',
  'large print, easy read, Braille or audio',
  'Accessibility\nWe want as many people as possible',
  'WCAG',
];

/** The build input with a signed foreword first and the publication's furniture (template defaults under `stored`). */
export function furnitureInput(audience: 'public' | 'internal', stored: PublicationInput = FIXTURE_PUBLICATION): BuildInput {
  const input = fixtureInput(audience);
  const foreword = { id: 's0', title: 'Foreword', content: JSON.stringify(lxRoot([lxParagraph([lxText('This is our annual assessment.')])])) };
  return { ...input, sections: [foreword, ...input.sections], publication: reportPublication(input.template.publication, stored) };
}
