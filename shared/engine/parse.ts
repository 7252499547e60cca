// Manifests from Git to desired objects. Untrusted input: every file is parsed on its own, so one
// malformed file is reported (file, line, message) and never stops the others; alias bombs, huge
// files and absurd nesting are rejected with a clear error instead of eating memory.
import {
  Document,
  isScalar,
  LineCounter,
  parseAllDocuments,
  type DocumentOptions,
  type ParseOptions,
  type ScalarTag,
  type SchemaOptions,
} from 'yaml';
import type { JsonValue, KubeObject } from '../types.ts';
import { isClusterScoped, kindKeyOf, nameOf, objectId, type KindScopes } from './identity.ts';
import { annotatedFields } from './ignore/annotation.ts';
import { isObject } from './json.ts';
import type { EngineOptions } from './options.ts';
import { fastDocuments, type PlainResolver } from './yaml-fast.ts';
import { indentQuotedContinuations } from './yaml-indent.ts';

export interface DesiredObject {
  /** `Kind:namespace:name` (see resourceId). */
  id: string;
  object: KubeObject;
  /** Path of the file it came from, as given by the caller. */
  sourceFile: string;
  /**
   * Which document of that file declares it: 1 for the first non-empty document. Absent where the
   * file is not the user's (a Kustomize render).
   */
  sourceDocument?: number | undefined;
}

export interface ManifestFile {
  path: string;
  content: string | Uint8Array;
}
export interface ParseError {
  file: string;
  line: number | null;
  message: string;
}
export interface ParseWarning {
  file: string;
  message: string;
}
export interface ParseResult {
  objects: DesiredObject[];
  errors: ParseError[];
  warnings: ParseWarning[];
}

export const MAX_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_DEPTH = 100;
/** Real manifests use a handful of anchors; an alias bomb uses thousands. */
export const MAX_ALIAS_COUNT = 100;

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/**
 * Cheap scan before parsing: the YAML parser recurses per nesting level and overflows the stack (slowly)
 * on a few thousand levels, so absurd flow nesting (`[[[[...`) or indentation is refused up front. The
 * thresholds are loose (2x the depth limit); the exact limit is checked on the parsed value.
 */
function nestingBomb(text: string): { line: number; what: string } | null {
  let depth = 0;
  let line = 1;
  let indent = 0;
  let leading = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      indent = 0;
      leading = true;
      continue;
    }
    if (leading) {
      if (c === 32) {
        if (++indent > MAX_DEPTH * 4) return { line, what: 'indentation' };
        continue;
      }
      leading = false;
      if (indent === 0 && text.startsWith('---', i)) depth = 0; // a new document
    }
    if (c === 91 || c === 123) {
      if (++depth > MAX_DEPTH * 2) return { line, what: 'flow collections' };
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return null;
}

/** Depth of a parsed value, stopping early once it exceeds `limit`. */
function tooDeep(v: unknown, limit: number, depth = 0): boolean {
  if (depth > limit) return true;
  if (Array.isArray(v)) return v.some((x) => tooDeep(x, limit, depth + 1));
  if (isObject(v)) return Object.values(v).some((x) => tooDeep(x, limit, depth + 1));
  return false;
}

function isKubeObject(v: JsonValue): v is KubeObject {
  return (
    isObject(v) &&
    typeof v['apiVersion'] === 'string' &&
    v['apiVersion'] !== '' &&
    typeof v['kind'] === 'string' &&
    v['kind'] !== '' &&
    isObject(v['metadata']) &&
    typeof v['metadata']['name'] === 'string' &&
    v['metadata']['name'] !== ''
  );
}

/** Give the object its effective namespace, as `kubectl apply` would: '' (none) for cluster-scoped kinds. */
function withNamespace(o: KubeObject, defaultNamespace: string, scopes: KindScopes | undefined): KubeObject {
  if (isClusterScoped(kindKeyOf(o), scopes)) delete o.metadata['namespace'];
  else if (typeof o.metadata['namespace'] !== 'string' || o.metadata['namespace'] === '')
    o.metadata['namespace'] = defaultNamespace;
  return o;
}

/** Does `s` look like a List wrapper (`kind: List` or e.g. `ConfigMapList`) with items? */
function isList(v: JsonValue): v is { items: JsonValue[] } & Record<string, JsonValue> {
  return isObject(v) && typeof v['kind'] === 'string' && /List$/.test(v['kind']) && Array.isArray(v['items']);
}

export function parseManifests(
  files: readonly ManifestFile[],
  opts: Pick<EngineOptions, 'defaultNamespace' | 'scopes'>,
): ParseResult {
  const result: ParseResult = { objects: [], errors: [], warnings: [] };
  const seen = new Map<string, string>();
  for (const file of files) {
    if (!MANIFEST_EXT.test(file.path)) continue;
    parseFile(file, opts.defaultNamespace, opts.scopes, result, seen);
  }
  return result;
}

