// Which version and archive each dependency constraint resolved to, and when, kept beside the
// archive cache (`resolved.json` in cache_dir, the agent's work dir by default) so a restart does
// not ask the repositories again within index_ttl and, while one is down, still renders what it
// resolved before (the fetcher says so in a warning). Nothing secret is kept: the keys hold the
// repository URL (never with credentials) and whose access it was (a Secret's name). Written
// through a temp file and a rename; a file that cannot be read starts the book empty.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resolved } from './http-repo.ts';
import { replaceFile } from '../../replace-file.ts';

export interface Resolution {
  /** When it was resolved (ms since the epoch). */
  at: number;
  found: Resolved;
}

/** More than any real set of charts; the oldest resolutions go first beyond it. */
const MAX_ENTRIES = 2000;
const FILE = 'resolved.json';

function valid(v: unknown): v is Resolution {
  if (!v || typeof v !== 'object') return false;
  const { at, found } = v as { at?: unknown; found?: Partial<Record<keyof Resolved, unknown>> };
  return (
    typeof at === 'number' &&
    typeof found?.version === 'string' &&
    typeof found.url === 'string' &&
    typeof found.digest === 'string' &&
    /^[0-9a-f]{64}$/.test(found.digest) &&
    (found.size === null || typeof found.size === 'number')
  );
}

export class ResolvedBook {
  private readonly entries = new Map<string, Resolution>();
  private readonly file: string;

  constructor(dir: string) {
    this.file = join(dir, FILE);
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      return;
    }
    if (doc && typeof doc === 'object')
      for (const [key, v] of Object.entries(doc as Record<string, unknown>))
        if (valid(v)) this.entries.set(key, { at: v.at, found: v.found });
  }

  get(key: string): Resolution | undefined {
    return this.entries.get(key);
  }

  /** Records a resolution and writes the book; a write that fails leaves it in memory only. */
  set(key: string, resolution: Resolution): void {
    this.entries.delete(key);
    this.entries.set(key, resolution);
    while (this.entries.size > MAX_ENTRIES) {
      const oldest = [...this.entries].reduce((a, b) => (b[1].at < a[1].at ? b : a));
      this.entries.delete(oldest[0]);
    }
    try {
      replaceFile(this.file, JSON.stringify(Object.fromEntries(this.entries)));
    } catch {
      // A read-only or full cache directory: the next start resolves again, as before the book.
    }
  }
}
