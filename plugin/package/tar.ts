// A deterministic .tar.gz: ustar entries in sorted order, fixed owner and mtime, and a gzip header
// without a timestamp or OS byte, so the same files always give the same bytes (and the same sha256
// in the krew manifest).
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  name: string;
  data: Buffer;
  mode: number;
}

function octal(value: number, width: number): string {
  // width-1 octal digits, then NUL, as ustar readers expect.
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(entry: TarEntry, mtime: number): Buffer {
  if (Buffer.byteLength(entry.name) > 100) throw new Error(`tar entry name too long: ${entry.name}`);
  const h = Buffer.alloc(512, 0);
  h.write(entry.name, 0, 100, 'utf8');
  h.write(octal(entry.mode, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii'); // uid
  h.write(octal(0, 8), 116, 'ascii'); // gid
  h.write(octal(entry.data.length, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum is computed with its own field as spaces
  h.write('0', 156, 'ascii'); // regular file
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write('root', 265, 'ascii');
  h.write('root', 297, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

export function tarGz(entries: readonly TarEntry[], mtime: number): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const parts: Buffer[] = [];
  for (const e of sorted) {
    parts.push(header(e, mtime), e.data, Buffer.alloc((512 - (e.data.length % 512)) % 512, 0));
  }
  parts.push(Buffer.alloc(1024, 0)); // two empty blocks end the archive
  const gz = gzipSync(Buffer.concat(parts), { level: 9 });
  // zlib writes the OS it was built on into byte 9 (3 = Unix, 19 = macOS): pin it to "unknown".
  gz[9] = 255;
  return gz;
}
