// What `analyze --local` keeps in the user's cache dir ($XDG_CACHE_HOME/driftguard/<name>/): the
// directory, and the checked file format its caches share. A file is a header line naming its
// format, the plugin's code (a hash of the running bundle: a new plugin never reads an old entry;
// run from sources there is nothing to name it by) and the sha256 of the body that follows.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaceFile } from '../../shared/node/replace-file.ts';

export function userCacheDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'driftguard', name);
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

let codeHash: string | null | undefined;

/**
 * The running plugin's code: a hash of the bundle this module is part of. Null when it runs from
 * its sources (tsx, the tests): nothing then names the parser's code, so only a caller that
 * chooses a cache dir (a test) gets a cache.
 */
export function bundledCodeId(): string | null {
  if (codeHash !== undefined) return codeHash;
  const self = import.meta.url;
  try {
    codeHash = self.endsWith('.ts') ? null : sha256(readFileSync(fileURLToPath(self)));
  } catch {
    codeHash = null;
  }
  return codeHash;
}

const code = (): string => bundledCodeId() ?? 'sources';

interface Header {
  format: number;
  code: string;
  sha256: string;
}

/** A checked file's body; `foreign` for another format or plugin; `damaged` says what is wrong. */
export type CheckedRead = { body: string } | { foreign: true } | { damaged: string } | null;

/** Reads a checked file (null when there is none). */
export function readChecked(file: string, format: number): CheckedRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const nl = text.indexOf('\n');
    const header = JSON.parse(nl < 0 ? text : text.slice(0, nl)) as Partial<Header>;
    if (header.format !== format || header.code !== code()) return { foreign: true };
    const body = text.slice(nl + 1);
    if (nl < 0 || sha256(body) !== header.sha256) return { damaged: 'checksum does not match' };
    return { body };
  } catch (err) {
    return { damaged: err instanceof Error ? err.message : String(err) };
  }
}

/** Writes a checked file (temp file + rename); throws when the directory cannot be written. */
export function writeChecked(file: string, format: number, body: string): void {
  const header: Header = { format, code: code(), sha256: sha256(body) };
  replaceFile(file, `${JSON.stringify(header)}\n${body}`);
}

/** Removes all but the `count` most recently written `.json` files of `dir`. */
export function keepNewest(dir: string, count: number): void {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ f, at: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { f } of files.slice(count)) rmSync(join(dir, f), { force: true });
}
