import { describe, expect, it } from 'vitest';
import { citationText, type CitableSource } from './citation';

const published: CitableSource = {
  title: 'Beyond barriers: how older people move between health and social care in England',
  kind: 'document',
  reference: 'SOC18/R/04',
  collectedOn: '2018-05-28',
  publisher: 'Care Quality Commission',
  publishedOn: '2018-07-02',
  url: 'https://www.cqc.org.uk/publications/themed-work/beyond-barriers-how-older-people-move-between-health-care-england',
  accessedOn: '2026-12-05',
};

describe('citationText', () => {
  it('cites a published source in house style: publisher, ‘title’, date published, URL (accessed …)', () => {
    expect(citationText(published, { internal: false })).toBe(
      'Care Quality Commission, ‘Beyond barriers: how older people move between health and social care in England’, 2 July 2018, ' +
        'https://www.cqc.org.uk/publications/themed-work/beyond-barriers-how-older-people-move-between-health-care-england (accessed 5 December 2026).',
    );
  });

  it('puts the place cited before the address', () => {
    expect(citationText(published, { internal: false, locator: 'page 12.' })).toMatch(/, 2 July 2018, page 12, https:\/\/www\.cqc\.org\.uk\/.* \(accessed 5 December 2026\)\.$/);
  });

  it('leaves out what a source does not have, without empty commas', () => {
    expect(citationText({ title: 'Adult Social Care Outcomes Framework, 2017/18', kind: 'dataset', publisher: 'NHS Digital', url: 'https://digital.nhs.uk/ascof' }, { internal: false })).toBe(
      'NHS Digital, ‘Adult Social Care Outcomes Framework, 2017/18’, https://digital.nhs.uk/ascof.',
    );
    expect(citationText({ title: 'State of Care 2016/17', kind: 'document', publisher: 'Care Quality Commission', publishedOn: '2017-10-12' }, { internal: false })).toBe(
      'Care Quality Commission, ‘State of Care 2016/17’, 12 October 2017.',
    );
    // Nothing to find it by: said to be unpublished, by its kind, after whoever holds it.
    expect(citationText({ title: 'Survey of registered managers, 2018', kind: 'survey', publisher: 'Care Quality Commission' }, { internal: false })).toBe(
      'Care Quality Commission, ‘Survey of registered managers, 2018’, unpublished survey.',
    );
    expect(citationText({ title: 'Interviews with chief executives of six NHS acute trusts.', kind: 'interview' }, { internal: false })).toBe(
      '‘Interviews with chief executives of six NHS acute trusts’, unpublished interview.',
    );
  });

  it('never prints the collection date or the internal reference in a public edition; an internal one marks them as internal', () => {
    const pub = citationText(published, { internal: false });
    expect(pub).not.toMatch(/SOC18|28 May 2018|Reference|collected|Document/);
    const internal = citationText(published, { internal: true });
    expect(internal).toBe(`${pub} [Internal: Document collected 28 May 2018; reference SOC18/R/04.]`);
    expect(citationText({ ...published, collectedOn: null, reference: null }, { internal: true, restricted: true })).toBe(`${pub} [Internal: Document.] [Restricted: not for publication.]`);
  });

  it('nests a quotation inside a title in double quotes, and makes apostrophes curly', () => {
    expect(citationText({ title: "People's experience of 'leaving hospital'", kind: 'survey', publisher: 'CQC', publishedOn: '2018-06-13' }, { internal: false })).toBe(
      'CQC, ‘People’s experience of “leaving hospital”’, 13 June 2018.',
    );
  });
});
