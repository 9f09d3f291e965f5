import { z } from 'zod';
import type { Tx } from '../store/workspace';
import { audit } from '../store/audit';
import { WorkspaceError } from '../store/errors';
import { parseInput } from '../store/validate';
import { newId } from '../util/runtime';
import { getTemplate, listTemplates } from './templates';
import { lxFigureBlock, lxParagraph, lxQuote, lxRoot, lxText, TEXT_FORMAT } from './lexical';

/**
 * "New report from template": a report with the template's sections, each opening with the template's guidance as a
 * quote for the author to replace, its starter paragraphs, and a block for each suggested table or chart that the
 * workspace's figure library has. Run inside one workspace write.
 */

export const NewReportInput = z.object({
  templateId: z.string().min(1),
  title: z.string().trim().min(1).optional(),
  subtitle: z.string().nullish(),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens')
    .optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  author: z.string().nullish(),
  /** Leave out the guidance quotes (for reports made in code, such as the demo). */
  withGuidance: z.boolean().default(true),
});
export type NewReportInput = z.input<typeof NewReportInput>;

export function slugify(s: string): string {
  return (
    s
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'report'
  );
}

export interface NewReport {
  reportId: string;
  slug: string;
  sectionIds: string[];
}

export function createReportFromTemplate(tx: Tx, input: NewReportInput): NewReport {
  const r = parseInput('report', NewReportInput, input);
  const template = getTemplate(r.templateId);
  if (!template) {
    throw new WorkspaceError('invalid', `report: there is no template "${r.templateId}" (templates: ${listTemplates().map((t) => t.id).join(', ')})`);
  }
  const title = r.title ?? template.defaultTitle;
  let slug = r.slug ?? slugify(title);
  if (tx.get('SELECT 1 FROM reports WHERE slug = ?', [slug])) {
    if (r.slug) throw new WorkspaceError('conflict', `report: a report with the slug "${slug}" already exists`);
    let n = 2;
    while (tx.get('SELECT 1 FROM reports WHERE slug = ?', [`${slug}-${n}`])) n++;
    slug = `${slug}-${n}`;
  }
  const id = newId();
  const params = { ...template.defaultParams, ...(r.params ?? {}) };
  tx.run(
    'INSERT INTO reports(id, slug, title, subtitle, template_id, params, author, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [id, slug, title, r.subtitle === undefined ? (template.defaultSubtitle ?? null) : r.subtitle, template.id, JSON.stringify(params), r.author ?? null, tx.at, tx.at],
  );
  const after = tx.get('SELECT * FROM reports WHERE id = ?', [id]);
  audit(tx, 'report.create', 'reports', id, null, { ...after, fromTemplate: template.id });
  tx.note({ table: 'reports', op: 'insert', key: { id } });
  const sectionIds: string[] = [];
  for (const [i, s] of template.sections.entries()) {
    const children: Record<string, unknown>[] = [];
    if (r.withGuidance) children.push(lxQuote([lxText('Guidance (delete before review): ', TEXT_FORMAT.bold), lxText(s.instructions, TEXT_FORMAT.italic)]));
    for (const p of s.starter) children.push(lxParagraph([lxText(p)]));
    for (const slugOf of s.suggestedFigures) {
      const f = tx.get<{ id: string; kind: string; name: string }>('SELECT id, kind, name FROM figures WHERE slug = ?', [slugOf]);
      if (f && (f.kind === 'chart' || f.kind === 'table')) children.push(lxFigureBlock(f.id, f.kind, f.name));
    }
    if (!children.length) children.push(lxParagraph([]));
    const sid = newId();
    tx.run('INSERT INTO sections(id, report_id, position, title, owner, status, content, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      sid,
      id,
      i + 1,
      s.title,
      r.author ?? null,
      'draft',
      JSON.stringify(lxRoot(children)),
      tx.at,
    ]);
    tx.note({ table: 'sections', op: 'insert', key: { id: sid } });
    sectionIds.push(sid);
  }
  return { reportId: id, slug, sectionIds };
}