/**
 * YAML 1.1 as kubectl's go-yaml reads it into untyped JSON: octal `0644` and `yes`/`on` booleans, but
 * no timestamps and no sexagesimal `12:30` numbers (both stay strings).
 */
function kubectlTags(tags: Tags): Tags {
  return tags.filter(
    (t) => typeof t !== 'object' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME'),
  );
}
type Tags = Exclude<SchemaOptions['customTags'], ((tags: never) => unknown) | null | undefined>;

/** Offsets of duplicate map keys seen while parsing the current file (parsing is synchronous). */
const duplicates: number[] = [];

/**
 * Key comparison for the YAML parser: records duplicate scalar keys and reports them as distinct,
 * so parsing goes on and the later value overwrites the earlier one.
 */
function sameKey(a: unknown, b: unknown): boolean {
  if (isScalar(a) && isScalar(b) && a.value === b.value) duplicates.push(b.range?.[0] ?? 0);
  return false;
}

/** YAML 1.1 matches what kubectl (go-yaml) accepts: `0644` is octal, `yes` is a boolean. */
const YAML_OPTIONS = {
  version: '1.1',
  prettyErrors: false,
  uniqueKeys: sameKey,
  customTags: kubectlTags,
} as const satisfies ParseOptions & DocumentOptions & SchemaOptions;

/** The library's documents of `text`, with its errors and the duplicate keys it saw (in `duplicates`). */
function parseYaml(text: string, lineCounter: LineCounter): Document.Parsed[] {
  // A parser error mid-file (or a first attempt) would leave duplicates behind for the next parse.
  duplicates.length = 0;
  const docs = parseAllDocuments(text, { lineCounter, ...YAML_OPTIONS });
  return Array.isArray(docs) ? docs : [];
}

/**
 * Plain scalars typed by the very tags (and options) the library composes with: the first default
 * tag whose test matches, else a string, as its composer does. Null (give up) when a key is not a
 * plain string (a boolean, number or merge key) or a tag reports an error.
 */
function libraryResolver(): PlainResolver {
  const doc = new Document(null, YAML_OPTIONS);
  const tags = doc.schema.tags.filter(
    (t): t is ScalarTag => !t.collection && t.default !== false && t.test !== undefined,
  );
  return (source, atKey) => {
    const tag = tags.find(
      (t) => (t.default === true || (atKey && t.default === 'key')) && t.test?.test(source),
    );
    if (!tag) return { value: source };
    if (atKey) return null;
    let failed = false;
    const resolved: unknown = tag.resolve(source, () => (failed = true), doc.options);
    const value: unknown = isScalar(resolved) ? resolved.value : resolved;
    if (failed || !(value === null || ['string', 'number', 'boolean'].includes(typeof value))) return null;
    return { value: value as JsonValue };
  };
}
let resolver: PlainResolver | null = null;

/** The fast reader's document values of `text`, or null when only the library may read it. */
export function readFast(text: string): JsonValue[] | null {
  resolver ??= libraryResolver();
  return fastDocuments(text, resolver);
}

/** The library's reading of `text` as parseManifests does it (first attempt): documents and duplicate keys. */
export function readByLibrary(text: string): { docs: Document.Parsed[]; duplicateKeys: number } {
  const docs = parseYaml(text, new LineCounter());
  return { docs, duplicateKeys: duplicates.splice(0).length };
}

/** What the documents of one file turn into (kept apart until the file is known to be good). */
interface Collected {
  objects: DesiredObject[];
  errors: ParseError[];
  skipped: number;
  /** Where each id was first defined: earlier files (read-only here), then this file's own. */
  seen: ReadonlyMap<string, string>;
  mine: Map<string, string>;
}

function collected(seen: ReadonlyMap<string, string>): Collected {
  return { objects: [], errors: [], skipped: 0, seen, mine: new Map() };
}

/** One document's value: its Kubernetes objects (a List's items), or why not. */
function collect(
  raw: JsonValue | undefined,
  line: number | null,
  index: number,
  document: number,
  file: string,
  defaultNamespace: string,
  scopes: KindScopes | undefined,
  out: Collected,
): void {
  if (raw === null || raw === undefined) return;
  if (tooDeep(raw, MAX_DEPTH)) {
    out.errors.push({ file, line, message: `document ${index}: nested deeper than ${MAX_DEPTH} levels` });
    return;
  }
  // Round-trip through JSON: YAML timestamps/dates and other non-JSON values become plain JSON.
  const value = JSON.parse(JSON.stringify(raw)) as JsonValue;
  const items = isList(value) ? value.items : [value];
  for (const item of items) {
    if (!isKubeObject(item)) {
      out.skipped++;
      continue;
    }
    const object = withNamespace(item, defaultNamespace, scopes);
    const id = objectId(object, defaultNamespace, scopes);
    const first = out.mine.get(id) ?? out.seen.get(id);
    if (first !== undefined) {
      out.errors.push({
        file,
        line,
        message: `duplicate object ${id} (${nameOf(object)}): defined in ${first} and ${file}`,
      });
      continue;
    }
    out.mine.set(id, file);
    out.objects.push({ id, object, sourceFile: file, sourceDocument: document });
  }
}

