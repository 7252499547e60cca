// The list tables `analyze --local` derives from the served OpenAPI (shared/node/kube/openapi-lists.ts),
// kept in the user's cache dir ($XDG_CACHE_HOME/driftguard/list-tables/): each run otherwise
// fetched core/v1's document (megabytes) and walked its schemas again. One file per server and
// group-version holds the document's URL, which carries the document's hash: a kept entry is used
// only for that very URL. The header names the plugin's code (parse-cache.ts's bundle hash; none
// when run from sources) and the body's sha256; a damaged file is ignored and rewritten.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ListTable } from '../../shared/engine/index.ts';
import type { KeptListTables } from '../../shared/node/kube/openapi-lists.ts';
import { replaceFile } from '../../shared/node/replace-file.ts';
import { bundledCodeId } from './parse-cache.ts';

const FORMAT = 1;
/** Server and group-version pairs kept; the least recently written go first. */
export const MAX_TABLE_FILES = 64;

const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex');

/** The default dir: the user's, when the code can be named (the bundle); else none. */
export function defaultListTableDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (bundledCodeId() === null) return null;
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'driftguard', 'list-tables');
}

interface Body {
  key: string;
  url: string;
  tables: [string, ListTable][];
}

export class ListTableCache implements KeptListTables {
  constructor(private readonly dir: string) {}

  private file(key: string): string {
    return join(this.dir, `${sha256(key)}.json`);
  }

  get(key: string, url: string): Map<string, ListTable> | undefined {
    try {
      const text = readFileSync(this.file(key), 'utf8');
      const nl = text.indexOf('\n');
      if (nl < 0) return undefined;
      const header = JSON.parse(text.slice(0, nl)) as { format?: unknown; code?: unknown; sha256?: unknown };
      const body = text.slice(nl + 1);
      if (header.format !== FORMAT || header.code !== code() || header.sha256 !== sha256(body))
        return undefined;
      const b = JSON.parse(body) as Partial<Body>;
      if (b.key !== key || b.url !== url || !Array.isArray(b.tables)) return undefined;
      const ok = b.tables.every(
        (t) => Array.isArray(t) && typeof t[0] === 'string' && typeof t[1] === 'object' && t[1] !== null,
      );
      return ok ? new Map(b.tables) : undefined;
    } catch {
      return undefined; // none yet, or unreadable: fetched again
    }
  }

  set(key: string, url: string, tables: Map<string, ListTable>): void {
    const body = JSON.stringify({ key, url, tables: [...tables] } satisfies Body);
    try {
      replaceFile(
        this.file(key),
        `${JSON.stringify({ format: FORMAT, code: code(), sha256: sha256(body) })}\n${body}`,
      );
      const files = readdirSync(this.dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => ({ f, at: statSync(join(this.dir, f)).mtimeMs }))
        .sort((a, b) => b.at - a.at);
      for (const { f } of files.slice(MAX_TABLE_FILES)) rmSync(join(this.dir, f), { force: true });
    } catch {
      // A cache dir that cannot be written: the next run fetches again.
    }
  }
}

const code = (): string => bundledCodeId() ?? 'sources';
