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
import { insertLocations } from './locations';
import { saveEvidence } from './evidence';
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
      await old.write(
        'data',
        (tx) => {
          seedReference(tx);
          insertLocations(tx, [
            {
              id: 'L1',
              name: 'Seaview House',
              providerId: null,
              sectorId: 'asc',
              locationType: 'Social Care Org',
              category: null,
              careHome: true,
              localAuthorityId: null,
              regionId: 'E12000001',
              street: null,
              city: null,
              postcode: null,
              latitude: null,
              longitude: null,
              registeredOn: null,
              deregisteredOn: null,
              beds: 20,
              importId: null,
              updatedAt: '2018-01-01',
            },
          ]);
          addRating(tx, { locationId: 'L1', keyQuestionId: 'safe', rating: 'Good', publishedOn: '2018-03-01' });
          const e = saveEvidence(tx, { kind: 'interview', title: 'Registered manager', sensitivity: 'official' });
          saveFinding(tx, { subjectType: 'location', subjectId: 'L1', judgement: 'strength', text: 'Staff knew people well.', evidenceIds: [e.id] });
          createReportFromTemplate(tx, { templateId: 'inspection-report' });
        },
        { actor: 'test' },
      );
      const counts = tableCounts(old, TABLES.filter((t) => t !== 'migrations' && t !== 'meta'));
      const bytes = old.export();
      old.close();

      const opened = Workspace.open(SQL, bytes);
      expect(opened).toMatchObject({ foundVersion: from, needsMigration: true });
      const ws = opened.workspace;
      expect(ws.migrate()).toEqual(MIGRATIONS.filter((m) => m.version > from).map((m) => m.version));
      expect(ws.schemaVersion).toBe(SCHEMA_VERSION);
      expect(ws.all<{ version: number }>('SELECT version FROM migrations ORDER BY version').map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(schemaOf(ws)).toEqual(expected);
      expect(tableCounts(ws, TABLES.filter((t) => t !== 'migrations' && t !== 'meta'))).toEqual(counts);
      expect(ws.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(ws.all('PRAGMA foreign_key_check')).toEqual([]);
      // And it is a working workspace of the latest version: it opens without migrating and takes a write.
      const again = Workspace.open(SQL, ws.export());
      expect(again).toMatchObject({ foundVersion: SCHEMA_VERSION, needsMigration: false });
      await again.workspace.write('after', (tx) => addRating(tx, { locationId: 'L1', keyQuestionId: 'caring', rating: 'Good', publishedOn: '2018-03-01' }));
      again.workspace.close();
      ws.close();
    }
  });
});
