// The ignore rules that apply to one object, and the first of them that covers a drifted field:
// the config's rules, the catalog entries it names, the field-manager rules, and the paths of the
// object's own driftguard.io/ignore-fields annotation. Each hit is counted by rule, so the agent
// can say how many fields every rule matched (/api/v1/rules).
import type { KubeObject } from '../../types.ts';
import { groupOf } from '../identity.ts';
import { isObject } from '../json.ts';
import type { EngineRules } from '../rules.ts';
import { annotatedFields } from './annotation.ts';
import { catalogRules } from './catalog.ts';
import { ruleCoversField, ruleCoversObject, type FieldFacts, type ObjectFacts } from './match.ts';
import type { IgnoreRule } from './rule.ts';

/**
 * Fields each rule made not drift in one comparison: config, catalog and ignore_managers rules by
 * rule object (the objects of EngineOptions.rules and IGNORE_CATALOG), annotation rules by path.
 */
export interface RuleHits {
  rules: Map<object, number>;
  annotation: Map<string, number>;
}

export function emptyHits(): RuleHits {
  return { rules: new Map(), annotation: new Map() };
}

type Applied = { rule: IgnoreRule; annotation?: string };

/** An annotation's rules, made once per desired object (their compiled paths are cached by rule). */
const annotationCache = new WeakMap<KubeObject, Applied[]>();

function annotationRules(object: KubeObject): Applied[] {
  let out = annotationCache.get(object);
  if (!out) {
    out = (annotatedFields(object)?.paths ?? []).map((path) => ({ rule: { path }, annotation: path }));
    annotationCache.set(object, out);
  }
  return out;
}

function labelsOf(object: KubeObject): Record<string, string> {
  const labels = object.metadata['labels'];
  if (!isObject(labels)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function objectFacts(
  object: KubeObject,
  namespace: string,
  name: string,
  source: string | undefined,
): ObjectFacts {
  return {
    kind: object.kind,
    group: groupOf(typeof object.apiVersion === 'string' ? object.apiVersion : ''),
    namespace,
    name,
    labels: labelsOf(object),
    source,
  };
}

/** The rules whose object filters hold for this object, in the order they are tried. */
export function rulesFor(object: KubeObject, facts: ObjectFacts, rules: EngineRules): Applied[] {
  const own: Applied[] = [
    ...(rules.ignore ?? []).map((rule) => ({ rule })),
    ...catalogRules(rules.ignore_catalog).map(({ rule }) => ({ rule })),
  ].filter(({ rule }) => ruleCoversObject(rule, facts));
  return [...own, ...annotationRules(object), ...(rules.ignore_managers ?? []).map((rule) => ({ rule }))];
}

/** The first rule covering the field, counted in `hits`; null when none does. */
export function ignoringRule(
  applied: readonly Applied[],
  field: FieldFacts,
  hits?: RuleHits,
): Applied | null {
  const found = applied.find(({ rule }) => ruleCoversField(rule, field)) ?? null;
  if (found && hits) {
    if (found.annotation !== undefined)
      hits.annotation.set(found.annotation, (hits.annotation.get(found.annotation) ?? 0) + 1);
    else hits.rules.set(found.rule, (hits.rules.get(found.rule) ?? 0) + 1);
  }
  return found;
}

/**
 * Whether any rule with object filters (config or catalog) covers this object, or it carries the
 * annotation: what could make its hits other than field-manager rules. Rules without object filters
 * cover every object.
 */
export function targetedByRules(
  object: KubeObject,
  namespace: string,
  name: string,
  source: string | undefined,
  rules: EngineRules,
): boolean {
  if (annotationRules(object).length > 0) return true;
  const facts = objectFacts(object, namespace, name, source);
  return [...(rules.ignore ?? []), ...catalogRules(rules.ignore_catalog).map(({ rule }) => rule)].some((r) =>
    ruleCoversObject(r, facts),
  );
}
