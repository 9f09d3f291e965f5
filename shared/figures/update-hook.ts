import type { Database } from 'sql.js';

/**
 * sql.js keeps one update hook per database, so a second figure engine on the same workspace (the exporter makes
 * its own, approvals may too) would silently unhook the first. Every engine registers here instead; one hook per
 * database fans each row change out to all of them.
 */

type Listener = (table: string, rowid: number) => void;

interface HookDb {
  updateHook(cb: ((op: string, db: string, table: string, rowid: number | bigint) => void) | null): void;
}

const listeners = new WeakMap<Database, Set<Listener>>();

export function onRowChange(db: Database, l: Listener): () => void {
  let set = listeners.get(db);
  if (!set) {
    const s = new Set<Listener>();
    set = s;
    listeners.set(db, s);
    (db as unknown as HookDb).updateHook((_op, _db, table, rowid) => {
      for (const f of s) f(table, Number(rowid));
    });
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
