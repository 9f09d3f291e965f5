import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { chromium, type Browser } from 'playwright-core';
import { WorkspaceFile } from '../workspace-file';
import { tempDir } from '../testing/fixtures';
import { workbookText } from '../testing/xlsx';
import { lxFigure, lxFigureBlock, lxParagraph, lxRoot, lxText } from '../../../shared/document/lexical';
import { saveEvidence } from '../../../shared/store/evidence';
import { saveFinding } from '../../../shared/store/findings';
import { sha256Hex } from '../../../shared/review/evidence';
import { assembleReport } from '../../../shared/export/assemble';
import { figureService } from '../../../shared/figures/service';
import { reviewReport } from '../../../shared/review/report';
import { exportReport, render, WithheldFiguresError, EXPORT_FORMATS } from './export';

/**
 * The attack: an analyst writes SQL figures that select restricted material (personal and official-sensitive evidence
 * titles and summaries, the text of a finding that rests only on them, an attached file's bytes, the audit log's copy
 * of a record) and puts them in a report. A public edition must not print any of it, in any format; the checks must
 * name each figure; an internal edition (for reviewers) shows them.
 */

const SECRETS = {
  title: 'Interview with Mrs K about her discharge',
  summary: 'She waited 34 days for a home care package',
  sensitiveTitle: 'Draft enforcement notice for Oakview Lodge',
  finding: 'Mrs K deteriorated while waiting to go home',
  attachment: 'CONFIDENTIAL-CASE-NOTES-7731',
};

const FIGURES = [
  { slug: 'evidence-titles', name: 'Evidence titles', kind: 'table', sql: 'SELECT title AS source, kind FROM evidence ORDER BY title', display: 'table' },
  { slug: 'summary-inline', name: 'A summary', kind: 'value', sql: "SELECT summary FROM evidence WHERE summary IS NOT NULL ORDER BY created_at LIMIT 1", display: 'inline' },
  { slug: 'finding-chart', name: 'Findings', kind: 'chart', sql: 'SELECT text AS finding, 1 AS n FROM findings ORDER BY text', display: 'chart' },
  { slug: 'attachment-bytes', name: 'Attached notes', kind: 'value', sql: 'SELECT CAST(data AS TEXT) FROM attachments LIMIT 1', display: 'inline' },
  { slug: 'audit-copy', name: 'Audit trail', kind: 'table', sql: "SELECT action, after FROM audit_log WHERE table_name = 'evidence' ORDER BY id", display: 'table' },
] as const;

let dir: string;
let path: string;
let browser: Browser | undefined;

