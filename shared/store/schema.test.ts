import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../electron/services/sqljs';
import { MIGRATIONS, SCHEMA_VERSION, TABLES } from './schema';
import { Workspace } from './workspace';
import { seedReference } from './reference';
import { addRating } from './ratings';
import { getEvidence, saveEvidence } from './evidence';
import { saveFinding } from './findings';
import { createReportFromTemplate } from './reports';
import { tableCounts } from './replica';

/**
 * The schema is an append-only ledger (DESIGN.md, Conventions 4), as Actual Budget keeps its migrations: a file made by
 * any released version must open in this one. Shipped migrations are locked by the hash of their SQL
 * (migrations.lock); adding one at the end is how the schema changes.
 */

const LOCK = join(__dirname, 'migrations.lock');

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function locked(): { version: number; hash: string; name: string }[] {
  return readFileSync(LOCK, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [version, hash, name] = l.split('\t');
      return { version: Number(version), hash: hash!, name: name! };
    });
}

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** Tables, indexes and triggers as SQLite holds them: two files with the same schema give the same list. */
function schemaOf(ws: Workspace): string[] {
  return ws
    .all<{ type: string; name: string; sql: string | null }>("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .map((r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ')}`);
}

describe('the migrations ledger', () => {
  it('has every shipped migration exactly as it shipped; new ones only at the end', () => {
    const lock = locked();
    expect(lock.map((l) => l.version)).toEqual(lock.map((_l, i) => i + 1));
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
    for (const l of lock) {
      const m = MIGRATIONS.find((x) => x.version === l.version);
      expect(m, `migration ${l.version} (${l.name}) has shipped and must stay in the ledger`).toBeDefined();
      expect(
        sha256(m!.sql),
        `migration ${l.version} (${l.name}) has shipped: do not edit it, add a migration at the end of MIGRATIONS instead`,
      ).toBe(l.hash);
      expect(m!.name).toBe(l.name);
    }
    const unlocked = MIGRATIONS.filter((m) => !lock.some((l) => l.version === m.version));
    // A migration not yet shipped may still change; once it ships, its line goes into migrations.lock.
    if (unlocked.length) console.log(`Not yet in migrations.lock:\n${unlocked.map((m) => `${m.version}\t${sha256(m.sql)}\t${m.name}`).join('\n')}`);
  });

  it('brings a file of every earlier version, with data in it, up to the latest, and to the same schema as a new file', async () => {
    const fresh = Workspace.create(SQL);
    const expected = schemaOf(fresh);
    fresh.close();
    for (let from = 1; from < SCHEMA_VERSION; from++) {
      const old = Workspace.create(SQL, { migrations: MIGRATIONS.slice(0, from), name: `Made at version ${from}` });
      // Data as a file of that version holds it: written with the columns of version 1, which every version has (the
      // store's own functions write the latest columns).
      await old.write(
        'data',
        (tx) => {
          seedReference(tx);
          tx.run("INSERT INTO locations(id, name, sector_id, location_type, care_home, region_id, beds, updated_at) VALUES ('L1', 'Seaview House', 'asc', 'Social Care Org', 1, 'E12000001', 20, '2018-01-01')");
          tx.run(
            "INSERT INTO ratings(location_id, service_group, key_question_id, rating, published_on, updated_at) VALUES ('L1', 'Overall', 'safe', 'Good', '2018-03-01', '2018-03-01'), ('L1', 'old', 'safe', 'Good', '2018-03-01', '2018-03-01')",
          );
          const e = saveEvidence(tx, { kind: 'interview', title: 'Registered manager', sensitivity: 'official' });
          saveFinding(tx, { subjectType: 'location', subjectId: 'L1', judgement: 'strength', text: 'Staff knew people well.', evidenceIds: [e.id] });
          tx.run("INSERT INTO reports(id, slug, title, template_id, params, created_at, updated_at) VALUES ('R1', 'inspection', 'Inspection report', 'inspection-report', '{}', '2018-01-01', '2018-01-01')");
          tx.run(
            "INSERT INTO sections(id, report_id, position, title, content, status, updated_at) VALUES ('S1', 'R1', 1, 'Summary', '{\"root\":{\"children\":[]}}', 'draft', '2018-01-01')",
          );
        },
        { actor: 'test' },
      );
      const before = new Set(old.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'").map((r) => r.name));
      // Reference tables a later migration adds rows to (version 6 labels a service group) are checked below.
      const kept = TABLES.filter((t) => t !== 'migrations' && t !== 'meta' && t !== 'publication_labels' && before.has(t));
      const counts = tableCounts(old, kept);
      const bytes = old.export();
      old.close();

      const opened = Workspace.open(SQL, bytes);
      expect(opened).toMatchObject({ foundVersion: from, needsMigration: true });
      const ws = opened.workspace;
      expect(ws.migrate()).toEqual(MIGRATIONS.filter((m) => m.version > from).map((m) => m.version));
      expect(ws.schemaVersion).toBe(SCHEMA_VERSION);
      expect(ws.all<{ version: number }>('SELECT version FROM migrations ORDER BY version').map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(schemaOf(ws)).toEqual(expected);
      // Every row kept, but for what a migration says it changes: version 6 spells a service group one way ('old' is
      // "Older people"), so the code-spelt rating is renamed, not dropped (it has no twin).
      expect(tableCounts(ws, kept)).toEqual(counts);
      if (from < 6) {
        expect(ws.all('SELECT service_group FROM ratings ORDER BY service_group')).toEqual([{ service_group: 'Older people' }, { service_group: 'Overall' }]);
        expect(ws.all('SELECT location_id, name FROM location_details')).toEqual([{ location_id: 'L1', name: 'Seaview House' }]);
      }
      if (from < 4) expect(Number(ws.value('SELECT count(*) FROM publication_labels'))).toBeGreaterThan(20);
      expect(ws.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(ws.all('PRAGMA foreign_key_check')).toEqual([]);
      // And it is a working workspace of the latest version: it opens without migrating and takes a write.
      const again = Workspace.open(SQL, ws.export());
      expect(again).toMatchObject({ foundVersion: SCHEMA_VERSION, needsMigration: false });
      await again.workspace.write('after', (tx) => addRating(tx, { locationId: 'L1', keyQuestionId: 'caring', rating: 'Good', publishedOn: '2018-03-01' }));
      await again.workspace.write('report', (tx) => createReportFromTemplate(tx, { templateId: 'inspection-report' }));
      again.workspace.close();
      ws.close();
    }
  });

  it('version 10 gives a version 9 file’s evidence citation fields, keeping every source as it was', async () => {
    const old = Workspace.create(SQL, { migrations: MIGRATIONS.slice(0, 9), name: 'Made at version 9' });
    let id = '';
    await old.write('data', (tx) => {
      seedReference(tx);
      id = saveEvidence(tx, { kind: 'document', title: 'ADASS Budget Survey 2018', reference: 'SOC18/R/01', collectedOn: '2018-05-28', sensitivity: 'public' }).id;
    });
    const before = old.all('SELECT * FROM evidence');
    const opened = Workspace.open(SQL, old.export());
    old.close();
    const ws = opened.workspace;
    expect(ws.migrate()).toEqual([10]);
    const after = ws.all<Record<string, unknown>>('SELECT * FROM evidence');
    expect(after.map(({ publisher, published_on, url, accessed_on, ...rest }) => rest)).toEqual(before);
    expect(after[0]).toMatchObject({ publisher: null, published_on: null, url: null, accessed_on: null });
    // An edit that does not name the new fields keeps them; one that does sets them.
    await ws.write('cite', (tx) => {
      saveEvidence(tx, { id, kind: 'document', title: 'ADASS Budget Survey 2018', sensitivity: 'public', publisher: 'ADASS', publishedOn: '2018-06-14', url: 'https://www.adass.org.uk/adass-budget-survey-2018', accessedOn: '2018-09-14' });
      saveEvidence(tx, { id, kind: 'document', title: 'ADASS Budget Survey 2018', reference: 'SOC18/R/01', sensitivity: 'public' });
    });
    expect(getEvidence(ws, id)).toMatchObject({ reference: 'SOC18/R/01', publisher: 'ADASS', publishedOn: '2018-06-14', url: 'https://www.adass.org.uk/adass-budget-survey-2018', accessedOn: '2018-09-14' });
    // A date that is not one, or an address that is not a web address, is refused with the field named.
    await expect(ws.write('bad', (tx) => saveEvidence(tx, { id, kind: 'document', title: 'x', sensitivity: 'public', url: 'adass.org.uk', publishedOn: '2018-02-30' }))).rejects.toMatchObject({
      fields: { url: expect.stringMatching(/web address/), publishedOn: expect.stringMatching(/not a real calendar date/) },
    });
    // Cleared with an empty value.
    await ws.write('clear', (tx) => saveEvidence(tx, { id, kind: 'document', title: 'ADASS Budget Survey 2018', sensitivity: 'public', url: null, accessedOn: null }));
    expect(getEvidence(ws, id)).toMatchObject({ publisher: 'ADASS', url: null, accessedOn: null });
    ws.close();
  });
});
