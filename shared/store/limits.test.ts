import { describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../electron/services/sqljs';
import { Workspace } from './workspace';
import { seedReference } from './reference';
import { saveEvidence } from './evidence';
import { saveFinding } from './findings';
import { requests } from '../ipc/contract';
import { LIMITS } from '../util/limits';

/**
 * Text fields have limits wherever they enter: a 30 MB finding or a 100,000-character title, accepted once, slows every
 * list, editor and export that shows it. Each refusal names the field and the limit, and writes nothing.
 */

async function workspace(): Promise<Workspace> {
  const ws = Workspace.create(await loadSqlJs());
  await ws.write('seed', (tx) => seedReference(tx), { unjournaled: true });
  return ws;
}

const count = (ws: Workspace, table: string) => Number(ws.value(`SELECT count(*) FROM ${table}`));

describe('length limits in the store', () => {
  it('refuse a 30 MB finding, naming the field and the limit, and write nothing', async () => {
    const ws = await workspace();
    const before = { findings: count(ws, 'findings'), audit: count(ws, 'audit_log') };
    const huge = 'x'.repeat(30 * 1024 * 1024);
    await expect(ws.write('finding', (tx) => saveFinding(tx, { subjectType: 'national', judgement: 'concern', text: huge }))).rejects.toThrow(
      'finding: text must be at most 20,000 characters (this one has 31,457,280)',
    );
    await expect(ws.write('finding', (tx) => saveFinding(tx, { subjectType: 'national', judgement: 'concern', text: 'ok', author: 'a'.repeat(LIMITS.name + 1) }))).rejects.toThrow(
      'finding: author must be at most 200 characters (this one has 201)',
    );
    expect({ findings: count(ws, 'findings'), audit: count(ws, 'audit_log') }).toEqual(before);
    await ws.write('finding', (tx) => saveFinding(tx, { subjectType: 'national', judgement: 'concern', text: 'y'.repeat(LIMITS.findingText) }));
    expect(count(ws, 'findings')).toBe(before.findings + 1);
  });

  it('refuse a 100,000-character evidence title and an over-long summary', async () => {
    const ws = await workspace();
    const base = { kind: 'document' as const, title: 'Policy', sensitivity: 'public' as const };
    await expect(ws.write('e', (tx) => saveEvidence(tx, { ...base, title: 't'.repeat(100_000) }))).rejects.toThrow(
      'evidence: title must be at most 300 characters (this one has 100,000)',
    );
    await expect(ws.write('e', (tx) => saveEvidence(tx, { ...base, summary: 's'.repeat(20_001) }))).rejects.toThrow('evidence: summary must be at most 20,000 characters');
    await expect(ws.write('e', (tx) => saveEvidence(tx, { ...base, collectedBy: 'c'.repeat(201) }))).rejects.toThrow('evidence: collectedBy must be at most 200 characters');
    await expect(ws.write('e', (tx) => saveEvidence(tx, { ...base, reference: 'r'.repeat(501) }))).rejects.toThrow('evidence: reference must be at most 500 characters');
    expect(count(ws, 'evidence')).toBe(0);
  });
});

describe('length limits in the IPC contract', () => {
  const issue = (name: keyof typeof requests, input: unknown) => {
    const r = requests[name].safeParse(input);
    return r.success ? undefined : r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
  };

  it('cap titles, findings, summaries, comments and names with the same messages', () => {
    expect(issue('findings.save', { subjectType: 'national', judgement: 'concern', text: 'x'.repeat(30 * 1024 * 1024) })).toBe(
      'text must be at most 20,000 characters (this one has 31,457,280)',
    );
    expect(issue('reports.create', { templateId: 'blank', title: 'x'.repeat(100_000) })).toBe('title must be at most 300 characters (this one has 100,000)');
    expect(issue('sections.rename', { id: 's', title: 'x'.repeat(301) })).toBe('title must be at most 300 characters (this one has 301)');
    expect(issue('evidence.save', { kind: 'document', title: 'x'.repeat(301), sensitivity: 'public' })).toBe('title must be at most 300 characters (this one has 301)');
    expect(issue('evidence.save', { kind: 'document', title: 'ok', summary: 'x'.repeat(20_001), sensitivity: 'public' })).toBe(
      'summary must be at most 20,000 characters (this one has 20,001)',
    );
    expect(issue('comments.add', { sectionId: 's', body: 'x'.repeat(10_001) })).toBe('body must be at most 10,000 characters (this one has 10,001)');
    expect(issue('comments.reply', { parentId: 'c', body: 'x'.repeat(10_001) })).toBe('body must be at most 10,000 characters (this one has 10,001)');
    expect(issue('settings.setUserName', { name: 'x'.repeat(201) })).toBe('name must be at most 200 characters (this one has 201)');
    expect(issue('figures.save', { slug: 'f', name: 'x'.repeat(301), kind: 'value' })).toBe('name must be at most 300 characters (this one has 301)');
    expect(issue('findings.save', { subjectType: 'national', judgement: 'concern', text: 'x'.repeat(20_000) })).toBeUndefined();
  });
});
