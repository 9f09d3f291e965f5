import { join } from 'node:path';
import { WorkspaceFile } from '../workspace-file';
import { tempDir } from '../testing/fixtures';
import { AppSession, type HostServices, type SessionEvent } from './session';
import { SettingsStore } from './settings';
import { createDispatch, type Dispatch } from './dispatch';
import { handlers } from './handlers';

export interface TestSession {
  dir: string;
  path: string;
  session: AppSession;
  dispatch: Dispatch;
  events: SessionEvent[];
  shown: string[];
  logged: unknown[];
  /** Calls a request and returns its value, failing the test with the error's message if it fails. */
  call<T = unknown>(name: string, input?: unknown): Promise<T>;
}

/**
 * A real workspace file in a temporary folder, with one provider and two adult social care locations so data requests
 * have something to answer, opened in a session the way both hosts open it.
 */
export async function openTestSession(opts: { autosaveMs?: number } = {}): Promise<TestSession> {
  const dir = tempDir('assay-app-');
  const path = join(dir, 'test.assay');
  const wf = await WorkspaceFile.create(path, {
    name: 'Test workspace',
    seed: async (ws) => {
      await ws.write(
        'seed',
        (tx) => {
          tx.run("INSERT INTO local_authorities(id, name, region_id) VALUES ('E06000001', 'Hartlepool', 'E12000001')");
          tx.run("INSERT INTO providers(id, name, updated_at) VALUES ('1-100', 'Harbour Care Ltd', '2018-01-01')");
          for (const [id, name] of <[string, string][]>[
            ['1-200', 'Seaview House'],
            ['1-201', 'Anchor Court'],
          ]) {
            tx.run(
              `INSERT INTO locations(id, name, provider_id, sector_id, location_type, category, care_home, local_authority_id, region_id, postcode, updated_at)
               VALUES (?, ?, '1-100', 'asc', 'Social Care Org', 'Residential social care', 1, 'E06000001', 'E12000001', 'TS24 0AA', '2018-01-01')`,
              [id, name],
            );
          }
          tx.run("INSERT INTO ratings(location_id, key_question_id, rating, published_on, updated_at) VALUES ('1-200', 'overall', 'Good', '2017-05-01', '2017-05-01')");
          tx.run("INSERT INTO ratings(location_id, key_question_id, rating, published_on, updated_at) VALUES ('1-200', 'safe', 'Requires improvement', '2017-05-01', '2017-05-01')");
        },
        { unjournaled: true },
      );
    },
  });
  await wf.close();
  const shown: string[] = [];
  const logged: unknown[] = [];
  const host: HostServices = {
    kind: 'web',
    exportFolder: async (_s, requested) => requested ?? join(dir, 'exports'),
    showInFolder: async (p) => {
      shown.push(p);
    },
  };
  const log = (_m: string, e: unknown) => logged.push(e);
  const session = await AppSession.open(path, { settings: new SettingsStore(join(dir, 'settings')), host, autosaveMs: opts.autosaveMs ?? 60_000, log });
  const events: SessionEvent[] = [];
  session.on((e) => events.push(e));
  const dispatch = createDispatch(handlers, () => ({ session }), log);
  return {
    dir,
    path,
    session,
    dispatch,
    events,
    shown,
    logged,
    async call<T>(name: string, input: unknown = {}) {
      const r = await dispatch(name, input);
      if (!r.ok) throw new Error(`${name} failed: ${r.error.code}: ${r.error.message}`);
      return r.value as T;
    },
  };
}
