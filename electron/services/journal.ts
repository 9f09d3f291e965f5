import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Durability, Statement, WriteEntry } from '../../shared/store/workspace';
import { WorkspaceError } from '../../shared/store/errors';
import { crc32 } from './crc32';
import { isDiskFull, nodeFs, writeDurable, writeFully, type DurableFs, type DurableHandle } from './durable-write';

/** Who a journal belongs to: its first line, so that a journal never lands on the wrong file. */
export interface JournalHeader {
  format: 1;
  /** The workspace's `meta.workspace_id`: a journal naming another workspace is set aside, never replayed. */
  workspaceId: string;
  /**
   * The file's `journal_seq` at the save that started this journal (its generation). The file on disk must hold at
   * least that much: a file older than its journal (an older copy put in its place) would get writes replayed onto a
   * state they were not written against, so such a journal is set aside too.
   */
  baseSeq: number;
  createdAt: string;
}

export interface JournalLine {
  /** 1-based line number in the journal file, as a person counting lines would see it. */
  line: number;
  /** Byte offset where the line starts: everything from here on is "the rest" when this line cannot be applied. */
  offset: number;
  entry: WriteEntry;
}

export interface JournalContents {
  header?: JournalHeader;
  /** Intact entries before the first problem, oldest first. */
  entries: JournalLine[];
  /** A line that cannot be read although more follow it (so it is not a torn end): reported, never skipped. */
  bad?: { line: number; offset: number; reason: string };
  /** The last line was only partly written: a crash in the middle of an append, a write never acknowledged. */
  damagedTail: boolean;
  /** Bytes up to the end of the last intact line. */
  goodLength: number;
  bytes: Uint8Array;
}

const HEADER_TAG = '#assay-journal ';
const SQLITE_JOURNAL_MAGIC = Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);

const sum = (text: string): string => crc32(text).toString(16).padStart(8, '0');

/**
 * The append-only journal beside a workspace file, named `<file>.assay-journal` so that no SQLite tool takes it for
 * its own (SQLite deletes a `<file>-journal` it does not recognise when it opens the file). Its first line is a header,
 * `#assay-journal <crc32> <json>` ({@link JournalHeader}); every acknowledged write follows as one line
 * `<crc32 hex> <json>`. A write is acknowledged only once its whole line has reached the disk; a failed append is cut
 * back off, so the journal never holds a partial line followed by another. On open, entries newer than the file are
 * replayed. A torn last line (a crash mid-append) fails its checksum and is ignored: that write was never acknowledged.
 */
export class Journal implements Durability {
  private handle: DurableHandle | undefined;
  /** Why the journal cannot be appended to safely, once a failed append could not be cut back off. */
  private broken: string | undefined;

  constructor(
    readonly path: string,
    private identity: { workspaceId: string; baseSeq: number },
    private readonly fs: DurableFs = nodeFs,
  ) {}

  static pathFor(workspacePath: string): string {
    return `${workspacePath}.assay-journal`;
  }

  /** Where earlier versions of Assay kept the journal: SQLite's name for its own rollback journal. */
  static legacyPathFor(workspacePath: string): string {
    return `${workspacePath}-journal`;
  }

  static headerText(h: { workspaceId: string; baseSeq: number }): string {
    const json = JSON.stringify({ format: 1, workspaceId: h.workspaceId, baseSeq: h.baseSeq, createdAt: new Date().toISOString() });
    return `${HEADER_TAG}${sum(json)} ${json}\n`;
  }

  get isBroken(): boolean {
    return this.broken !== undefined;
  }

