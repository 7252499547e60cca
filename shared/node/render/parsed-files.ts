// Parsing a plain directory with a store of files parsed before (the plugin keeps one in the
// user's cache dir): each file is parsed on its own and its result kept under a hash of everything
// the parse depends on, the file's path and bytes, the default namespace and the kind scopes. The
// result is the one parseManifests gives for all the files at once: a file's parse depends on the
// others only through duplicate ids, so when two files declare the same object every file is
// parsed again the ordinary way (the duplicate's error and line come from there).
import { createHash } from 'node:crypto';
import { parseManifests, type KindScopes, type ManifestFile, type ParseResult } from '../../engine/index.ts';

/** Bump when what a file's parse gives changes for the same input (the store also keys the code). */
const FORMAT = 1;

/** Parse results by key; what it keeps, for how long, and where, is the store's business. */
export interface ParsedFileStore {
  get(key: string): ParseResult | undefined;
  set(key: string, value: ParseResult): void;
}

export interface ParseContext {
  defaultNamespace: string;
  scopes: KindScopes | undefined;
}

/** The key of one file's parse: its path and bytes under one context. */
function keyer(ctx: ParseContext): (file: ManifestFile) => string {
  const scopes = ctx.scopes ? [...ctx.scopes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null;
  const context = JSON.stringify([FORMAT, ctx.defaultNamespace, scopes]);
  return (file) =>
    createHash('sha256')
      .update(context)
      .update('\0')
      .update(file.path)
      .update('\0')
      .update(file.content)
      .digest('hex');
}

/** parseManifests(files, ctx), with each file's parse taken from `store` when it holds it. */
export function parseFiles(
  files: readonly ManifestFile[],
  ctx: ParseContext,
  store: ParsedFileStore | undefined,
): ParseResult {
  if (!store) return parseManifests(files, ctx);
  const key = keyer(ctx);
  const result: ParseResult = { objects: [], errors: [], warnings: [] };
  const ids = new Set<string>();
  for (const file of files) {
    const k = key(file);
    let one = store.get(k);
    if (!one) {
      one = parseManifests([file], ctx);
      store.set(k, one);
    }
    for (const o of one.objects) {
      // Declared by an earlier file too: the whole parse says which and where.
      if (ids.has(o.id)) return parseManifests(files, ctx);
      ids.add(o.id);
    }
    result.objects.push(...one.objects);
    result.errors.push(...one.errors);
    result.warnings.push(...one.warnings);
  }
  return result;
}
