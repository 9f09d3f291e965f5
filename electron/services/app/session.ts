import { userInfo } from 'node:os';
import { basename } from 'node:path';
import type { EventName, EventPayloads } from '../../../shared/ipc/contract';
import type { ChangeEvent, Workspace } from '../../../shared/store/workspace';
import { WorkspaceFile } from '../workspace-file';
import type { SettingsStore } from './settings';
import type { ErrorLog } from './errors';
import { createFigurePort, type FigurePort } from './figures-port';

/** What differs between Electron and the loopback host: dialogs, the file manager, PDF printing. */
export interface HostServices {
  readonly kind: 'electron' | 'web';
  /** A folder for an export when the request names none; null when the user cancels. */
  chooseExportFolder(session: AppSession): Promise<string | null>;
  /** Shows an exported file in the system's file manager. */
  showInFolder(path: string): Promise<void>;
  /** Prints a report's HTML to PDF. Electron uses printToPDF; elsewhere the exporters' Chromium printer is used. */
  printPdf?(html: string): Promise<Uint8Array>;
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
  readonly figures: FigurePort;

  private constructor(
    readonly file: WorkspaceFile,
    readonly settings: SettingsStore,
    readonly host: HostServices,
    private readonly autosaveMs: number,
    readonly log: ErrorLog,
  ) {
    this.figures = createFigurePort(file.workspace);
    this.unsubscribe = file.workspace.onChange((e) => this.changed(e));
  }

  static async open(path: string, opts: SessionOptions): Promise<AppSession> {
    const file = await WorkspaceFile.open(path);
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

  private changed(e: ChangeEvent): void {
    this.emit('workspace.changed', { seq: e.seq, tables: e.tables, label: e.label });
    try {
      const keys = this.figures.applyChange(e);
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

  /** Saves what is unsaved, then releases the file. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.saveTimer) clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      await this.saving;
      this.unsubscribe();
      await this.file.close({ save: true });
      this.listeners.clear();
    })();
    return this.closing;
  }
}