function commit(file: string, collected: Collected, result: ParseResult, seen: Map<string, string>): void {
  result.errors.push(...collected.errors);
  for (const o of collected.objects) {
    result.objects.push(o);
    // A wrong path in the ignore annotation is said, not fatal: the object's other paths still apply.
    for (const problem of annotatedFields(o.object)?.problems ?? [])
      result.warnings.push({ file, message: `${o.id}: ${problem}` });
  }
  for (const [id, path] of collected.mine) seen.set(id, path);
  if (collected.skipped > 0) {
    result.warnings.push({
      file,
      message: `${collected.skipped} document(s) skipped: not Kubernetes objects (need apiVersion, kind and metadata.name)`,
    });
  }
}

/**
 * The fast reader's objects of a file, or false when the file must go through the library: not in
 * the reader's subset, or any document with an error (the library's path gives its line).
 */
function parseFast(
  file: string,
  text: string,
  defaultNamespace: string,
  scopes: KindScopes | undefined,
  result: ParseResult,
  seen: Map<string, string>,
): boolean {
  const docs = readFast(text);
  if (docs === null) return false;
  const out = collected(seen);
  // The fast reader leaves empty documents out: position n is the n-th non-empty document.
  for (const [i, doc] of docs.entries()) {
    collect(doc, null, 0, i + 1, file, defaultNamespace, scopes, out);
    if (out.errors.length > 0) return false;
  }
  commit(file, out, result, seen);
  return true;
}

function parseFile(
  file: ManifestFile,
  defaultNamespace: string,
  scopes: KindScopes | undefined,
  result: ParseResult,
  seen: Map<string, string>,
): void {
  const size =
    typeof file.content === 'string' ? Buffer.byteLength(file.content, 'utf8') : file.content.byteLength;
  if (size > MAX_FILE_BYTES) {
    result.errors.push({
      file: file.path,
      line: null,
      message: `file is ${size} bytes, over the ${MAX_FILE_BYTES}-byte limit for a manifest`,
    });
    return;
  }
  const text =
    typeof file.content === 'string' ? file.content : new TextDecoder('utf-8').decode(file.content);
  const bomb = nestingBomb(text);
  if (bomb) {
    result.errors.push({
      file: file.path,
      line: bomb.line,
      message: `nested deeper than ${MAX_DEPTH} levels (${bomb.what})`,
    });
    return;
  }
  if (parseFast(file.path, text, defaultNamespace, scopes, result, seen)) return;
  let lineCounter = new LineCounter();
  let docs;
  try {
    docs = parseYaml(text, lineCounter);
    if (docs.some((d) => d.errors.length > 0)) {
      // go-yaml accepts quoted scalars whose continuation lines are under-indented; so do we.
      const fixed = indentQuotedContinuations(text);
      if (fixed !== null) {
        const again = new LineCounter();
        const retry = parseYaml(fixed, again);
        if (retry.every((d) => d.errors.length === 0)) {
          docs = retry;
          lineCounter = again;
        }
      }
    }
  } catch (e) {
    result.errors.push({ file: file.path, line: null, message: `cannot parse: ${(e as Error).message}` });
    return;
  }
  // Duplicate keys: kubectl's YAML reader keeps the last value, so do the same but say so.
  for (const at of duplicates.splice(0)) {
    result.warnings.push({
      file: file.path,
      message: `line ${lineCounter.linePos(at).line}: duplicate key; the last value wins`,
    });
  }
  const out = collected(seen);
  let index = 0;
  let nonEmpty = 0;
  for (const doc of docs) {
    index++;
    // An empty document (`---` alone, or only comments) reads as null, and the fast reader skips it too.
    if (doc.contents !== null && !(isScalar(doc.contents) && doc.contents.value === null)) nonEmpty++;
    const line = lineCounter.linePos(doc.range[0]).line;
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const at = err.pos[0];
        out.errors.push({
          file: file.path,
          line: typeof at === 'number' ? lineCounter.linePos(at).line : line,
          message: err.message.split('\n')[0] ?? err.message,
        });
      }
      continue;
    }
    if (doc.contents === null) continue; // empty document (e.g. a trailing `---`)
    let value: JsonValue;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as JsonValue;
    } catch (e) {
      const msg = (e as Error).message;
      out.errors.push({
        file: file.path,
        line,
        message: /alias/i.test(msg)
          ? `document ${index}: too many YAML aliases (limit ${MAX_ALIAS_COUNT}; possible alias bomb): ${msg}`
          : `document ${index}: ${msg}`,
      });
      continue;
    }
    collect(value, line, index, nonEmpty, file.path, defaultNamespace, scopes, out);
  }
  commit(file.path, out, result, seen);
}
