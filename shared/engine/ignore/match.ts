// Whether an ignore rule covers an object and a field of it. Rules are compiled once (parsed paths
// and selectors cached by rule object), then matched per object and per drifted field.
import { glob } from '../glob.ts';
import { pathHasPrefix, type Segment } from '../path.ts';
import { parsePathPattern, patternMatches, type ItemLookup, type PathPattern } from './path-pattern.ts';
import type { IgnoreRule } from './rule.ts';
import { parseSelector, selectorMatches, type LabelSelector } from './selector.ts';

/** What a rule's object filters read: the object as Git declares it, and its source. */
export interface ObjectFacts {
  kind: string;
  /** The API group, `` for the core group. */
  group: string;
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  /** The source that declares it; undefined where there are no sources (analyze --local). */
  source?: string | undefined;
}

/** One drifted field as a rule's field filters read it. */
export interface FieldFacts {
  segs: readonly Segment[];
  /** The field manager that last wrote it live, if known. */
  manager: string | null;
  itemAt?: ItemLookup;
}

interface Compiled {
  pattern: PathPattern | null;
  selector: LabelSelector | null;
}

const compiled = new WeakMap<IgnoreRule, Compiled | null>();

/** The parsed parts of a rule; null for a rule that does not parse (schema-checked ones always do). */
function compile(rule: IgnoreRule): Compiled | null {
  let c = compiled.get(rule);
  if (c !== undefined) return c;
  try {
    c = {
      pattern: rule.path === undefined ? null : parsePathPattern(rule.path),
      selector: rule.selector === undefined ? null : parseSelector(rule.selector),
    };
  } catch {
    c = null;
  }
  compiled.set(rule, c);
  return c;
}

/** `Deployment` matches the kind in any group; `Deployment.apps` (or `.core` for `v1`) the group too. */
export function kindMatches(pattern: string, kind: string, group: string): boolean {
  const dot = pattern.indexOf('.');
  if (dot < 0) return glob(pattern, kind);
  const g = pattern.slice(dot + 1);
  return glob(pattern.slice(0, dot), kind) && (g === 'core' ? group === '' : glob(g, group));
}

const globOk = (pattern: string | undefined, value: string): boolean =>
  pattern === undefined || glob(pattern, value);

/** True when the rule's object filters all hold for this object. */
export function ruleCoversObject(rule: IgnoreRule, o: ObjectFacts): boolean {
  const c = compile(rule);
  if (!c) return false;
  if (rule.kind !== undefined && !kindMatches(rule.kind, o.kind, o.group)) return false;
  if (!globOk(rule.namespace, o.namespace) || !globOk(rule.name, o.name)) return false;
  if (rule.namespaces && !rule.namespaces.some((p) => glob(p, o.namespace))) return false;
  if (rule.source !== undefined && (o.source === undefined || !glob(rule.source, o.source))) return false;
  return c.selector === null || selectorMatches(c.selector, o.labels);
}

/** True when the rule's field filters hold for this field (the object filters are checked apart). */
export function ruleCoversField(rule: IgnoreRule, f: FieldFacts): boolean {
  const c = compile(rule);
  if (!c) return false;
  if (rule.managers && (f.manager === null || !rule.managers.some((m) => glob(m, f.manager as string))))
    return false;
  if (c.pattern === null || rule.path === undefined) return true;
  // The prefix test first: today's rules (and the unquoted dotted form of keys with dots) keep their meaning.
  return pathHasPrefix(f.segs, rule.path) || patternMatches(c.pattern, f.segs, f.itemAt);
}

/** True when the rule's path names a field strictly under `segs` (so a difference at `segs` may hold it). */
export function ruleReachesBelow(rule: IgnoreRule, segs: readonly Segment[], itemAt?: ItemLookup): boolean {
  const c = compile(rule);
  if (!c?.pattern || c.pattern.length <= segs.length) return false;
  return patternMatches(c.pattern.slice(0, segs.length), segs, itemAt);
}