  /**
   * Appends one write and resolves only once the whole line is on disk. If any part fails, the journal is cut back to
   * its length before the append and the promise rejects, so the write is neither acknowledged nor left behind.
   */
  async append(entry: WriteEntry): Promise<void> {
    const name = basename(this.path);
    if (this.broken) {
      throw new WorkspaceError(
        'io',
        `The change was not made: ${name} could not be put right after an earlier write to it failed (${this.broken}). ` +
          'Every change confirmed before that is safe. Save the workspace to carry on.',
        this.path,
      );
    }
    const json = JSON.stringify(entry, encodeBytes);
    let text = `${sum(json)} ${json}\n`;
    let before = -1;
    try {
      if (!this.handle) this.handle = await this.fs.open(this.path, 'a');
      let st = await this.handle.stat();
      if (st.nlink === 0) {
        // The journal was deleted or replaced under us: a line written to the old one would be on no file's name.
        await this.handle.close().catch(() => undefined);
        this.handle = await this.fs.open(this.path, 'a');
        st = await this.handle.stat();
      }
      before = st.size;
      // A journal started by this append (the first write after a save that could not start one) names its owner too.
      if (before === 0) text = Journal.headerText(this.identity) + text;
      await writeFully(this.handle, Buffer.from(text, 'utf8'), null);
      await this.handle.datasync();
    } catch (e) {
      if (before >= 0 && this.handle) {
        try {
          await this.handle.truncate(before);
          await this.handle.datasync();
        } catch (e2) {
          // A torn line that stays must stay the last one: nothing may be appended after it until a save replaces it.
          this.broken = (e2 as Error).message;
        }
      }
      throw appendFailure(e, this.path);
    }
  }

  /**
   * Starts an empty journal (just its header) once a save holds everything: written beside it and renamed into place,
   * so a failure leaves the old journal whole, and appends go on to it safely (it holds nothing the file lacks).
   */
  async reset(baseSeq: number): Promise<void> {
    const identity = { workspaceId: this.identity.workspaceId, baseSeq };
    await writeDurable(this.path, Buffer.from(Journal.headerText(identity), 'utf8'), { fs: this.fs });
    const old = this.handle;
    this.handle = undefined;
    this.broken = undefined;
    this.identity = identity;
    await old?.close().catch(() => undefined);
  }

