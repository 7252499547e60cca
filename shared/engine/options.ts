// Engine options. `rules` comes straight from the user's YAML config file; its schema and lenient
// reader are in rules.ts.
import type { CrdSchemas } from './crd-schema.ts';
import type { KindScopes } from './identity.ts';
import type { ListTables } from './list-table.ts';
import { readRules, type EngineRules, type IgnoreManagersRule } from './rules.ts';

export type { EngineRules, IgnoreManagersRule, IgnoreRule } from './rules.ts';

export interface EngineOptions {
  /** Namespace given to namespaced objects that do not name one (like `kubectl apply` without -n). */
  defaultNamespace: string;
  rules: EngineRules;
  /** Salt for Secret value hashes; keep it stable across restarts so hashes stay comparable. */
  secretSalt: string;
  /** Kind key → namespaced, from the API server's discovery (CRDs included); absent: built-in table. */
  scopes?: KindScopes;
  /** The structural schemas of the cluster's CRDs; custom resources get their defaults from them. */
  crdSchemas?: CrdSchemas;
  /**
   * Built-in kinds' list tables from the served /openapi/v3, by `apiVersion/kind` (list-table.ts);
   * a kind without one compares its lists by path.ts's fallback table.
   */
  listTables?: ListTables;
  /**
   * Ids of Jobs the adapters have evidence finished; an absent one Git gives a
   * `ttlSecondsAfterFinished` was removed by its TTL, as Git asked: not Missing (job-ttl.ts).
   */
  finishedJobs?: ReadonlySet<string>;
  /**
   * Ids of the workloads a HorizontalPodAutoscaler targets, as the adapters read them. Given, a
   * `spec.replicas` no manager owns is drift on the others (ownership.ts: a scale of an object
   * applied server-side leaves no owner); absent, it is not (an autoscaler could have written it).
   */
  autoscaled?: ReadonlySet<string>;
  /**
   * The source declaring the object compared (set per object by the agent): ignore rules with
   * `source:` match it. Absent (analyze --local): such rules match nothing.
   */
  source?: string;
}

/**
 * Autoscalers write spec.replicas through the scale subresource; that is their job, not drift.
 * kube-controller-manager is the HPA controller's manager name; keda-operator and vpa-updater
 * cover KEDA and the VPA (in-place resize).
 */
export const DEFAULT_IGNORE_MANAGERS: IgnoreManagersRule[] = [
  {
    path: 'spec.replicas',
    managers: [
      'kube-controller-manager',
      'horizontal-pod-autoscaler',
      'keda-operator',
      'vpa-updater',
      'cluster-autoscaler',
    ],
  },
];

export const DEFAULT_SECRET_SALT = 'driftguard/v1';

export function defaultEngineOptions(overrides: Partial<EngineOptions> = {}): EngineOptions {
  return {
    defaultNamespace: 'default',
    secretSalt: DEFAULT_SECRET_SALT,
    ...overrides,
    rules: {
      ignore_managers: DEFAULT_IGNORE_MANAGERS.map((r) => ({ path: r.path, managers: [...r.managers] })),
      ...overrides.rules,
    },
  };
}

/**
 * Validate the `rules` section of a config file (schemas in rules.ts). Invalid entries are dropped
 * (the rest still applies) and each produces one message naming its key, e.g.
 * `rules.severity.Foo: unknown drift type`. A missing `ignore_managers` keeps the autoscaler
 * default; an explicit list replaces it.
 */
export function validateRules(input: unknown): { rules: EngineRules; errors: string[] } {
  return readRules(input, { ignore_managers: defaultEngineOptions().rules.ignore_managers ?? [] });
}
