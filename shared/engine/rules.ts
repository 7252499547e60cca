// The engine's rules, declared once with zod: the types are inferred from these schemas, the agent's
// config validates `drift.rules` with them, and validateRules reads untrusted YAML leniently with
// them (a wrong entry is dropped and reported, the rest still applies). Keys are snake_case because
// rules come straight from the user's YAML config file.
import { z } from 'zod';
import { issueMessages, strictMap, withoutNulls } from '../schema.ts';
import { DRIFT_TYPES, SEVERITIES } from '../types.ts';
import { CATALOG_NAMES } from './ignore/catalog.ts';
import { fieldPathPattern, got, ignoreRuleSchema } from './ignore/rule.ts';

export { ignoreRuleSchema } from './ignore/rule.ts';

const severityLevel = z.enum(SEVERITIES, { error: got(`expected one of ${SEVERITIES.join(', ')}`) });

/** Severity per drift type, replacing the type's default severity. */
const severityRules = z.partialRecord(z.enum(DRIFT_TYPES), severityLevel, {
  error: (issue) =>
    // zod reports keys outside the enum as unknown keys of the record.
    (issue.code as string) === 'unrecognized_keys'
      ? `unknown drift type (expected one of ${DRIFT_TYPES.join(', ')})`
      : got('expected a map of drift type to severity')(issue),
});

/** A drifted field under `path` whose live owner is one of `managers` is not drift. */
export const ignoreManagersRuleSchema = strictMap(
  {
    path: fieldPathPattern,
    managers: z
      .array(z.string().min(1), { error: got('expected a non-empty list of manager names') })
      .min(1, { error: got('expected a non-empty list of manager names') }),
  },
  got('expected a map with path and managers'),
);

const RULE_PARTS = {
  severity: severityRules,
  ignore: z.array(ignoreRuleSchema, { error: got('expected a list') }),
  ignore_managers: z.array(ignoreManagersRuleSchema, { error: got('expected a list') }),
  ignore_catalog: z.array(
    z.enum(CATALOG_NAMES, { error: got(`expected one of ${CATALOG_NAMES.join(', ')}`) }),
    { error: got('expected a list of catalog entries') },
  ),
};

/** The `rules` a config file may hold; an empty part (`severity:`) counts as not given. */
export const engineRulesSchema = z.preprocess(
  withoutNulls,
  strictMap(
    {
      severity: RULE_PARTS.severity.optional(),
      ignore: RULE_PARTS.ignore.optional(),
      /** Absent: the autoscaler default (DEFAULT_IGNORE_MANAGERS); an explicit list replaces it. */
      ignore_managers: RULE_PARTS.ignore_managers.optional(),
      /** Entries of the shipped catalog (ignore/catalog.ts) to apply; none unless named. */
      ignore_catalog: RULE_PARTS.ignore_catalog.optional(),
    },
    got('expected a map'),
  ),
);

export type EngineRules = z.output<typeof engineRulesSchema>;
export type { IgnoreRule } from './ignore/rule.ts';
export type IgnoreManagersRule = z.output<typeof ignoreManagersRuleSchema>;

/** The entries of a list that pass `schema`, typed. */
function valid<T>(schema: z.ZodType<T>, items: unknown): T[] | undefined {
  if (!Array.isArray(items)) return undefined;
  return items.flatMap((item) => {
    const r = schema.safeParse(item);
    return r.success ? [r.data] : [];
  });
}

/** The valid parts of rules that failed as a whole: wrong entries dropped, the rest kept. */
function validParts(input: unknown): EngineRules {
  const parts = withoutNulls(input);
  if (typeof parts !== 'object' || parts === null || Array.isArray(parts)) return {};
  const { severity, ignore, ignore_managers, ignore_catalog } = parts as Record<string, unknown>;
  const out: EngineRules = {};
  if (typeof severity === 'object' && severity !== null && !Array.isArray(severity)) {
    const pairs = Object.entries(severity).map(([k, v]) => RULE_PARTS.severity.safeParse({ [k]: v }));
    out.severity = Object.assign(
      {},
      ...pairs.map((p) => (p.success ? p.data : {})),
    ) as EngineRules['severity'];
  }
  const ignores = valid(ignoreRuleSchema, ignore);
  if (ignores) out.ignore = ignores;
  const managers = valid(ignoreManagersRuleSchema, ignore_managers);
  if (managers) out.ignore_managers = managers;
  const catalog = valid(RULE_PARTS.ignore_catalog.element, ignore_catalog);
  if (catalog) out.ignore_catalog = catalog;
  return out;
}

/**
 * Reads rules leniently: the typed rules (wrong entries dropped, the rest applies) and one message
 * per wrong key, e.g. `rules.severity.Foo: unknown drift type`. `defaults` are what an absent part
 * means (the autoscaler ignore_managers).
 */
export function readRules(input: unknown, defaults: EngineRules): { rules: EngineRules; errors: string[] } {
  if (input === undefined || input === null) return { rules: { ...defaults }, errors: [] };
  const parsed = engineRulesSchema.safeParse(input);
  if (parsed.success) return { rules: { ...defaults, ...parsed.data }, errors: [] };
  return {
    rules: { ...defaults, ...validParts(input) },
    errors: issueMessages(parsed.error.issues, ['rules']),
  };
}
