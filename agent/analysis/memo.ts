// Remembered verdicts. A drift verdict is a pure function of the desired object (its file,
// source and ignore rules), the live object, the engine's rules and the cluster facts it reads
// (the CRD schema of the object's kind, the kind's scope), and the engine's code. The memo key
// names each of these by a short fingerprint, so a full run compares one string per object: the
// same key as the one the record was last analysed with means the same verdict, and the engine
// (and whatever stage follows it) does not run. The key is stored on the record (`verdict_key`),
// so the memo also holds across restarts; a record without one simply misses.
//
//   v2:<fingerprint of code, rules, salt, ignore rules, facts, desired object, source>[?as]|<uid>@<resourceVersion>
//
// (the one-letter mark, on kinds whose replicas an autoscaler writes only, says whether the HPAs
// are known and name this object: a replica count nobody owns is drift only on an object no HPA
// scales, and the HPAs are learned by a watch of their own that may sync after a first analysis)
//
// (one fingerprint for everything but the live part, computed once per desired object: the key
// is held per record, in memory and in the store, so it is kept short: ~70 bytes)
//
// The commit is not part of it: a commit that leaves an object as it was changes nothing about
// its verdict, and the record keeps the commit its verdict was made at. (A fresh clone reads
// every file at HEAD: with the commit in the key, every restart after a commit would re-analyse
// and rewrite every record.)
//
// Each part is computed once per object identity (WeakMap): Git reloads and discovery refreshes
// hand over new objects, whose fingerprints are recomputed; their text decides, so a refresh that
// changes nothing keeps every key, and a changed CRD schema changes only its kind's keys.
import { createHash, hash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  kindKeyOf,
  listTableKey,
  objectId,
  readsAutoscaled,
  schemaFor,
  type EngineOptions,
  type IgnoreRule,
} from '../../shared/engine/index.ts';
import type { KubeObject } from '../../shared/types.ts';
import type { DesiredEntry } from '../git/desired-view.ts';

/** Bumped when the key's layout or meaning changes: every stored key then misses once. */
const LAYOUT = 'v2';

/**
 * 64 bits of SHA-256, hex: enough to tell versions of one object's inputs apart. The one-shot
 * hash() costs half of createHash().update().digest() (a restart keys every object: 10,000).
 */
function fingerprint(text: string): string {
  return hash('sha256', text).slice(0, 16);
}

/** Memoises a fingerprint per object identity (objects handed over are never mutated after). */
function byIdentity<T extends object>(of: (o: T) => string): (o: T) => string {
  const cache = new WeakMap<T, string>();
  return (o) => {
    let v = cache.get(o);
    if (v === undefined) cache.set(o, (v = of(o)));
    return v;
  };
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * The engine's code: a new agent whose engine decides differently must not trust old verdicts.
 * Run as the bundle (the image), this module's file is the whole agent; run from source, the
 * engine's sources are read. An unreadable file gives a key unique to this process (no memo
 * across restarts, never a wrong one).
 */
export function codeFingerprint(moduleUrl: string = import.meta.url): string {
  if (moduleUrl === import.meta.url) return (ownCode ??= readCodeFingerprint(moduleUrl));
  return readCodeFingerprint(moduleUrl);
}

/** This process's own code fingerprint, read once. */
let ownCode: string | undefined;

function readCodeFingerprint(moduleUrl: string): string {
  try {
    const self = fileURLToPath(moduleUrl);
    const files = /\.[cm]?js$/.test(self)
      ? [self]
      : tsFiles(join(resolve(dirname(self), '../..'), 'shared', 'engine'));
    const hash = createHash('sha256');
    for (const f of files) hash.update(f.slice(f.lastIndexOf('shared'))).update(readFileSync(f));
    return hash.digest('hex').slice(0, 16);
  } catch {
    return `p${process.pid}-${Date.now()}`;
  }
}

const rulesPrint = byIdentity((rules: EngineOptions['rules']) => fingerprint(JSON.stringify(rules)));
const ignorePrint = byIdentity((ignore: IgnoreRule[]) => fingerprint(JSON.stringify(ignore)));
const schemaPrint = byIdentity((schema: object) => fingerprint(JSON.stringify(schema)));
/** The desired object's text: hashed once per Git load of it, not on every discovery refresh. */
const desiredPrint = byIdentity((d: DesiredEntry['desired']) =>
  fingerprint(`${d.sourceFile}\n${JSON.stringify(d.object)}`),
);

/** The cluster facts the engine reads for this object: its kind's scope, CRD schema and list table. */
function factsPrint(object: KubeObject, engine: EngineOptions): string {
  const scope = engine.scopes?.get(kindKeyOf(object));
  const schema = schemaFor(object, engine.crdSchemas);
  const table = engine.listTables?.get(listTableKey(object.apiVersion, object.kind));
  return `${scope === undefined ? '?' : scope ? 'n' : 'c'}${schema ? schemaPrint(schema) : '-'}${table ? schemaPrint(table) : '-'}`;
}

