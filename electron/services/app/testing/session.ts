import { join } from 'node:path';
import { WorkspaceFile } from '../../workspace-file';
import { insertLocalAuthorities, insertLocations, insertProviders } from '../../../../shared/store/locations';
import { insertRatings } from '../../../../shared/store/ratings';
import { tempDir } from '../../testing/fixtures';
import { AppSession, type HostServices, type SessionEvent } from '../session/session';
import { SettingsStore } from '../session/settings';
import { createDispatch, type Dispatch } from '../ipc/dispatch';
import { handlers } from '../handlers';

export interface TestSession {
  dir: string;
  path: string;
  session: AppSession;
  dispatch: Dispatch;
  events: SessionEvent[];
  shown: string[];
  /** Files the host was asked to open (with `openFiles`, as Electron's host would). */
  opened: string[];
  logged: unknown[];
  /** Calls a request and returns its value, failing the test with the error's message if it fails. */
  call<T = unknown>(name: string, input?: unknown): Promise<T>;
}

/**
 * A real workspace file in a temporary folder, with one provider and two adult social care locations so data requests
 * have something to answer, opened in a session the way both hosts open it.
 */
export async function openTestSession(opts: { autosaveMs?: number; openFiles?: boolean; pickWorkspace?: () => string | null } = {}): Promise<TestSession> {
  const dir = tempDir('assay-app-');
  const path = join(dir, 'test.assay');
  const wf = await WorkspaceFile.create(path, {
    name: 'Test workspace',
    seed: async (ws) => {
      await ws.write(
        'seed',
        (tx) => {
          const at = '2018-01-01';
          insertLocalAuthorities(tx, [{ id: 'E06000001', name: 'Hartlepool', regionId: 'E12000001' }]);
          insertProviders(tx, [{ id: '1-100', name: 'Harbour Care Ltd', brandId: null, brandName: null, importId: null, updatedAt: at }]);
          insertLocations(
            tx,
            [
              ['1-200', 'Seaview House'],
              ['1-201', 'Anchor Court'],
            ].map(([id, name]) => ({
              id: id!,
              name: name!,
              providerId: '1-100',
              sectorId: 'asc',
              locationType: 'Social Care Org',
              category: 'Residential social care',
              careHome: true,
              localAuthorityId: 'E06000001',
              regionId: 'E12000001',
              street: null,
              city: null,
              postcode: 'TS24 0AA',
              latitude: null,
              longitude: null,
              registeredOn: null,
              deregisteredOn: null,
              beds: null,
              importId: null,
              updatedAt: at,
            })),
          );
          const rating = { locationId: '1-200', serviceGroup: 'Overall', publishedOn: '2017-05-01', reportType: null, inherited: false, inspectionId: null, importId: null, updatedAt: '2017-05-01' };
          insertRatings(tx, [
            { ...rating, keyQuestionId: 'overall', rating: 'Good' },
            { ...rating, keyQuestionId: 'safe', rating: 'Requires improvement' },
          ]);
        },
        { unjournaled: true },
      );
    },
  });
  await wf.close();
  const shown: string[] = [];
  const opened: string[] = [];
  const logged: unknown[] = [];
  const host: HostServices = {
    kind: 'web',
    exportFolder: async (_s, requested) => requested ?? join(dir, 'exports'),
    showInFolder: async (p) => {
      shown.push(p);
    },
    // As Electron's host: files it is asked to open are listed rather than opened.
    ...(opts.openFiles ? { openFile: async (p: string) => void opened.push(p) } : {}),
    // As Electron's host: the workspace its open dialog would give.
    ...(opts.pickWorkspace ? { pickWorkspaceFile: async () => opts.pickWorkspace!() } : {}),
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
    opened,
    logged,
    async call<T>(name: string, input: unknown = {}) {
      const r = await dispatch(name, input);
      if (!r.ok) throw new Error(`${name} failed: ${r.error.code}: ${r.error.message}`);
      return r.value as T;
    },
  };
}
