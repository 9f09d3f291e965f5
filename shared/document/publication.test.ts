import { describe, expect, it } from 'vitest';
import { getTemplate } from './templates';
import {
  copyrightLine,
  EMPTY_PUBLICATION,
  hcNumberProblem,
  imprintLines,
  isbnProblem,
  isValidIsbn13,
  madeLine,
  missingFurniture,
  PublicationDetails,
  PublicationInput,
  resolvePublication,
} from './publication';

describe('publication details: validation', () => {
  it('checks an ISBN-13’s check digit, with or without hyphens', () => {
    expect(isValidIsbn13('978-1-5286-0782-7')).toBe(true);
    expect(isValidIsbn13('9781528607827')).toBe(true);
    expect(isValidIsbn13('ISBN 978 0 306 40615 7')).toBe(true);
    expect(isValidIsbn13('978-1-5286-0782-8')).toBe(false);
    expect(isbnProblem('978-1-5286-0782-8')).toMatch(/check digit/);
    expect(isbnProblem('1-5286-0782-7')).toMatch(/13 digits \(this one has 10\)/);
    expect(isbnProblem('123-1-5286-0782-7')).toMatch(/starts 978 or 979/);
    expect(isbnProblem('978-1-5286-078X-7')).toMatch(/13 digits/);
    expect(isbnProblem('978-1-5286-0782-7')).toBeUndefined();
  });

  it('takes a House of Commons number written as printed', () => {
    for (const ok of ['HC 1457', 'HC 12', 'HC 1457 2017–19']) expect(hcNumberProblem(ok)).toBeUndefined();
    for (const bad of ['1457', 'HC1457', 'hc 1457', 'HC 14570', 'HL 12']) expect(hcNumberProblem(bad), bad).toMatch(/like “HC 1457”/);
  });

  it('gives each bad field its message, for the form to show beside it; empty fields are allowed', () => {
    const r = PublicationInput.safeParse({ isbn: '978-1-5286-0782-8', hcNumber: '1457', publishedOn: '2018-02-30' });
    expect(r.success).toBe(false);
    const byField = Object.fromEntries(r.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(byField).toEqual({
      isbn: expect.stringMatching(/check digit/),
      hcNumber: expect.stringMatching(/HC 1457/),
      publishedOn: 'Enter a real date',
    });
    expect(PublicationDetails.safeParse(EMPTY_PUBLICATION).success).toBe(true);
  });
});

describe('publication details: defaults, printing and what is missing', () => {
  const template = getTemplate('state-of-care')!.publication!;

  it('takes the template’s defaults for fields the report never set, and the report’s own (even empty) over them', () => {
    const p = resolvePublication(template, { isbn: '978-1-5286-0782-7', contact: '', bogus: 1, hcNumber: 'not one' });
    expect(p.isbn).toBe('978-1-5286-0782-7');
    expect(p.copyrightHolder).toBe('Care Quality Commission');
    expect(p.licence).toMatch(/Open Government Licence v3\.0/);
    expect(p.contact).toBe('');
    // A stored field that does not parse is dropped, not printed: the default (none) stands.
    expect(p.hcNumber).toBe('');
    expect(p.signatories.map((s) => s.office)).toEqual(['Chair', 'Chief Executive']);
  });

  it('prints the imprint in order: Parliament and HC number, date, ©, licence, ISBN, contact, formats, accessibility', () => {
    const p = resolvePublication(template, { publishedOn: '2018-10-10', isbn: '978-1-5286-0782-7', hcNumber: 'HC 1457' });
    const lines = imprintLines(p, { laidBeforeParliament: true });
    expect(lines.map((l) => l.heading ?? l.text.split(/[\n.]/)[0])).toEqual([
      'Presented to Parliament pursuant to section 83(4)(a) of the Health and Social Care Act 2008',
      'Published 10 October 2018',
      '© Care Quality Commission 2018',
      'This publication is licensed under the terms of the Open Government Licence v3',
      'ISBN 978-1-5286-0782-7',
      'Contact us',
      'Other formats',
      'Accessibility',
    ]);
    expect(lines[0]!.text).toBe(
      'Presented to Parliament pursuant to section 83(4)(a) of the Health and Social Care Act 2008.\nOrdered by the House of Commons to be printed 10 October 2018.\nHC 1457',
    );
    expect(copyrightLine({ ...p, copyrightHolder: 'Crown' })).toBe('© Crown copyright 2018');
    expect(copyrightLine({ ...p, publishedOn: '' }, '2018-07-31')).toBe('© Care Quality Commission 2018');
  });

  it('names each missing item in plain English', () => {
    expect(missingFurniture(EMPTY_PUBLICATION, { laidBeforeParliament: true, hasForeword: true })).toEqual([
      'a publication date',
      'a copyright line (who holds the copyright)',
      'the Open Government Licence statement',
      'an ISBN',
      'a House of Commons (HC) number',
      'contact details',
      'a statement on alternative formats',
      'an accessibility statement',
      'the names of the office holders who sign the foreword',
    ]);
    const full = resolvePublication(template, {
      publishedOn: '2018-10-10',
      isbn: '978-1-5286-0782-7',
      hcNumber: 'HC 1457',
      signatories: [{ name: 'Peter Wyman', office: 'Chair' }],
    });
    expect(missingFurniture(full, { laidBeforeParliament: true, hasForeword: true })).toEqual([]);
    // No HC number is expected of a publication not laid before Parliament; no signatures without a foreword.
    expect(missingFurniture({ ...full, hcNumber: '', signatories: [] }, { laidBeforeParliament: false, hasForeword: false })).toEqual([]);
  });

  it('dates a published edition by its publication date, and anything else by when it was made', () => {
    expect(madeLine({ publishedOn: '2018-10-10', edition: 'final', generatedAt: '2026-12-05T10:00:00Z' })).toBe('');
    expect(madeLine({ publishedOn: '2018-10-10', edition: 'draft', generatedAt: '2026-12-05T10:00:00Z' })).toBe('Generated by Assay on 5 December 2026.');
    expect(madeLine({ publishedOn: null, edition: 'final', generatedAt: '2026-12-05T10:00:00Z' })).toBe('Generated by Assay on 5 December 2026.');
  });
});
