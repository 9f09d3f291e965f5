import type { Database } from 'sql.js';

/**
 * sql.js keeps one update hook per database, so a second figure engine on the same workspace (the exporter makes
 * its own, approvals may too) would silently unhook the first. Every engine registers here instead; one hook per
 * database fans each row change out to all of them.
 *
 * sql.js's export() closes and reopens the database, which drops the hook: the workspace calls rearmRowHook() after
 * every export, or every write after the first save would go unseen.
 */

type Listener = (table: string, rowid: number) => void;

interface HookDb {
  updateHook(cb: ((op: string, db: string, table: string, rowid: number | bigint) => void) | null): void;
}

const listeners = new WeakMap<Database, Set<Listener>>();

function arm(db: Database, s: Set<Listener>): void {
  (db as unknown as HookDb).updateHook((_op, _db, table, rowid) => {
    for (const f of s) f(table, Number(rowid));
  });
}

export function onRowChange(db: Database, l: Listener): () => void {
  let set = listeners.get(db);
  if (!set) {
    const s = new Set<Listener>();
    set = s;
    listeners.set(db, s);
    arm(db, s);
  }
  set.add(l);
  return () => {
    set.delete(l);
    if (set.size === 0) {
      listeners.delete(db);
      try {
        (db as unknown as HookDb).updateHook(null);
      } catch {
        /* the database may already be closed */
      }
    }
  };
}

/** Registers the fan-out hook again on a database sql.js has reopened (after export()). */
export function rearmRowHook(db: Database): void {
  const set = listeners.get(db);
  if (set && set.size > 0) arm(db, set);
}
