import { z } from 'zod';
import { WorkspaceError } from './errors';
import { capped } from '../util/limits';

/** An ISO calendar date (yyyy-mm-dd) that exists. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written yyyy-mm-dd')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'is not a real calendar date');

export const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** Required text of at most `limit` characters (see LIMITS), trimmed. */
export function requiredText(limit: number) {
  return capped(limit).trim().min(1, 'must not be empty');
}

/** Optional text of at most `limit` characters. */
export function optionalText(limit: number) {
  return capped(limit).nullish();
}

/**
 * Parses input with a zod schema and turns failures into one WorkspaceError whose message names every field at
 * fault, e.g. "rating: publishedOn must be a date written yyyy-mm-dd", and whose `fields` give each field's first
 * problem by its path, for a form to show beside it.
 */
export function parseInput<S extends z.ZodType>(what: string, schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new WorkspaceError('invalid', `${what}: ${describeIssues(r.error)}`, { fields: issueFields(r.error) });
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.map(String).join('.');
      return path ? `${path} ${i.message}` : i.message;
    })
    .join('; ');
}

/**
 * Zod issues as field path -> message. Only issues with a path count: one about the input as a whole has no field to
 * sit beside, and is in the message. The first problem per field is the one worth showing; later ones are usually
 * consequences of it.
 */
export function issueFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (!issue.path.length) continue;
    const path = issue.path.map(String).join('.');
    if (!(path in fields)) fields[path] = issue.message;
  }
  return fields;
}
