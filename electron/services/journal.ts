import { promises as fsp, existsSync, readFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Durability, Statement, WriteEntry } from '../../shared/store/workspace';
import { crc32 } from './crc32';

/**
 * The append-only journal beside a workspace file (`<file>-journal`). Every write is appended as one line
 * `<crc32 hex> <json>` and flushed to disk before the write is acknowledged; on open, complete lines whose sequence is
 * newer than the file's are replayed. A torn last line (a crash mid-append) fails its checksum and is ignored: that
 * write was never acknowledged.
 */
export class Journal implements Durability {
  private handle: FileHandle | undefined;

  constructor(readonly path: string) {}

  static pathFor(workspacePath: string): string {
    return `${workspacePath}-journal`;
  }

  async append(entry: WriteEntry): Promise<void> {
    if (!this.handle) this.handle = await fsp.open(this.path, 'a');
    const json = JSON.stringify(entry, encodeBytes);
    const line = `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
    await this.handle.write(line);
    await this.handle.datasync();
  }

  /** Empties the journal once a save holds everything in it. */
  async reset(): Promise<void> {
    if (this.handle) {
      await this.handle.truncate(0);
      await this.handle.datasync();
    } else if (existsSync(this.path)) {
      await fsp.truncate(this.path, 0);
    }
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  async remove(): Promise<void> {
    await this.close();
    await fsp.rm(this.path, { force: true });
  }

  /** Reads every intact entry, oldest first, stopping at the first damaged line. */
  static read(path: string): { entries: WriteEntry[]; damagedTail: boolean } {
    if (!existsSync(path)) return { entries: [], damagedTail: false };
    const text = readFileSync(path, 'utf8');
    const entries: WriteEntry[] = [];
    let damagedTail = false;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const space = line.indexOf(' ');
      const sum = line.slice(0, space);
      const json = line.slice(space + 1);
      if (space !== 8 || crc32(json).toString(16).padStart(8, '0') !== sum) {
        damagedTail = true;
        break;
      }
      entries.push(JSON.parse(json, decodeBytes) as WriteEntry);
    }
    return { entries, damagedTail };
  }
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