  /** Cuts a torn last line off, so the next append starts on a line of its own; if that fails, appends are refused. */
  async dropTornTail(goodLength: number): Promise<void> {
    let h: DurableHandle | undefined;
    try {
      h = await this.fs.open(this.path, 'r+');
      await h.truncate(goodLength);
      await h.datasync();
    } catch (e) {
      this.broken = (e as Error).message;
    } finally {
      await h?.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }

  async remove(): Promise<void> {
    await this.close();
    await this.fs.rm(this.path);
  }

  /** True when these bytes are SQLite's own rollback journal (not Assay's), which only SQLite may act on. */
  static isSqliteJournal(bytes: Uint8Array): boolean {
    return bytes.length >= 8 && Buffer.compare(Buffer.from(bytes.subarray(0, 8)), SQLITE_JOURNAL_MAGIC) === 0;
  }

  /** True when these bytes are an Assay journal: a header, or (the older format) a first line with a good checksum. */
  static isAssayJournal(bytes: Uint8Array): boolean {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const nl = buf.indexOf(10);
    if (nl < 0) return false;
    const first = buf.subarray(0, nl).toString('utf8');
    if (first.startsWith(HEADER_TAG)) return parseHeader(first) !== undefined;
    return /^[0-9a-f]{8} \{/.test(first) && sum(first.slice(9)) === first.slice(0, 8);
  }

  /**
   * Reads the journal: its header, every intact entry up to the first problem, and what that problem is. Refuses
   * anything that is not an ordinary file without reading it (a pipe would block for ever).
   */
  static read(path: string): JournalContents {
    if (!existsSync(path)) return { entries: [], damagedTail: false, goodLength: 0, bytes: new Uint8Array() };
    if (!lstatSync(path).isFile()) {
      throw new WorkspaceError('invalid', `${basename(path)} is not an ordinary file, so Assay cannot read it as a journal. Move it away and open again.`, path);
    }
    const buf = readFileSync(path);
    const out: JournalContents = { entries: [], damagedTail: false, goodLength: 0, bytes: buf };
    let offset = 0;
    let line = 0;
    while (offset < buf.length) {
      line++;
      const nl = buf.indexOf(10, offset);
      const end = nl < 0 ? buf.length : nl;
      const text = buf.subarray(offset, end).toString('utf8');
      const rest = nl < 0 ? buf.subarray(buf.length) : buf.subarray(nl + 1);
      // A line without its newline was never finished, so never acknowledged.
      const problem = nl < 0 ? 'it was only partly written' : text === '' ? undefined : lineProblem(text, line, out);
      if (problem !== undefined) {
        if (rest.toString('utf8').trim() === '') out.damagedTail = true;
        else out.bad = { line, offset, reason: problem };
        return out;
      }
      offset = end + 1;
      out.goodLength = offset;
    }
    return out;
  }
}

/** Why a complete line cannot be used, or undefined when it was taken (as the header or an entry). */
function lineProblem(text: string, line: number, out: JournalContents): string | undefined {
  if (text.startsWith(HEADER_TAG)) {
    if (line !== 1 || out.header) return 'a journal header where an entry should be';
    const h = parseHeader(text);
    if (!h) return 'its header is damaged';
    out.header = h;
    return undefined;
  }
  const space = text.indexOf(' ');
  const json = text.slice(space + 1);
  if (space !== 8 || sum(json) !== text.slice(0, 8)) return 'its checksum does not match its content';
  let entry: unknown;
  try {
    entry = JSON.parse(json, decodeBytes);
  } catch {
    return 'it is not valid JSON';
  }
  if (!isWriteEntry(entry)) return 'it is not a journal entry';
  out.entries.push({ line, offset: out.goodLength, entry });
  return undefined;
}

function parseHeader(text: string): JournalHeader | undefined {
  const body = text.slice(HEADER_TAG.length);
  const json = body.slice(9);
  if (body[8] !== ' ' || sum(json) !== body.slice(0, 8)) return undefined;
  try {
    const h = JSON.parse(json) as Partial<JournalHeader>;
    if (h.format !== 1 || typeof h.workspaceId !== 'string' || !Number.isInteger(h.baseSeq)) return undefined;
    return { format: 1, workspaceId: h.workspaceId, baseSeq: h.baseSeq!, createdAt: String(h.createdAt ?? '') };
  } catch {
    return undefined;
  }
}

/** Parse, don't trust: a line with a good checksum still has to be the shape replay expects. */
function isWriteEntry(v: unknown): v is WriteEntry {
  if (!v || typeof v !== 'object') return false;
  const e = v as Partial<WriteEntry>;
  return (
    Number.isInteger(e.seq) &&
    Array.isArray(e.statements) &&
    e.statements.every(
      (s: Statement) => s && typeof s === 'object' && typeof s.sql === 'string' && (s.params === undefined || (typeof s.params === 'object' && s.params !== null)),
    )
  );
}

function appendFailure(e: unknown, path: string): WorkspaceError {
  if (e instanceof WorkspaceError) return e;
  const name = basename(path);
  if (isDiskFull(e)) {
    return new WorkspaceError(
      'io',
      `The disk is full: the change could not be recorded in ${name}, so it was not made. ` +
        'Every change confirmed before it is safe; free some space and try again.',
      path,
    );
  }
  const code = (e as NodeJS.ErrnoException).code;
  const what = code === 'EIO' ? 'the disk reported an input/output error' : (e as Error).message;
  return new WorkspaceError(
    'io',
    `The change could not be recorded in ${name} (${what}), so it was not made. Every change confirmed before it is safe; check the disk and try again.`,
    path,
  );
}

function encodeBytes(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { $b64: Buffer.from(value).toString('base64') };
  return value;
}

function decodeBytes(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && '$b64' in value && typeof (value as { $b64: unknown }).$b64 === 'string') {
    return new Uint8Array(Buffer.from((value as { $b64: string }).$b64, 'base64'));
  }
  return value;
}

export type { Statement };
