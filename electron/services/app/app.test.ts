import { vi, afterEach, describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceFile } from '../workspace-file';
import { createDispatch } from './ipc/dispatch';
import { handlers } from './handlers';
import type { HandlerMap } from './ipc/handler';
import { openTestSession, type TestSession } from './testing/session';
import { importFilesOf } from './files/import-files';
import type { HostServices } from './session/session';
import type { RequestOutputs } from '../../../shared/ipc/contract';
import { lxParagraph, lxRoot, lxText } from '../../../shared/document/lexical';
import { SCHEMA_VERSION } from '../../../shared/store/schema';
import { workspaceInfo } from '../../../shared/store/info';

let t: TestSession | undefined;
afterEach(async () => {
  await t?.session.close();
  t = undefined;
});

describe('the request wrapper', () => {
  it('refuses a request name that is not in the contract', async () => {
    t = await openTestSession();
    for (const name of ['workspace.delete', '__proto__', 'constructor', 42, null]) {
      const r = await t.dispatch(name, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'bad-channel' } });
    }
  });

  it('refuses a payload that does not parse, naming each field', async () => {
    t = await openTestSession();
    const r = await t.dispatch('ratings.add', { locationId: '', keyQuestionId: 'safe', rating: 'Good', publishedOn: '31/07/2018' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('bad-request');
    expect(r.error.fields).toMatchObject({ locationId: expect.any(String), publishedOn: 'must be a date written yyyy-mm-dd' });
    const wrongType = await t.dispatch('locations.list', 'not an object');
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    // Nothing was written by either.
    expect(t.events).toHaveLength(0);
  });

  it('maps store errors to codes and fields, and hides unexpected ones behind a safe message', async () => {
    t = await openTestSession();
    const badLabel = await t.dispatch('ratings.add', { locationId: '1-200', keyQuestionId: 'safe', rating: 'Excellent', publishedOn: '2018-06-01' });
    expect(badLabel).toMatchObject({ ok: false, error: { code: 'invalid', fields: { rating: expect.stringContaining('not a rating') } } });
    const clash = await t.dispatch('ratings.add', { locationId: '1-200', keyQuestionId: 'safe', rating: 'Good', publishedOn: '2017-05-01' });
    expect(clash).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const missing = await t.dispatch('locations.get', { id: 'nope' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });

    const session = t.session;
    const broken = createDispatch(
      { ...handlers, 'workspace.info': () => { throw new Error('SQLITE_IOERR at /home/someone/secret/path'); } } as HandlerMap,
      () => ({ session }),
      (_m, e) => t!.logged.push(e),
    );
    const r = await broken('workspace.info', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    if (!r.ok) expect(r.error.message).not.toContain('/home/someone');
    expect(t.logged).toHaveLength(1);
  });
});

describe('requests, one area at a time, over a real workspace file', () => {
  it('workspace and settings: info, save, user name used as the audit actor', async () => {
    t = await openTestSession();
    const info = await t.call<RequestOutputs['workspace.info']>('workspace.info');
    expect(info).toMatchObject({ name: 'Test workspace', schemaVersion: SCHEMA_VERSION, dirty: false });
    expect(info.counts.locations).toBe(2);
    expect(await t.call('settings.get')).toEqual({ userName: null });
    await t.call('settings.setUserName', { name: '  Priya Shah ' });
    expect(JSON.parse(readFileSync(join(t.dir, 'settings', 'settings.json'), 'utf8')).userName).toBe('Priya Shah');
    await t.call('ratings.add', { locationId: '1-201', keyQuestionId: 'overall', rating: 'Outstanding', publishedOn: '2018-06-01' });
    const after = await t.call<RequestOutputs['workspace.info']>('workspace.info');
    expect(after.recentChanges[0]).toMatchObject({ actor: 'Priya Shah', action: 'rating.add', tableName: 'ratings' });
    expect(after.dirty).toBe(true);
    const saved = await t.call<RequestOutputs['workspace.save']>('workspace.save');
    expect(saved.bytes).toBe(statSync(t.path).size);
  });

  it('data: lists, filters and sorts locations; a rating change is written, audited and announced', async () => {
    t = await openTestSession();
    const ref = await t.call<RequestOutputs['reference.get']>('reference.get');
    expect(ref.keyQuestions.map((k) => k.id)).toContain('well-led');
    expect(ref.ratingValues.find((v) => v.label === 'Insufficient evidence to rate')).toMatchObject({ onScale: false, rank: null });
    const all = await t.call<RequestOutputs['locations.list']>('locations.list', { sort: { column: 'name', direction: 'asc' } });
    expect(all.total).toBe(2);
    expect(all.rows.map((r) => r.name)).toEqual(['Anchor Court', 'Seaview House']);
    expect(all.rows[1]).toMatchObject({ overall: 'Good', overallPublished: '2017-05-01', careHome: true, region: 'North East', providerName: 'Harbour Care Ltd' });
    const good = await t.call<RequestOutputs['locations.list']>('locations.list', { filters: { overallRating: 'Good' } });
    expect(good.rows.map((r) => r.id)).toEqual(['1-200']);
    const notRated = await t.call<RequestOutputs['locations.list']>('locations.list', { filters: { overallRating: 'Not rated' } });
    expect(notRated.total).toBe(1);
    const searched = await t.call<RequestOutputs['locations.list']>('locations.list', { filters: { search: 'anchor' } });
    expect(searched.rows.map((r) => r.id)).toEqual(['1-201']);

    const loc = await t.call<RequestOutputs['locations.get']>('locations.get', { id: '1-200' });
    const safe = loc.ratings.find((r) => r.keyQuestionId === 'safe')!;
    const updated = await t.call<RequestOutputs['ratings.update']>('ratings.update', { id: safe.id, rating: 'Good' });
    expect(updated).toMatchObject({ id: safe.id, rating: 'Good', keyQuestion: 'Safe' });
    const changed = t.events.find((e) => e.event === 'workspace.changed');
    expect(changed?.payload).toMatchObject({ tables: expect.arrayContaining(['ratings', 'audit_log']), label: 'Change a rating' });
    // The list is held in memory: a new overall rating must show in it, its filters and its sort order at once.
    await t.call('ratings.add', { locationId: '1-201', keyQuestionId: 'overall', rating: 'Inadequate', publishedOn: '2018-06-01' });
    const inadequate = await t.call<RequestOutputs['locations.list']>('locations.list', { filters: { overallRating: 'Inadequate' } });
    expect(inadequate.rows.map((r) => [r.id, r.overall, r.overallPublished])).toEqual([['1-201', 'Inadequate', '2018-06-01']]);
    const bestFirst = await t.call<RequestOutputs['locations.list']>('locations.list', { sort: { column: 'overall', direction: 'asc' } });
    expect(bestFirst.rows.map((r) => r.id)).toEqual(['1-200', '1-201']);
    const page = await t.call<RequestOutputs['locations.list']>('locations.list', { offset: 1, limit: 1 });
    expect(page).toMatchObject({ total: 2, rows: [{ id: '1-200' }] });
    expect((await t.call<RequestOutputs['reference.get']>('reference.get')).serviceGroups).toEqual(['Overall']);
    const providers = await t.call<RequestOutputs['providers.list']>('providers.list', { search: 'harbour' });
    expect(providers.rows).toEqual([{ id: '1-100', name: 'Harbour Care Ltd', locations: 2 }]);
  });

  it('evidence and findings: attachment stored by hash, verified by the user, cited by a finding', async () => {
    t = await openTestSession();
    await t.call('settings.setUserName', { name: 'Sam Okoro' });
    const bytes = Buffer.from('Minutes of the discharge planning meeting');
    const { id } = await t.call<{ id: string }>('evidence.save', {
      kind: 'meeting notes',
      title: 'Discharge meeting, 4 June',
      sensitivity: 'official-sensitive',
      attachment: { name: 'minutes.txt', mediaType: 'text/plain', base64: bytes.toString('base64') },
    });
    await t.call('evidence.save', { id, kind: 'meeting notes', title: 'Discharge planning meeting, 4 June', sensitivity: 'official-sensitive', summary: 'Weekend discharge cover' });
    await t.call('evidence.verify', { id });
    const list = await t.call<RequestOutputs['evidence.list']>('evidence.list', { search: 'planning' });
    expect(list.rows).toHaveLength(1);
    // Editing without a new attachment keeps the old one.
    expect(list.rows[0]).toMatchObject({ title: 'Discharge planning meeting, 4 June', attachmentName: 'minutes.txt', verifiedBy: 'Sam Okoro', collectedBy: 'Sam Okoro' });
    // The list carries the summary, so an edit form starts from it rather than clearing it.
    expect(list.rows[0]?.summary).toBe('Weekend discharge cover');
    const stored = t.session.ws.get<{ size: number }>('SELECT size FROM attachments WHERE hash = ?', [list.rows[0]!.attachmentHash]);
    expect(stored?.size).toBe(bytes.length);

    const badAttachment = await t.dispatch('evidence.save', { kind: 'document', title: 'x', sensitivity: 'public', attachment: { name: 'a', mediaType: 'text/plain', base64: '***' } });
    expect(badAttachment).toMatchObject({ ok: false, error: { fields: { attachment: expect.any(String) } } });

    const f = await t.call<{ id: string }>('findings.save', { subjectType: 'location', subjectId: '1-200', judgement: 'concern', text: 'Discharges at weekends were delayed.', evidenceIds: [id], themeId: 'step-down' });
    const findings = await t.call<RequestOutputs['findings.list']>('findings.list', { subjectId: '1-200' });
    expect(findings.rows).toEqual([
      expect.objectContaining({ id: f.id, subjectName: 'Seaview House', theme: 'Step down and return home', author: 'Sam Okoro', evidenceIds: [id], status: 'draft' }),
    ]);
    const noSubject = await t.dispatch('findings.save', { subjectType: 'location', judgement: 'concern', text: 'x' });
    expect(noSubject).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('reports: from a template, sections added, moved, renamed, edited and deleted', async () => {
    t = await openTestSession();
    const { templates } = await t.call<RequestOutputs['templates.list']>('templates.list');
    expect(templates.map((x) => x.id)).toEqual(expect.arrayContaining(['state-of-care', 'local-system-review', 'blank']));
    const { id } = await t.call<{ id: string }>('reports.create', { templateId: 'state-of-care', title: 'State of Care 2018/19', params: { asAt: '2019-07-31' } });
    let report = await t.call<RequestOutputs['reports.get']>('reports.get', { id });
    expect(report.slug).toBe('state-of-care-2018-19');
    expect(report.params).toMatchObject({ asAt: '2019-07-31', previousAsAt: '2017-07-31' });
    expect(report.sections.length).toBeGreaterThan(3);
    const first = report.sections[0]!;
    // A template's guidance is its own block, never a quote: the editor shows it as guidance and no export prints it.
    expect(JSON.parse(report.sectionContents[first.id]!).root.children[0].type).toBe('guidance');

    const added = await t.call<{ id: string }>('sections.add', { reportId: id, title: 'Annex', afterSectionId: first.id });
    await t.call('sections.move', { id: added.id, toIndex: 0 });
    await t.call('sections.rename', { id: added.id, title: 'Annex A' });
    const content = JSON.stringify(lxRoot([lxParagraph([lxText('Most services were good.')])]));
    const saved = await t.call<{ savedAt: string }>('sections.saveContent', { id: added.id, content });
    expect(saved.savedAt).toMatch(/^\d{4}-/);
    const bad = await t.dispatch('sections.saveContent', { id: added.id, content: '{"not":"lexical"' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid', fields: { content: expect.any(String) } } });
    report = await t.call<RequestOutputs['reports.get']>('reports.get', { id });
    expect(report.sections[0]).toMatchObject({ id: added.id, title: 'Annex A', position: 1 });
    expect(report.sections.map((s) => s.position)).toEqual(report.sections.map((_s, i) => i + 1));
    expect(report.sectionContents[added.id]).toBe(content);
    await t.call('sections.delete', { id: added.id });
    report = await t.call<RequestOutputs['reports.get']>('reports.get', { id });
    expect(report.sections.find((s) => s.id === added.id)).toBeUndefined();
    expect(report.sections[0]!.position).toBe(1);

    const unknown = await t.dispatch('reports.create', { templateId: 'no-such', title: 'x' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid', fields: { templateId: expect.any(String) } } });
  });

  it('figures: saved, listed, refused while used, deleted', async () => {
    const session = await openTestSession();
    t = session;
    const { id } = await t.call<{ id: string }>('figures.save', {
      slug: 'asc-safe-good',
      name: 'Adult social care rated good or outstanding for Safe',
      kind: 'value',
      sql: "SELECT count(*) AS value FROM ratings WHERE key_question_id = 'safe'",
    });
    const dup = await t.dispatch('figures.save', { slug: 'asc-safe-good', name: 'Other', kind: 'value', sql: 'SELECT 1 AS value' });
    expect(dup).toMatchObject({ ok: false, error: { code: 'conflict', fields: { slug: expect.any(String) } } });
    const listed = await t.call<RequestOutputs['figures.list']>('figures.list', { search: 'safe' });
    expect(listed.figures).toEqual([expect.objectContaining({ id, slug: 'asc-safe-good', usedIn: 0 })]);
    // SQL figures run in the worker: the editor's request answers at once with the figure pending, and the figure's key
    // is announced when its value is ready.
    const pending = await t.call<RequestOutputs['figures.evaluate']>('figures.evaluate', { refs: [{ figureId: id }] });
    expect(pending.figures[0]!.result).toMatchObject({ pending: true, formatted: '…' });
    const key = pending.figures[0]!.key;
    const announced = () => session.events.filter((e) => e.event === 'figures.changed' && (e.payload as { keys: string[] }).keys.includes(key)).length;
    await vi.waitFor(() => expect(announced()).toBe(1), { timeout: 10_000 });
    const evaluated = await t.call<RequestOutputs['figures.evaluate']>('figures.evaluate', { refs: [{ figureId: id }], wait: true });
    expect(evaluated.figures[0]).toMatchObject({ figureId: id, key, state: 'fresh', result: { value: 1 } });
    expect(evaluated.figures[0]!.result.provenance.tables).toContain('ratings');

    // A write that changes the value is announced with the figure's key, so open reports refresh it.
    await t.call('ratings.add', { locationId: '1-201', keyQuestionId: 'safe', rating: 'Good', publishedOn: '2018-06-01' });
    await vi.waitFor(() => expect(announced()).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    const again = await t.call<RequestOutputs['figures.evaluate']>('figures.evaluate', { refs: [{ figureId: id }], wait: true });
    expect(again.figures[0]!.result.value).toBe(2);

    const badSql = await t.dispatch('figures.save', { slug: 'bad', name: 'Bad', kind: 'value', sql: 'DELETE FROM ratings' });
    expect(badSql).toMatchObject({ ok: false, error: { code: 'invalid', fields: { sql: expect.any(String) } } });
    const preview = await t.call<RequestOutputs['figures.preview']>('figures.preview', { kind: 'value', sql: 'SELECT count(*) AS value FROM locations' });
    expect(preview.value).toBe(2);
    const brokenPreview = await t.call<RequestOutputs['figures.preview']>('figures.preview', { kind: 'value', sql: 'SELECT nope FROM nowhere' });
    expect(brokenPreview.error).toEqual(expect.any(String));

    const { id: reportId } = await t.call<{ id: string }>('reports.create', { templateId: 'blank', title: 'Notes' });
    const report = await t.call<RequestOutputs['reports.get']>('reports.get', { id: reportId });
    const content = JSON.stringify(lxRoot([lxParagraph([lxText('Safe: '), { type: 'live-figure', version: 1, figureId: id }])]));
    await t.call('sections.saveContent', { id: report.sections[0]!.id, content });
    expect(await t.dispatch('figures.delete', { id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await t.call('sections.saveContent', { id: report.sections[0]!.id, content: JSON.stringify(lxRoot([])) });
    await t.call('figures.delete', { id });
    expect(await t.dispatch('figures.get', { id })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('export: files written through the shared exporters, progress announced, only those files shown in a folder', async () => {
    t = await openTestSession();
    const r = await t.dispatch('export.showInFolder', { path: '/etc/passwd' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(t.shown).toHaveLength(0);

    const { id: figureId } = await t.call<{ id: string }>('figures.save', { slug: 'locations', name: 'Locations', kind: 'value', sql: 'SELECT count(*) AS value FROM locations' });
    const { id: reportId } = await t.call<{ id: string }>('reports.create', { templateId: 'blank', title: 'Export test' });
    const report = await t.call<RequestOutputs['reports.get']>('reports.get', { id: reportId });
    const content = JSON.stringify(lxRoot([lxParagraph([lxText('There were '), { type: 'live-figure', version: 1, figureId }, lxText(' locations.')])]));
    await t.call('sections.saveContent', { id: report.sections[0]!.id, content });
    // Its section is a draft, so the public edition is refused, with the problems, and nothing is written; a draft is made.
    const refused = await t.call<RequestOutputs['export.run']>('export.run', { reportId, formats: ['csv', 'html', 'docx'], folder: join(t.dir, 'exports') });
    expect(refused.files).toEqual([]);
    expect(refused.refused?.problems.some((p) => p.code === 'section-not-approved')).toBe(true);
    t.events.length = 0;
    const out = await t.call<RequestOutputs['export.run']>('export.run', { reportId, formats: ['csv', 'html', 'docx'], draft: true, folder: join(t.dir, 'exports') });
    expect(out.edition).toBe('draft');
    expect(out.files.map((f) => f.format)).toEqual(['docx', 'html', 'csv']);
    expect(out.files.every((f) => /-draft\.(docx|html|csv)$/.test(f.path))).toBe(true);
    for (const f of out.files) expect(statSync(f.path).size).toBe(f.bytes);
    const html = readFileSync(out.files.find((f) => f.format === 'html')!.path, 'utf8');
    expect(html).toContain('There were');
    expect(html).toMatch(/\b2\b/);
    // The bar moves with each step of the work (Word's own steps included), never backwards, and ends full.
    const steps = t.events.flatMap((e) => (e.event === 'export.progress' ? [e.payload] : []));
    expect(steps.length).toBeGreaterThan(3);
    expect(steps.map((p) => p.done)).toEqual(steps.map((p) => p.done).sort((a, b) => a - b));
    expect(steps.map((p) => p.step)).toEqual(expect.arrayContaining(['Computing figures', 'Writing Word', 'Writing HTML', 'Writing CSV']));
    expect(steps.at(-1)).toEqual({ reportId, step: 'Done', done: steps[0]!.total, total: steps[0]!.total });
    await t.call('export.showInFolder', { path: out.files[0]!.path });
    expect(t.shown).toEqual([out.files[0]!.path]);
    // The export used the session's engine, which still follows changes afterwards.
    const [evaluated] = (await t.call<RequestOutputs['figures.evaluate']>('figures.evaluate', { reportId, refs: [{ figureId }], wait: true })).figures;
    t.events.length = 0;
    await t.session.ws.write('add a location', (tx) =>
      tx.run("INSERT INTO locations(id, name, sector_id, location_type, updated_at) VALUES ('1-300', 'New Place', 'asc', 'Social Care Org', '2018-01-01')"),
    );
    // The public export and the editor hold the figure under two keys (SQL figures run on the public view for a public
    // edition); the write is announced for the editor's.
    const session = t;
    await vi.waitFor(() => expect(session.events.filter((e) => e.event === 'figures.changed').flatMap((e) => (e.payload as { keys: string[] }).keys)).toContain(evaluated!.key));
    const missing = await t.dispatch('export.run', { reportId: 'no-such-report', formats: ['html'] });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('import', () => {
  it('previews a file opened once by handle, then imports it (or, with a bad row, nothing) and says what happened', async () => {
    t = await openTestSession();
    await t.call('settings.setUserName', { name: 'Sam Okoro' });
    const csv = [
      'Area code,Period,Indicator,Value,Unit,Polarity,Source',
      'E06000001,2017/18,Delayed transfers of care per 100000 aged 65+,12.5,per 100000,lower is better,NHS England',
      'E06000001,2016/17,Delayed transfers of care per 100000 aged 65+,14.1,per 100000,lower is better,NHS England',
    ].join('\n');
    // What the loopback host's upload endpoint does with the page's bytes: hold them, and hand back a handle.
    const upload = (name: string, text: string) => importFilesOf(t!.session).add(name, Buffer.from(text)).handle;
    const opened = await t.call<RequestOutputs['import.open']>('import.open', { kind: 'indicators', upload: upload('dtoc.csv', csv) });
    expect(opened).toMatchObject({ fileName: 'dtoc.csv', bytes: Buffer.byteLength(csv) });
    expect(opened!.preview.header[0]).toBe('Area code');
    expect(opened!.preview.rows).toHaveLength(2);
    expect(opened!.preview.suggestedMap).toMatchObject({ area: 'Area code', value: 'Value' });
    // The same file read as another kind, without sending it again.
    const asEvidence = await t.call<RequestOutputs['import.preview']>('import.preview', { handle: opened!.handle, kind: 'evidence' });
    expect(asEvidence.targets?.some((x) => x.target === 'title')).toBe(true);

    const bad = await t.call<RequestOutputs['import.run']>('import.run', {
      kind: 'indicators',
      handle: upload('bad.csv', `${csv}\nE06000001,2015/16,Delayed transfers of care per 100000 aged 65+,lots,per 100000,lower is better,NHS England`),
    });
    expect(bad).toMatchObject({ ok: false, import: null, problemCount: 1, fileName: 'bad.csv' });
    expect(bad.message).toContain('was not imported');
    expect(t.session.ws.value('SELECT count(*) FROM indicator_values')).toBe(0);

    const good = await t.call<RequestOutputs['import.run']>('import.run', { kind: 'indicators', handle: opened!.handle, edition: '2018' });
    expect(good).toMatchObject({ ok: true, rowsRead: 2, import: { kind: 'indicators', fileName: 'dtoc.csv', importedBy: 'Sam Okoro', edition: '2018' } });
    expect(t.session.ws.value('SELECT count(*) FROM indicator_values')).toBe(2);
    expect(t.events.some((e) => e.event === 'workspace.changed' && e.payload.tables.includes('indicator_values'))).toBe(true);
    // Progress for the wizard's bar: bytes while reading, then each phase, ending with done at the full size.
    const progress = t.events.filter((e) => e.event === 'import.progress').map((e) => e.payload as { fileName: string; phase: string; done: number; total: number });
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['reading', 'checking', 'writing', 'saving', 'done']));
    expect(progress.at(-1)).toMatchObject({ fileName: 'dtoc.csv', phase: 'done', done: Buffer.byteLength(csv), total: Buffer.byteLength(csv) });
    // An imported file is let go; a handle never given out, or not shaped like one, is refused by name.
    expect(await t.dispatch('import.preview', { kind: 'indicators', handle: opened!.handle })).toMatchObject({ ok: false, error: { code: 'not-found', fields: { handle: expect.any(String) } } });
    expect(await t.dispatch('import.run', { kind: 'indicators', handle: '%%%' })).toMatchObject({ ok: false, error: { code: 'bad-request', fields: { handle: expect.any(String) } } });
    // Bytes never travel in a request.
    expect(await t.dispatch('import.run', { kind: 'indicators', fileName: 'x.csv', base64: Buffer.from(csv).toString('base64') })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('in Electron, opens the file main’s dialog chose and reads it there; a cancelled dialog opens nothing', async () => {
    t = await openTestSession();
    const path = join(t.dir, 'register.csv');
    writeFileSync(path, 'Kind,Title,Sensitivity\nDocument,Discharge protocol,official\n');
    // The loopback host has no dialog: its page must upload first.
    expect(await t.dispatch('import.open', { kind: 'evidence' })).toMatchObject({ ok: false, error: { code: 'bad-request', fields: { upload: expect.any(String) } } });
    const host = t.session.host as HostServices;
    let answer: string | null = null;
    host.pickImportFile = async () => answer;
    expect(await t.call('import.open', { kind: 'evidence' })).toBeNull();
    answer = path;
    const opened = await t.call<RequestOutputs['import.open']>('import.open', { kind: 'evidence', rows: 5 });
    expect(opened).toMatchObject({ fileName: 'register.csv', bytes: statSync(path).size, preview: { header: ['Kind', 'Title', 'Sensitivity'] } });
    const run = await t.call<RequestOutputs['import.run']>('import.run', { kind: 'evidence', handle: opened!.handle, map: { kind: 'Kind', title: 'Title', sensitivity: 'Sensitivity' } });
    expect(run).toMatchObject({ ok: true, rowsRead: 1 });
  });
});

describe('autosave', () => {
  it('saves the whole file a moment after the last write, and on close', async () => {
    t = await openTestSession({ autosaveMs: 150 });
    const before = readFileSync(t.path);
    await t.call('ratings.add', { locationId: '1-201', keyQuestionId: 'safe', rating: 'Good', publishedOn: '2018-06-01' });
    expect(t.session.ws.isDirty).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    expect(t.session.ws.isDirty).toBe(false);
    expect(readFileSync(t.path).equals(before)).toBe(false);

    await t.call('ratings.add', { locationId: '1-201', keyQuestionId: 'caring', rating: 'Good', publishedOn: '2018-06-01' });
    const path = t.path;
    await t.session.close();
    t = undefined;
    const reopened = await WorkspaceFile.open(path);
    try {
      expect(reopened.openReport.replayed).toBe(0);
      expect(reopened.workspace.value("SELECT count(*) FROM ratings WHERE location_id = '1-201'")).toBe(2);
    } finally {
      await reopened.close();
    }
  });
});

describe('figure index on close', () => {
  it('is stored when the session closes, though the user changed nothing', async () => {
    t = await openTestSession();
    const saved = await t.call<RequestOutputs['figures.save']>('figures.save', {
      slug: 'asc-safe',
      name: 'Safe, good or outstanding',
      kind: 'value',
      spec: { measure: 'rating_share', keyQuestion: 'safe', ratings: ['Good', 'Outstanding'], asAt: '2018-07-31' },
    });
    await t.session.save();
    await t.call('figures.evaluate', { refs: [{ figureId: saved.id }] });
    expect(t.session.ws.isDirty).toBe(false);
    const path = t.path;
    await t.session.close();
    t = undefined;
    const reopened = await WorkspaceFile.open(path, { readOnly: true });
    try {
      expect(workspaceInfo(reopened.workspace, { integrity: false }).derived).toEqual([expect.objectContaining({ name: 'rating-index', current: true })]);
    } finally {
      await reopened.close();
    }
  });
});

describe('user settings', () => {
  it('survive a restart, keep recent files in order, and fall back to defaults when damaged', async () => {
    const { SettingsStore } = await import('./session/settings');
    const { tempDir } = await import('../testing/fixtures');
    const { writeFileSync } = await import('node:fs');
    const dir = tempDir();
    const s = new SettingsStore(dir);
    await s.setUserName('Priya Shah');
    await s.addRecent('/a.assay');
    await s.addRecent('/b.assay');
    await s.addRecent('/a.assay');
    expect(new SettingsStore(dir).get()).toEqual({ userName: 'Priya Shah', recentFiles: ['/a.assay', '/b.assay'] });
    writeFileSync(join(dir, 'settings.json'), '{"userName": 42, "recentFiles": "nope"}');
    expect(new SettingsStore(dir).get()).toEqual({ userName: null, recentFiles: [] });
    writeFileSync(join(dir, 'settings.json'), 'not json at all');
    expect(new SettingsStore(dir).get()).toEqual({ userName: null, recentFiles: [] });
  });
});
