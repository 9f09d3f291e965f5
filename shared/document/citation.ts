import { longDate } from './format';

/**
 * How a report's note cites an evidence source, in house style (as GOV.UK and CQC cite a publication):
 *
 *   Publisher, ‘Title’, date published, locator, URL (accessed 5 December 2026).
 *
 * What a reader needs to find the source, and nothing else: a public edition never prints how or when the source was
 * collected, or its internal reference, which are the register's business (and would contradict a publication's own
 * date). An internal edition adds them after the reference, marked as internal. A source with neither a date of
 * publication nor an address (an interview, a meeting's notes, a survey held by CQC) says it is unpublished.
 */

export interface CitableSource {
  title: string;
  kind: string;
  reference?: string | null;
  collectedOn?: string | null;
  publisher?: string | null;
  publishedOn?: string | null;
  url?: string | null;
  accessedOn?: string | null;
}

export interface CitationOptions {
  /** Where in the source (a page, a table). */
  locator?: string | undefined;
  /** An internal edition: the collection and the internal reference follow the citation. */
  internal: boolean;
  /** Restricted evidence (only ever cited in full in an internal edition): says it is not for publication. */
  restricted?: boolean;
}

/** A title in single curly quotes; quotes inside it become double ones (house style nests ‘ “ ” ’), apostrophes curly. */
function quoted(title: string): string {
  const inner = title
    .trim()
    .replace(/[.\s]+$/, '')
    .replace(/(^|[\s(])['‘]([^'‘’]+)['’](?=$|[\s).,;:!?])/g, '$1“$2”')
    .replace(/'/g, '’');
  return `‘${inner}’`;
}

export function citationText(ev: CitableSource, opts: CitationOptions): string {
  const publisher = ev.publisher?.trim();
  const url = ev.url?.trim();
  const parts: string[] = [];
  if (publisher) parts.push(publisher);
  parts.push(quoted(ev.title));
  if (ev.publishedOn) parts.push(longDate(ev.publishedOn));
  if (!ev.publishedOn && !url) parts.push(`unpublished ${ev.kind}`);
  const locator = opts.locator?.trim().replace(/\.$/, '');
  if (locator) parts.push(locator);
  if (url) parts.push(`${url}${ev.accessedOn ? ` (accessed ${longDate(ev.accessedOn)})` : ''}`);
  let text = `${parts.join(', ')}.`;
  if (opts.internal) {
    const held = [`${ev.kind.charAt(0).toUpperCase()}${ev.kind.slice(1)}${ev.collectedOn ? ` collected ${longDate(ev.collectedOn)}` : ''}`];
    if (ev.reference) held.push(`reference ${ev.reference}`);
    text += ` [Internal: ${held.join('; ')}.]`;
  }
  return `${text}${opts.restricted ? ' [Restricted: not for publication.]' : ''}`;
}