/** Per object, not per kind: whether the HPAs are known (`?`: not yet) and scale it (`a`) or not (`s`). */
function autoscaledMark(object: KubeObject, engine: EngineOptions): string {
  if (!readsAutoscaled(object.kind)) return '';
  const auto = engine.autoscaled;
  if (auto === undefined) return '?';
  return auto.has(objectId(object, engine.defaultNamespace, engine.scopes)) ? 'a' : 's';
}

function liveIdentity(live: KubeObject | undefined): string {
  if (!live) return '-';
  const { uid, resourceVersion } = live.metadata;
  return `${typeof uid === 'string' ? uid : ''}@${typeof resourceVersion === 'string' ? resourceVersion : ''}`;
}

/** Everything but the live part of a key, and what it was computed from (identities). */
interface Prefix {
  text: string;
  source: string | undefined;
  ignore: IgnoreRule[] | undefined;
  rules: EngineOptions['rules'];
  namespace: string;
  salt: string;
  scopes: EngineOptions['scopes'];
  schemas: EngineOptions['crdSchemas'];
  tables: EngineOptions['listTables'];
}

/** Builds memo keys for one engine's code; see the file comment for the layout. */
export class VerdictMemo {
  /** Keys that differ from the one stored on the record (see `remembered`). */
  private readonly latest = new Map<string, string>();
  /** Ids whose next analysis must miss (see invalidate). */
  private readonly invalidated = new Set<string>();
  /** Per desired object, the key without its live part; rebuilt when any input is another object. */
  private readonly prefixes = new WeakMap<DesiredEntry['desired'], Prefix>();

  /** The default namespace and salt's fingerprint, for the last pair seen (one per engine). */
  private setting = { namespace: '', salt: '', print: '' };

  constructor(private readonly code: string = codeFingerprint()) {}

  key(entry: DesiredEntry, live: KubeObject | undefined, engine: EngineOptions): string {
    return `${this.prefix(entry, engine)}${autoscaledMark(entry.desired.object, engine)}|${liveIdentity(live)}`;
  }

  /**
   * Computes the key's part without the live object ahead of time (it is kept per desired object):
   * done while the watches still list, a restart's first analysis is then a lookup per object.
   */
  prepare(entry: DesiredEntry, engine: EngineOptions): void {
    this.prefix(entry, engine);
  }

  /**
   * The key the id's current verdict was computed with: the one remembered in this process, else
   * the one stored on its record. A verdict whose record did not change is not rewritten (only
   * its key would differ), so the stored key may be older; it then misses once after a restart.
   */
  remembered(id: string, stored: string | null | undefined): string | undefined {
    if (this.invalidated.has(id)) return undefined;
    return this.latest.get(id) ?? stored ?? undefined;
  }

  /** The key of the id's verdict now; kept in memory only while its record holds another. */
  remember(id: string, key: string, stored: string | null | undefined): void {
    this.invalidated.delete(id);
    if (key === stored) this.latest.delete(id);
    else this.latest.set(id, key);
  }

  forget(id: string): void {
    this.latest.delete(id);
  }

  /** The next analysis of `id` runs the engine whatever its key (something outside its inputs changed). */
  invalidate(id: string): void {
    this.invalidated.add(id);
  }

  /** Forgets everything (a new leader: another replica may have written since). */
  clear(): void {
    this.latest.clear();
    this.invalidated.clear();
  }

  /** Keeps only these ids (a full run drops what is no longer tracked). */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.latest.keys()) if (!ids.has(id)) this.latest.delete(id);
    for (const id of this.invalidated) if (!ids.has(id)) this.invalidated.delete(id);
  }

  /** Hashed once per namespace and salt, not per object. */
  private settingPrint(engine: EngineOptions): string {
    const s = this.setting;
    if (s.print === '' || s.namespace !== engine.defaultNamespace || s.salt !== engine.secretSalt)
      this.setting = {
        namespace: engine.defaultNamespace,
        salt: engine.secretSalt,
        print: fingerprint(`${engine.defaultNamespace}\n${engine.secretSalt}`),
      };
    return this.setting.print;
  }

  private prefix(entry: DesiredEntry, engine: EngineOptions): string {
    const p = this.prefixes.get(entry.desired);
    if (
      p &&
      p.source === entry.source &&
      p.ignore === entry.ignore &&
      p.rules === engine.rules &&
      p.namespace === engine.defaultNamespace &&
      p.salt === engine.secretSalt &&
      p.scopes === engine.scopes &&
      p.schemas === engine.crdSchemas &&
      p.tables === engine.listTables
    )
      return p.text;
    const d = entry.desired;
    const parts = [
      this.code,
      rulesPrint(engine.rules),
      this.settingPrint(engine),
      entry.ignore?.length ? ignorePrint(entry.ignore) : '-',
      factsPrint(d.object, engine),
      desiredPrint(d),
      entry.source ?? '',
    ].join('|');
    const text = `${LAYOUT}:${fingerprint(parts)}`;
    this.prefixes.set(d, {
      text,
      source: entry.source,
      ignore: entry.ignore,
      rules: engine.rules,
      namespace: engine.defaultNamespace,
      salt: engine.secretSalt,
      scopes: engine.scopes,
      schemas: engine.crdSchemas,
      tables: engine.listTables,
    });
    return text;
  }
}
