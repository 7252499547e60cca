// A chart archive (.tgz, as `helm package` and registries hold it) unpacked into a directory so the
// renderer can read it like a checkout. Only regular files and directories are written; a path that
// is absolute or climbs out, a link, a device or more than maxBytes unpacked is refused, so an
// archive from a chart repository cannot write outside its directory nor fill the disk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { RenderError } from '../errors.ts';

const BLOCK = 512;

function field(h: Buffer, at: number, len: number): string {
  const raw = h.subarray(at, at + len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? len : end).toString('utf8');
}

function octal(h: Buffer, at: number, len: number): number {
  const text = field(h, at, len).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** PAX records (`len key=value\n`): only `path` matters here. */
function paxPath(body: Buffer): string | undefined {
  for (const line of body.toString('utf8').split('\n')) {
    const m = /^\d+ path=(.*)$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

function safePath(name: string, what: string): string {
  const p = normalize(name).replace(/^\.\/+/, '');
  if (p.startsWith('/') || p === '..' || p.startsWith('../') || p.includes('\0'))
    throw new RenderError(
      'safety',
      `${what}: entry ${JSON.stringify(name)} is outside the chart; refusing it`,
    );
  return p;
}

/** Unpacks `archive` (gzip'd tar) into `dir`; returns the top-level directories it holds. */
export function unpackChart(archive: Buffer, dir: string, maxBytes: number, what: string): string[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: maxBytes });
  } catch (err) {
    const over = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw new RenderError(
      over ? 'safety' : 'parse',
      over
        ? `${what} unpacks to more than ${maxBytes} bytes; refusing it`
        : `${what} is not a gzip'd archive: ${(err as Error).message}`,
    );
  }
  const tops = new Set<string>();
  let longName: string | undefined;
  for (let at = 0; at + BLOCK <= tar.length;) {
    const h = tar.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156] ?? 0);
    const body = tar.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x' || type === 'L') {
      longName = type === 'x' ? paxPath(body) : field(body, 0, body.length);
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(h, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    longName = undefined;
    if (type !== '0' && type !== '\0' && type !== '5')
      throw new RenderError(
        'safety',
        `${what}: entry ${JSON.stringify(name)} is a link or device; refusing it`,
      );
    const rel = safePath(name, what);
    if (rel === '.' || rel === '') continue;
    tops.add(rel.split('/')[0] ?? rel);
    const target = join(dir, rel);
    if (type === '5') mkdirSync(target, { recursive: true });
    else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, body);
    }
  }
  return [...tops].sort();
}
