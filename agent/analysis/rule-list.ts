// /api/v1/rules: every ignore rule the agent applies, where it is written, and how many drifted
// fields it made not drift as of each object's last analysis (RuleTally). Git annotations are
// summarised by path: one row per path, with how many objects name it.
import {
  annotatedFields,
  CATALOG_NAMES,
  DEFAULT_IGNORE_MANAGERS,
  IGNORE_CATALOG,
  type EngineRules,
  type RuleHits,
} from '../../shared/engine/index.ts';
import type { RuleList, RuleStatus } from '../../shared/api/rule-shapes.ts';
import type { DesiredView } from '../git/desired-view.ts';

const DEFAULT_MANAGERS_TEXT = JSON.stringify(DEFAULT_IGNORE_MANAGERS);

/** How many desired objects name each path in their annotation. */
function annotatedPaths(desired: DesiredView): Map<string, number> {
  const out = new Map<string, number>();
  for (const [, entry] of desired.entries())
    for (const path of annotatedFields(entry.desired.object)?.paths ?? [])
      out.set(path, (out.get(path) ?? 0) + 1);
  return out;
}

export function ruleList(rules: EngineRules, hits: RuleHits, desired: DesiredView): RuleList {
  const matched = (rule: object) => hits.rules.get(rule) ?? 0;
  const out: RuleStatus[] = (rules.ignore ?? []).map((rule, i) => ({
    id: `ignore[${i}]`,
    origin: 'config',
    rule,
    matched_fields: matched(rule),
  }));
  const managersOrigin =
    JSON.stringify(rules.ignore_managers) === DEFAULT_MANAGERS_TEXT ? 'default' : 'config';
  (rules.ignore_managers ?? []).forEach((rule, i) =>
    out.push({ id: `ignore_managers[${i}]`, origin: managersOrigin, rule, matched_fields: matched(rule) }),
  );
  for (const name of CATALOG_NAMES.filter((n) => rules.ignore_catalog?.includes(n)))
    IGNORE_CATALOG[name].rules.forEach((rule, i) =>
      out.push({
        id: `catalog:${name}[${i}]`,
        origin: 'catalog',
        catalog: name,
        rule,
        matched_fields: matched(rule),
      }),
    );
  for (const [path, objects] of [...annotatedPaths(desired)].sort(([a], [b]) => a.localeCompare(b)))
    out.push({
      id: `annotation:${path}`,
      origin: 'annotation',
      rule: { path },
      matched_fields: hits.annotation.get(path) ?? 0,
      objects,
    });
  return { rules: out, count: out.length };
}
