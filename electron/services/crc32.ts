import { crc32 as zlibCrc32 } from 'node:zlib';

/** CRC-32 of a string's UTF-8 bytes, from zlib (Node 20.15+). */
export function crc32(text: string): number {
  return zlibCrc32(text) >>> 0;
}
