import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../electron/services/sqljs';
import { figureService } from '../figures/service';
import { createNextEdition, createReportFromTemplate, findReport, setReportSettings } from '../store/reports';
import { reviewReport } from './report';
import { reviewFixture } from './testing/fixtures';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** `check` warns when a public edition lacks a piece of its furniture: each a warning naming it, never a blocker. */
describe('the publication details check', () => {
  it('warns a public edition of each missing item in plain English; nothing once they are all there, nor for an internal edition', async () => {
    const f = await reviewFixture(SQL);
    const figures = figureService(f.ws);
    const r = await f.ws.write('report', (tx) => createReportFromTemplate(tx, { templateId: 'state-of-care', params: { asAt: '2018-07-31' }, withGuidance: false }));
    const id = r.value.reportId;
    const furniture = (audience: 'public' | 'internal') =>
      figures.settle(() => reviewReport(f.ws, figures, id, { audience })).then((x) => x.problems.filter((p) => p.code === 'publication-details-missing'));

    const missing = await furniture('public');
    expect(missing.every((p) => p.severity === 'warning')).toBe(true);
    // The template gives copyright, licence, contact, formats and accessibility; the edition's own items are missing.
    expect(missing.map((p) => p.message)).toEqual([
      'The public edition lacks a publication date: add it in Publication details, on the report’s bar.',
      'The public edition lacks an ISBN: add it in Publication details, on the report’s bar.',
      'The public edition lacks a House of Commons (HC) number: add it in Publication details, on the report’s bar.',
      'The public edition lacks the names of the office holders who sign the foreword: add it in Publication details, on the report’s bar.',
    ]);
    expect(missing.map((p) => p.message).join(' ')).not.toMatch(/isbn|hcNumber|publishedOn|settings|state-of-care/);
    expect(await furniture('internal')).toEqual([]);

    await f.ws.write('details', (tx) =>
      setReportSettings(tx, id, {
        publication: { publishedOn: '2018-10-10', isbn: '978-1-5286-0782-7', hcNumber: 'HC 1457', signatories: [{ name: 'Peter Wyman', office: 'Chair' }], accessibility: '' },
      }),
    );
    // Cleared on purpose, the template's accessibility statement no longer stands in.
    expect((await furniture('public')).map((p) => p.message)).toEqual(['The public edition lacks an accessibility statement: add it in Publication details, on the report’s bar.']);
    await f.ws.write('details', (tx) =>
      setReportSettings(tx, id, {
        publication: { publishedOn: '2018-10-10', isbn: '978-1-5286-0782-7', hcNumber: 'HC 1457', signatories: [{ name: 'Peter Wyman', office: 'Chair' }] },
      }),
    );
    expect(await furniture('public')).toEqual([]);
    // A report whose template has no furniture is not asked for it.
    expect((await figures.settle(() => reviewReport(f.ws, figures, f.reportId, { audience: 'public' }))).problems.filter((p) => p.code === 'publication-details-missing')).toEqual([]);
  });

  it('a new edition keeps the standing furniture but not the last edition’s date, ISBN or HC number', async () => {
    const f = await reviewFixture(SQL);
    const r = await f.ws.write('report', (tx) => createReportFromTemplate(tx, { templateId: 'state-of-care', params: { asAt: '2018-07-31' }, withGuidance: false }));
    const publication = { publishedOn: '2018-10-10', isbn: '978-1-5286-0782-7', hcNumber: 'HC 1457', contact: 'Email enquiries@cqc.org.uk', signatories: [{ name: 'Peter Wyman', office: 'Chair' }] };
    await f.ws.write('details', (tx) => setReportSettings(tx, r.value.reportId, { publication }));
    const next = await f.ws.write('edition', (tx) => createNextEdition(tx, r.value.reportId));
    expect(findReport(f.ws, next.value.reportId).settings.publication).toEqual({ contact: 'Email enquiries@cqc.org.uk', signatories: [{ name: 'Peter Wyman', office: 'Chair' }], publishedOn: '', isbn: '', hcNumber: '' });
  });

  it('refuses details that are not well formed, naming the field', async () => {
    const f = await reviewFixture(SQL);
    const r = await f.ws.write('report', (tx) => createReportFromTemplate(tx, { templateId: 'state-of-care', withGuidance: false }));
    await expect(f.ws.write('bad', (tx) => setReportSettings(tx, r.value.reportId, { publication: { isbn: '978-1-5286-0782-8', hcNumber: '1457' } }))).rejects.toMatchObject({
      fields: { 'publication.isbn': expect.stringMatching(/check digit/), 'publication.hcNumber': expect.stringMatching(/HC 1457/) },
    });
  });
});
