// Parsed files kept on disk beside the clone (in its .git directory), so a restart on a commit
// whose files were parsed before neither reads nor parses them again: at 10,000 files the parse
// was ~70% of the Git load. An entry is (path, blob id) → objects. A blob id is git's hash of the
// content, so an entry holds whatever URL, branch or history it came from; it is used only when
// the file header matches what else the parse depends on: the cache format, the agent's code (a
// hash of the running script: a new parser never reads an old entry), the default namespace and
// the kind scopes from discovery. The body is checked against its sha256; a cache that does not
// match or does not parse is ignored (and rewritten after the next load), never trusted.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { DesiredObject, KindScopes } from '../../shared/engine/index.ts';
import { errorMessage } from '../../shared/errors.ts';
import { replaceFile } from '../../shared/node/replace-file.ts';

/** Bump when what an entry holds changes shape. */
const FORMAT = 1;

export interface CachedFile {
  blob: string;
  objects: DesiredObject[];
}

/** What a parse depends on besides the file's path and content. */
export interface ParseContext {
  namespace: string;
  scopes: KindScopes | undefined;
}

interface Header {
  format: number;
  code: string;
  context: string;
  sha256: string;
}

let codeHash: string | undefined;

/** The running agent's code: a hash of its entry script (the bundle in the image). */
export function codeId(): string {
  if (codeHash !== undefined) return codeHash;
  const script = process.argv[1];
  let id = 'unknown';
  try {
    if (script) id = createHash('sha256').update(readFileSync(script)).digest('hex');
  } catch {
    // No readable script (a REPL, an eval): the format and context still key the cache.
  }
  codeHash = id;
  return id;
}

/** The context's part of the header: two contexts with the same key parse every file alike. */
export function contextKey(ctx: ParseContext): string {
  const scopes = ctx.scopes ? [...ctx.scopes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null;
  return createHash('sha256')
    .update(JSON.stringify([ctx.namespace, scopes]))
    .digest('hex');
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** One source's cache file. */
export class ParseCache {
  constructor(private readonly file: string) {}

  /**
   * The entries by path, empty when there is no cache yet or it was made for another context or
   * code; a reason when the file is there but could not be used (damaged, foreign).
   */
  read(ctx: ParseContext): { entries: Map<string, CachedFile>; problem: string | null } {
    const empty = new Map<string, CachedFile>();
    if (!existsSync(this.file)) return { entries: empty, problem: null };
    try {
      const text = readFileSync(this.file, 'utf8');
      const nl = text.indexOf('\n');
      if (nl < 0) return { entries: empty, problem: 'no header line' };
      const header = JSON.parse(text.slice(0, nl)) as Partial<Header>;
      if (header.format !== FORMAT || header.code !== codeId() || header.context !== contextKey(ctx))
        return { entries: empty, problem: null };
      const body = text.slice(nl + 1);
      if (sha256(body) !== header.sha256) return { entries: empty, problem: 'checksum does not match' };
      const rows = JSON.parse(body) as unknown;
      if (!Array.isArray(rows)) return { entries: empty, problem: 'body is not a list' };
      const entries = new Map<string, CachedFile>();
      for (const row of rows as unknown[]) {
        if (!isRow(row)) return { entries: empty, problem: 'an entry has the wrong shape' };
        entries.set(row[0], { blob: row[1], objects: row[2] });
      }
      return { entries, problem: null };
    } catch (err) {
      return { entries: empty, problem: errorMessage(err) };
    }
  }

  /** Replaces the file at once (written aside, then renamed: a crash leaves the old one or none). */
  write(ctx: ParseContext, entries: Iterable<[string, CachedFile]>): void {
    const rows: [string, string, DesiredObject[]][] = [];
    for (const [path, e] of entries) rows.push([path, e.blob, e.objects]);
    const body = JSON.stringify(rows);
    const header: Header = { format: FORMAT, code: codeId(), context: contextKey(ctx), sha256: sha256(body) };
    replaceFile(this.file, `${JSON.stringify(header)}\n${body}`);
  }
}

/** [path, blob id, objects], each object with the fields a parsed one always has, from that path. */
function isRow(row: unknown): row is [string, string, DesiredObject[]] {
  if (!Array.isArray(row) || row.length !== 3) return false;
  const [path, blob, objects] = row as unknown[];
  return (
    typeof path === 'string' &&
    typeof blob === 'string' &&
    Array.isArray(objects) &&
    objects.every(
      (o) =>
        typeof o === 'object' &&
        o !== null &&
        typeof (o as DesiredObject).id === 'string' &&
        (o as DesiredObject).sourceFile === path &&
        typeof (o as DesiredObject).object === 'object',
    )
  );
}
