// The source's manifest files at a commit (path → blob id, what `git ls-tree` listed), kept on
// disk beside the parse cache, so a restart on the commit it was written for lists nothing: at
// 10,000 files the listing was ~185 ms of CPU (half the Git load's) on every start. A commit id
// names the whole tree, so the list holds while the commit, the source's path and the agent's
// code (which decides what a manifest file is) are the same. Anything else (another commit, no
// file, a damaged or foreign one) is a miss: the caller lists the tree, as before.
import { existsSync, readFileSync } from 'node:fs';
import { replaceFile } from '../../shared/node/replace-file.ts';
import { codeId } from './parse-cache.ts';

/** Bump when what the file holds changes shape. */
const FORMAT = 1;

interface Saved {
  format: number;
  code: string;
  commit: string;
  path: string;
  blobs: [string, string][];
}

export class TreeCache {
  constructor(private readonly file: string) {}

  /** The blobs listed at `commit` for the source path `path`, or null when the file does not hold them. */
  read(commit: string, path: string): Map<string, string> | null {
    if (!existsSync(this.file)) return null;
    try {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<Saved>;
      if (
        saved.format !== FORMAT ||
        saved.code !== codeId() ||
        saved.commit !== commit ||
        saved.path !== path ||
        !Array.isArray(saved.blobs) ||
        !saved.blobs.every(isPair)
      )
        return null;
      return new Map(saved.blobs);
    } catch {
      // Unreadable or half-written (a crash between write and rename leaves only the aside file).
      return null;
    }
  }

  /** Replaces the file at once (written aside, then renamed). */
  write(commit: string, path: string, blobs: Map<string, string>): void {
    const saved: Saved = { format: FORMAT, code: codeId(), commit, path, blobs: [...blobs] };
    replaceFile(this.file, JSON.stringify(saved));
  }
}

function isPair(v: unknown): v is [string, string] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string';
}
