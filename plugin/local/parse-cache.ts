// The files `analyze --local` (and diff/revert --local) parsed before, kept in the user's cache dir
// ($XDG_CACHE_HOME/driftguard/parsed/, beside the chart cache): at 1,000 files the parse was the
// largest part of a run after the engine. One file per source (repository as given, branch, path)
// holds the entries the last run used, each keyed by a hash of the file's path, bytes and parse
// context (shared/node/render/parsed-files.ts), as a checked file (user-cache.ts: a new parser never
// reads an old entry; run from sources, there is no default cache). A cache that does not match or
// does not parse is ignored and rewritten; one that cannot be written is left as is.
// Only the newest MAX_SOURCES sources are kept.
import { join } from 'node:path';
import type { ParseResult } from '../../shared/engine/index.ts';
import type { ParsedFileStore } from '../../shared/node/render/parsed-files.ts';
import { bundledCodeId, keepNewest, readChecked, sha256, userCacheDir, writeChecked } from './user-cache.ts';

const FORMAT = 1;
/** Sources whose parses are kept; the least recently written go first. */
export const MAX_SOURCES = 16;
/** A body over this is not written (a repository this large parses in the time it reads). */
const MAX_BODY_CHARS = 256 * 1024 * 1024;

/** The default cache dir: the user's, when the code can be named; else none. */
export function defaultParseCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  return bundledCodeId() === null ? null : userCacheDir('parsed', env);
}

/** What names a source: the repository as given (a path made absolute), its branch and path. */
export interface SourceName {
  repo: string;
  branch: string | undefined;
  path: string;
}

export class ParseCache implements ParsedFileStore {
  private readonly file: string;
  private loaded: Map<string, ParseResult> | null = null;
  private readonly used = new Map<string, ParseResult>();
  private misses = 0;
  /** Why the cache on disk was not used, for a test or a debug line; null when it was (or none). */
  problem: string | null = null;

  constructor(
    private readonly dir: string,
    source: SourceName,
  ) {
    this.file = join(
      dir,
      `${sha256(JSON.stringify([source.repo, source.branch ?? null, source.path]))}.json`,
    );
  }

  get(key: string): ParseResult | undefined {
    const seen = this.used.get(key);
    // Handed out already (the caller owns those objects): a copy.
    if (seen) return structuredClone(seen);
    const hit = this.entries().get(key);
    if (hit) this.used.set(key, hit);
    return hit;
  }

  set(key: string, value: ParseResult): void {
    this.misses++;
    this.used.set(key, value);
  }

  /**
   * Keeps what this run used, when it parsed anything or left much unused; call it before the
   * objects handed out are changed. A failure to write costs the next run a parse, nothing more.
   */
  save(): void {
    const unused = this.entries().size - (this.used.size - this.misses);
    if (this.misses === 0 && unused <= this.used.size) return;
    const body = JSON.stringify([...this.used]);
    if (body.length > MAX_BODY_CHARS) return;
    try {
      writeChecked(this.file, FORMAT, body);
      keepNewest(this.dir, MAX_SOURCES);
    } catch {
      // A read-only or full cache dir: the next run parses again.
    }
  }

  private entries(): Map<string, ParseResult> {
    if (this.loaded) return this.loaded;
    this.loaded = new Map();
    const read = readChecked(this.file, FORMAT);
    if (read === null || 'foreign' in read) return this.loaded; // none yet, or another plugin's
    if ('damaged' in read) {
      this.problem = read.damaged;
      return this.loaded;
    }
    try {
      const rows = JSON.parse(read.body) as unknown;
      if (!Array.isArray(rows) || !rows.every(isRow)) throw new Error('an entry has the wrong shape');
      for (const [key, result] of rows) this.loaded.set(key, result);
    } catch (err) {
      this.problem = err instanceof Error ? err.message : String(err);
      this.loaded.clear();
    }
    return this.loaded;
  }
}

function isRow(row: unknown): row is [string, ParseResult] {
  if (!Array.isArray(row) || row.length !== 2 || typeof row[0] !== 'string') return false;
  const r = row[1] as Partial<ParseResult> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    Array.isArray(r.objects) &&
    Array.isArray(r.errors) &&
    Array.isArray(r.warnings) &&
    r.objects.every((o) => typeof o === 'object' && o !== null && typeof o.id === 'string')
  );
}
