// The list tables `analyze --local` derives from the served OpenAPI (shared/node/kube/openapi-lists.ts),
// kept in the user's cache dir ($XDG_CACHE_HOME/driftguard/list-tables/): each run otherwise
// fetched core/v1's document (megabytes) and walked its schemas again. One file per server and
// group-version holds the document's URL, which carries the document's hash: a kept entry is used
// only for that very URL. Checked files (user-cache.ts): one written by another plugin, or damaged,
// is ignored and rewritten.
import { join } from 'node:path';
import type { ListTable } from '../../shared/engine/index.ts';
import type { KeptListTables } from '../../shared/node/kube/openapi-lists.ts';
import { bundledCodeId, keepNewest, readChecked, sha256, userCacheDir, writeChecked } from './user-cache.ts';

const FORMAT = 1;
/** Server and group-version pairs kept; the least recently written go first. */
export const MAX_TABLE_FILES = 64;

/** The default dir: the user's, when the code can be named (the bundle); else none. */
export function defaultListTableDir(env: NodeJS.ProcessEnv = process.env): string | null {
  return bundledCodeId() === null ? null : userCacheDir('list-tables', env);
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
    const read = readChecked(this.file(key), FORMAT);
    if (read === null || !('body' in read)) return undefined; // none yet, or unusable: fetched again
    try {
      const b = JSON.parse(read.body) as Partial<Body>;
      if (b.key !== key || b.url !== url || !Array.isArray(b.tables)) return undefined;
      const ok = b.tables.every(
        (t) => Array.isArray(t) && typeof t[0] === 'string' && typeof t[1] === 'object' && t[1] !== null,
      );
      return ok ? new Map(b.tables) : undefined;
    } catch {
      return undefined;
    }
  }

  set(key: string, url: string, tables: Map<string, ListTable>): void {
    const body = JSON.stringify({ key, url, tables: [...tables] } satisfies Body);
    try {
      writeChecked(this.file(key), FORMAT, body);
      keepNewest(this.dir, MAX_TABLE_FILES);
    } catch {
      // A cache dir that cannot be written: the next run fetches again.
    }
  }
}
