import { userInfo } from 'node:os';
import { basename } from 'node:path';
import type { EventName, EventPayloads } from '../../../../shared/ipc/contract';
import type { ChangeEvent, Workspace } from '../../../../shared/store/workspace';
import { currentRatings } from '../../../../shared/store/current-ratings';
import { WorkspaceFile, type OpenOptions } from '../../workspace-file';
import type { SettingsStore } from './settings';
import type { ErrorLog } from '../ipc/errors';
import { createFigureLibraryPort, type FigureLibraryPort } from './figure-library';
import { sharedFigureEngine, type FigureEngine } from '../../../../shared/figures/engine';
import { figureService, type FigureService } from '../../../../shared/figures/service';
import { LocationIndex } from './location-index';

/** What differs between Electron and the loopback host: dialogs, the file manager, PDF printing. */
export interface HostServices {
  readonly kind: 'electron' | 'web';
  /**
   * The folder an export writes into. With `requested` (from the renderer), the host checks it is a folder it allows;
   * without, it asks (Electron's native dialog) or uses its own export folder (the loopback host). Null: cancelled.
   */
  exportFolder(session: AppSession, requested: string | undefined): Promise<string | null>;
  /** Shows an exported file in the system's file manager. */
  showInFolder(path: string): Promise<void>;
  /**
   * Opens a file in the application the system uses for its type (Electron's shell.openPath). The loopback host has
   * none: its page downloads the file instead.
   */
  openFile?(path: string): Promise<void>;
  /** Prints a report's HTML to PDF. Electron uses printToPDF; elsewhere the exporters' Chromium printer is used. */
  printPdf?(html: string): Promise<Uint8Array>;
  /**
   * A CSV to import, asked for with a native open dialog (Electron): its path, or null when cancelled. The loopback
   * host has none: there the page uploads the file the person picked (import.open's `upload`).
   */
  pickImportFile?(): Promise<string | null>;
  /**
   * A workspace file to read (File › Bring in a workspace…), asked for with a native open dialog (Electron): its path,
   * or null when cancelled. The loopback host has none: its page uploads the file (merge.open's `upload`).
   */
  pickWorkspaceFile?(title: string): Promise<string | null>;
}

export type SessionEvent = { [E in EventName]: { event: E; payload: EventPayloads[E] } }[EventName];
export type SessionListener = (e: SessionEvent) => void;

export interface SessionOptions {
  settings: SettingsStore;
  host: HostServices;
  /** Quiet time after the last write before a full save; the journal already makes every write durable. */
  autosaveMs?: number;
  log?: ErrorLog;
}

const DEFAULT_AUTOSAVE_MS = 3000;
/** However busy the user is, the file itself is brought up to date at least this often. */
const MAX_AUTOSAVE_WAIT_MS = 30_000;

/**
 * One open workspace and everything the handlers need around it: the figure engine, the user's settings, the host's
 * services, and the events sent to whoever shows this workspace. Electron has one per window; the loopback host one.
 */
export class AppSession {
  private listeners = new Set<SessionListener>();
  private saveTimer: NodeJS.Timeout | undefined;
  private firstUnsavedAt: number | undefined;
  private unsubscribe: () => void;
  private closing: Promise<void> | undefined;
  private saving: Promise<unknown> = Promise.resolve();
  /** Files this session exported: the only paths "show in folder" will reveal. */
  readonly exported = new Set<string>();
  /** Figures as the handlers, exports and checks ask for them: the one figure service over the workspace's engine. */
  readonly figures: FigureService;
  /** The figure library: list, save, delete. */
  readonly library: FigureLibraryPort;
  /** The engine behind the figure service, which this session keeps up to date after each write. */
  private readonly engine: FigureEngine;
  /** The data browser's list, kept in memory and patched after writes. */
  readonly locations: LocationIndex;

  private constructor(
    readonly file: WorkspaceFile,
    readonly settings: SettingsStore,
    readonly host: HostServices,
    private readonly autosaveMs: number,
    readonly log: ErrorLog,
  ) {
    this.engine = sharedFigureEngine(file.workspace);
    this.figures = figureService(file.workspace);
    this.library = createFigureLibraryPort(file.workspace);
    this.locations = new LocationIndex(file.workspace);
    const unlisten = file.workspace.onChange((e) => this.changed(e));
    // SQL figures run in a worker; when one the page is waiting for settles, the page is told as for any change.
    const unsettled = this.engine.onSqlSettled(() => {
      const keys = this.engine.refreshPending();
      if (keys.length) this.emit('figures.changed', { keys });
    });
    this.unsubscribe = () => {
      unlisten();
      unsettled();
    };
  }

