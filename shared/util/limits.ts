import { z } from 'zod';

/**
 * How long each kind of text may be, in characters, wherever it enters a workspace: typed in the app, sent over IPC,
 * passed to the store, or imported from a file. One table, so that the app, the store and the importers agree, and a
 * 30 MB "finding" or a 100,000-character title is refused with the same message everywhere rather than slowing every
 * screen and export that shows it.
 */
export const LIMITS = {
  /** Report, section and evidence titles; figure names. */
  title: 300,
  /** People: the user's name, authors, collectors, approvers. */
  name: 200,
  /** Registered organisations and places from imports: locations, providers, brands, indicators. */
  organisation: 300,
  /** Evidence references, units, sources and other short labels. */
  reference: 500,
  /** A finding's text. */
  findingText: 20_000,
  /** Evidence summaries. */
  summary: 20_000,
  /** A comment or a reply. */
  comment: 10_000,
  /** The text a comment quotes from the report. */
  quote: 5_000,
  /** A file's name (attachments, imported files). */
  fileName: 260,
  /** Descriptions (figures). */
  description: 5_000,
  /** Any other cell an import reads. */
  importCell: 20_000,
} as const;

export type LimitName = keyof typeof LIMITS;

const count = (n: number) => n.toLocaleString('en-GB');

/** "must be at most 300 characters (this one has 100,000)": what a field over its limit says. */
export function tooLongMessage(limit: number, length: number): string {
  return `must be at most ${count(limit)} characters (this one has ${count(length)})`;
}

/** A string schema capped at `limit` characters, with the message above (the field's name comes from its path). */
export function capped(limit: number): z.ZodString {
  return z.string().max(limit, { error: (issue) => tooLongMessage(limit, typeof issue.input === 'string' ? issue.input.length : limit + 1) });
}