async function build(): Promise<void> {
  dir = tempDir('assay-restricted-');
  path = join(dir, 'leak.assay');
  const wf = await WorkspaceFile.create(path, { name: 'Leak test' });
  const ws = wf.workspace;
  await ws.write(
    'attack',
    (tx) => {
      const bytes = new TextEncoder().encode(`Notes: ${SECRETS.attachment}`);
      const hash = sha256Hex(bytes);
      tx.run("INSERT INTO attachments(hash, size, media_type, data, created_at) VALUES (?, ?, 'text/plain', ?, ?)", [hash, bytes.length, bytes, tx.at]);
      const personal = saveEvidence(tx, { kind: 'interview', title: SECRETS.title, summary: SECRETS.summary, sensitivity: 'personal', attachmentHash: hash, attachmentName: 'notes.txt' }).id;
      saveEvidence(tx, { kind: 'document', title: SECRETS.sensitiveTitle, sensitivity: 'official-sensitive' });
      saveEvidence(tx, { kind: 'document', title: 'Published board papers', sensitivity: 'public' });
      saveFinding(tx, { subjectType: 'national', judgement: 'concern', text: SECRETS.finding, evidenceIds: [personal] });
      const t = tx.at;
      for (const f of FIGURES) {
        tx.run('INSERT INTO figures(id, slug, name, kind, sql, format, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [f.slug, f.slug, f.name, f.kind, f.sql, '{}', t, t]);
      }
      tx.run("INSERT INTO reports(id, slug, title, params, created_at, updated_at) VALUES ('r', 'leaky', 'Leaky report', '{}', ?, ?)", [t, t]);
      const blocks = FIGURES.map((f) =>
        f.display === 'inline' ? lxParagraph([lxText(`${f.name}: `), lxFigure(f.slug), lxText('.')]) : lxFigureBlock(f.slug, f.display, f.name),
      );
      tx.run("INSERT INTO sections(id, report_id, position, title, content, updated_at) VALUES ('s', 'r', 1, 'Findings', ?, ?)", [JSON.stringify(lxRoot(blocks)), t]);
    },
    { actor: 'analyst' },
  );
  // An edit of a restricted record leaves its before and after in the audit log.
  await ws.write('edit', (tx) => tx.run("UPDATE evidence SET reference = 'ref-1' WHERE sensitivity = 'personal'"), { actor: 'analyst' });
  await wf.close();
}

/** Opens the attack workspace read-only for one test. */
async function withWorkspace<T>(fn: (ws: WorkspaceFile['workspace']) => Promise<T>): Promise<T> {
  const wf = await WorkspaceFile.open(path, { readOnly: true });
  try {
    return await fn(wf.workspace);
  } finally {
    await wf.close({ save: false });
  }
}

/** Every piece of text a reader could get out of an exported file. */
async function textOf(format: string, bytes: Uint8Array): Promise<string> {
  switch (format) {
    case 'html':
    case 'csv':
      return new TextDecoder().decode(bytes);
    case 'docx': {
      const files = unzipSync(bytes);
      return Object.entries(files)
        .filter(([name]) => name.endsWith('.xml') || name.endsWith('.rels'))
        .map(([, b]) => strFromU8(b))
        .join('\n');
    }
    case 'pdf': {
      const f = join(dir, `read-${Date.now()}.pdf`);
      writeFileSync(f, bytes);
      // The raw bytes too: alt text and metadata live outside the page text.
      return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' }) + Buffer.from(bytes).toString('latin1');
    }
    case 'xlsx': {
      // The workbook as a spreadsheet program reads it (every cell and the properties), and every part of the package.
      const files = unzipSync(bytes);
      const xml = Object.entries(files)
        .filter(([name]) => name.endsWith('.xml') || name.endsWith('.rels'))
        .map(([, b]) => strFromU8(b))
        .join('\n');
      return `${await workbookText(bytes)}\n${xml}`;
    }
  }
  throw new Error(format);
}

const chromiumPath = '/usr/bin/chromium';
const haveTools = existsSync(chromiumPath) && !!execFileSync('sh', ['-c', 'command -v pdftotext || true'], { encoding: 'utf8' }).trim();
const NEEDS = '(needs Chromium and poppler-utils for the PDF; skipped without them)';

describe('restricted material through SQL figures', () => {
  beforeAll(async () => {
    await build();
    if (!haveTools) return;
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.skipIf(!haveTools)(`a public export is refused, naming every figure, and writes nothing ${NEEDS}`, async () => {
    await withWorkspace(async (ws) => {
      const out = join(dir, 'public');
      // A draft, so that the publication gate (the report is not approved) is not what refuses it: even a draft public
      // edition never prints a figure that reads restricted tables.
      const err = await exportReport(ws, { report: 'leaky', formats: [...EXPORT_FORMATS], audience: 'public', draft: true, out, ...(browser ? { browser } : {}) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WithheldFiguresError);
      for (const f of FIGURES) expect((err as Error).message).toContain(`“${f.name}”`);
      expect((err as Error).message).not.toMatch(/evidence_id|audit_log|SELECT/);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    });
  });

  it('the public checks name every figure that would show restricted data; the internal checks do not', async () => {
    await withWorkspace(async (ws) => {
      for (const audience of ['public', 'internal'] as const) {
        const figures = figureService(ws, { view: audience });
        const r = await figures.settle(() => reviewReport(ws, figures, 'leaky', { audience }));
        const restricted = r.problems.filter((p) => p.code === 'figure-restricted');
        if (audience === 'public') {
          expect(restricted.map((p) => p.figureId).sort()).toEqual(FIGURES.map((f) => f.slug).sort());
          expect(restricted.every((p) => p.severity === 'blocking')).toBe(true);
          expect(restricted.find((p) => p.figureId === 'audit-copy')!.message).toMatch(/“Audit trail” would show restricted data in a public edition: Its SQL reads the audit log/);
        } else {
          expect(restricted).toEqual([]);
        }
      }
    });
  });

  it.skipIf(!haveTools)(`what a public edition would print holds none of it in any format, and the internal edition holds it ${NEEDS}`, async () => {
    await withWorkspace(async (ws) => {
      const source = figureService(ws);
      const pub = await source.settle(() => assembleReport(ws, source, 'leaky', { audience: 'public' }));
      expect(pub.withheld.map((w) => w.figureId).sort()).toEqual(FIGURES.map((f) => f.slug).sort());
      const internal = await source.settle(() => assembleReport(ws, source, 'leaky', { audience: 'internal' }));
      expect(internal.withheld).toEqual([]);
      for (const format of EXPORT_FORMATS) {
        const shown = await textOf(format, await render(ws, pub, format, browser ? { browser } : {}));
        for (const secret of Object.values(SECRETS)) expect(shown, `${format}: ${secret}`).not.toContain(secret);
      }
      // The internal edition is for reviewers, who must see what the figures say.
      const html = await textOf('html', await render(ws, internal, 'html'));
      for (const secret of Object.values(SECRETS)) expect(html, secret).toContain(secret);
      const csv = await textOf('csv', await render(ws, internal, 'csv'));
      expect(csv).toContain(SECRETS.title);
      // The workbook is written from the tidy data alone: what the public one leaves out is not a gap in the reading.
      expect(await textOf('xlsx', await render(ws, pub, 'xlsx'))).toMatch(/Cover_sheet[\s\S]*Contents/);
      // Each figure is refused for the public view, whatever its SQL found there (sql-worker.test.ts shows the view itself holds none of it).
      const engine = (await import('../../../shared/figures')).sharedFigureEngine(ws);
      for (const f of FIGURES) {
        const r = await engine.settle(() => engine.evaluateRef({ figureId: f.slug }, {}, { view: 'public' }));
        expect(r.internalOnly, f.slug).toBeTruthy();
      }
    });
  });

  it.skipIf(!haveTools)(`an internal export writes every format with the figures in it ${NEEDS}`, async () => {
    await withWorkspace(async (ws) => {
      const out = join(dir, 'internal');
      const r = await exportReport(ws, { report: 'leaky', formats: [...EXPORT_FORMATS], audience: 'internal', out, ...(browser ? { browser } : {}) });
      expect(r.files.map((f) => f.format)).toEqual([...EXPORT_FORMATS]);
      expect(r.doc.withheld).toEqual([]);
    });
  });
});