  static async open(path: string, opts: SessionOptions & Pick<OpenOptions, 'setAsideJournalRest'>): Promise<AppSession> {
    const file = await WorkspaceFile.open(path, opts.setAsideJournalRest ? { setAsideJournalRest: true } : {});
    return AppSession.wrap(file, opts);
  }

  static wrap(file: WorkspaceFile, opts: SessionOptions): AppSession {
    const log = opts.log ?? ((m, e) => console.error(`assay: ${m}:`, e));
    return new AppSession(file, opts.settings, opts.host, opts.autosaveMs ?? DEFAULT_AUTOSAVE_MS, log);
  }

  get ws(): Workspace {
    return this.file.workspace;
  }

  get path(): string {
    return this.file.path;
  }

  get name(): string {
    return this.ws.metaValue('name') ?? basename(this.path).replace(/\.assay$/i, '');
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Who the audit log says made a change: the name the user gave, else their account name. */
  actor(): string {
    const named = this.settings.userName;
    if (named) return named;
    try {
      return userInfo().username || 'unknown';
    } catch {
      return 'unknown';
    }
  }

  on(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const l of this.listeners) {
      try {
        l({ event, payload } as SessionEvent);
      } catch (e) {
        this.log('an event listener failed', e);
      }
    }
  }

  /**
   * Builds the caches the first screens need (the location list, the service groups) soon after opening, while the
   * page is still loading, rather than on the user's first click.
   */
  warm(): void {
    const t = setTimeout(() => {
      if (this.closed) return;
      try {
        this.locations.warm();
        this.serviceGroups();
      } catch (e) {
        this.log('could not prepare the location list', e);
      }
    }, 0);
    t.unref?.();
  }

  /** The service groups ratings use ("Overall", core services…), from the workspace's current ratings, Overall first. */
  serviceGroups(): string[] {
    const groups = currentRatings(this.ws).serviceGroups().sort((a, b) => (a === 'Overall' ? -1 : b === 'Overall' ? 1 : a.localeCompare(b, 'en-GB')));
    return groups.includes('Overall') ? groups : ['Overall', ...groups];
  }

  private changed(e: ChangeEvent): void {
    try {
      this.locations.changed(e);
    } catch (err) {
      this.log('the location list could not be brought up to date', err);
    }
    this.emit('workspace.changed', { seq: e.seq, tables: e.tables, label: e.label });
    try {
      const keys = this.engine.applyChange(e);
      if (keys.length > 0) this.emit('figures.changed', { keys });
    } catch (err) {
      this.log('figures could not be brought up to date after a change', err);
    }
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (this.closing) return;
    const now = Date.now();
    this.firstUnsavedAt ??= now;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    const wait = Math.max(0, Math.min(this.autosaveMs, this.firstUnsavedAt + MAX_AUTOSAVE_WAIT_MS - now));
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save().catch((err) => this.log('autosave failed (every change is still in the journal)', err));
    }, wait);
    // An autosave pending must not keep a CLI or test process alive; close() saves anyway.
    this.saveTimer.unref?.();
  }

  /** A full save now. Safe to call at any time: saves queue behind writes in the workspace's own queue. */
  async save(): Promise<{ bytes: number; ms: number; savedAt: string }> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    this.firstUnsavedAt = undefined;
    const p = this.file.save();
    this.saving = p.catch(() => undefined);
    const r = await p;
    return { ...r, savedAt: new Date().toISOString() };
  }

  private closers: (() => Promise<void>)[] = [];

  /** Something the session started (a browser kept warm for exports) and lets go when it closes. */
  onClose(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  /** Saves what is unsaved, then releases the file. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled(this.closers.map((c) => c()));
      if (this.saveTimer) clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      await this.saving;
      this.unsubscribe();
      // Close (and save) before letting the figure engine go: the save stores its index if the file's copy is behind.
      await this.file.close({ save: true });
      this.engine.dispose();
      this.listeners.clear();
    })();
    return this.closing;
  }
}
