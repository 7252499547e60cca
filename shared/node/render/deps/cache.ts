// Verified chart archives on disk, named by their sha256: a second render (another commit, another
// source, a restarted agent) takes them from here without the network. Written through a temp file
// and a rename, so a reader never sees half an archive; beyond the size budget the least recently
// used go first.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from '../../replace-file.ts';

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export class ArchiveCache {
  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  private path(digest: string): string {
    return join(this.dir, `${digest}.tgz`);
  }

  /** The archive with this sha256 (hex), checked again on read; null when absent or damaged. */
  get(digest: string): string | null {
    const p = this.path(digest);
    try {
      if (sha256(readFileSync(p)) !== digest) {
        rmSync(p, { force: true });
        return null;
      }
      const now = new Date();
      utimesSync(p, now, now);
      return p;
    } catch {
      return null;
    }
  }

  put(digest: string, data: Buffer): string {
    const p = this.path(digest);
    replaceFile(p, data);
    this.prune(digest);
    return p;
  }

  private prune(keep: string): void {
    const files = readdirSync(this.dir)
      .filter((f) => f.endsWith('.tgz'))
      .map((f) => {
        const s = statSync(join(this.dir, f));
        return { f, size: s.size, used: s.mtimeMs };
      })
      .sort((a, b) => a.used - b.used);
    let total = files.reduce((n, x) => n + x.size, 0);
    for (const x of files) {
      if (total <= this.maxBytes) break;
      if (x.f === `${keep}.tgz`) continue;
      rmSync(join(this.dir, x.f), { force: true });
      total -= x.size;
    }
  }
}
