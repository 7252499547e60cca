// Engine options. `rules` comes straight from the user's YAML config file, hence snake_case keys and
// a validator that turns untrusted input into typed rules plus one readable message per wrong key.
import { DRIFT_TYPES, SEVERITIES, type DriftType, type Severity } from '../types.ts';
import { isObject } from './json.ts';

export interface IgnoreRule {
  kind?: string;
  namespace?: string;
  name?: string;
  /** Path prefix in the engine's path syntax, e.g. `spec.replicas` or `metadata.annotations.foo`. */
  path?: string;
}

export interface IgnoreManagersRule {
  /** Path prefix; a drifted field under it whose live owner is one of `managers` is not drift. */
  path: string;
  managers: string[];
}

export interface EngineRules {
  severity?: Partial<Record<DriftType, Severity>>;
  ignore?: IgnoreRule[];
  ignore_managers?: IgnoreManagersRule[];
}

export interface EngineOptions {
  /** Namespace given to namespaced objects that do not name one (like `kubectl apply` without -n). */
  defaultNamespace: string;
  rules: EngineRules;
  /** Salt for Secret value hashes; keep it stable across restarts so hashes stay comparable. */
  secretSalt: string;
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

const RULE_KEYS = ['severity', 'ignore', 'ignore_managers'] as const;
const IGNORE_KEYS = ['kind', 'namespace', 'name', 'path'] as const;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a map' : `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * Validate the `rules` section of a config file. Invalid entries are dropped (the rest still
 * applies) and each produces one message naming its key, e.g. `rules.severity.Foo: unknown drift type`.
 * A missing `ignore_managers` keeps the autoscaler default; an explicit list replaces it.
 */
export function validateRules(input: unknown): { rules: EngineRules; errors: string[] } {
  const errors: string[] = [];
  const rules: EngineRules = { ignore_managers: defaultEngineOptions().rules.ignore_managers ?? [] };
  if (input === undefined || input === null) return { rules, errors };
  if (!isObject(input)) return { rules, errors: [`rules: expected a map, got ${describe(input)}`] };

  for (const key of Object.keys(input)) {
    if (!(RULE_KEYS as readonly string[]).includes(key)) {
      errors.push(`rules.${key}: unknown key (expected one of ${RULE_KEYS.join(', ')})`);
    }
  }

  const sev = input['severity'];
  if (sev !== undefined && sev !== null) {
    if (!isObject(sev))
      errors.push(`rules.severity: expected a map of drift type to severity, got ${describe(sev)}`);
    else {
      const out: Partial<Record<DriftType, Severity>> = {};
      for (const [k, v] of Object.entries(sev)) {
        if (!(DRIFT_TYPES as readonly string[]).includes(k)) {
          errors.push(`rules.severity.${k}: unknown drift type (expected one of ${DRIFT_TYPES.join(', ')})`);
        } else if (typeof v !== 'string' || !(SEVERITIES as readonly string[]).includes(v)) {
          errors.push(`rules.severity.${k}: expected one of ${SEVERITIES.join(', ')}, got ${describe(v)}`);
        } else out[k as DriftType] = v as Severity;
      }
      rules.severity = out;
    }
  }

  const ign = input['ignore'];
  if (ign !== undefined && ign !== null) {
    if (!Array.isArray(ign)) errors.push(`rules.ignore: expected a list, got ${describe(ign)}`);
    else {
      rules.ignore = [];
      ign.forEach((item: unknown, i) => {
        const at = `rules.ignore[${i}]`;
        if (!isObject(item)) {
          errors.push(`${at}: expected a map with kind/namespace/name/path, got ${describe(item)}`);
          return;
        }
        const rule: IgnoreRule = {};
        let ok = true;
        for (const [k, v] of Object.entries(item)) {
          if (!(IGNORE_KEYS as readonly string[]).includes(k)) {
            errors.push(`${at}.${k}: unknown key (expected one of ${IGNORE_KEYS.join(', ')})`);
            ok = false;
          } else if (typeof v !== 'string' || v === '') {
            errors.push(`${at}.${k}: expected a non-empty string, got ${describe(v)}`);
            ok = false;
          } else rule[k as (typeof IGNORE_KEYS)[number]] = v;
        }
        if (ok && Object.keys(rule).length === 0) {
          errors.push(
            `${at}: empty rule would ignore everything; set at least one of ${IGNORE_KEYS.join(', ')}`,
          );
          ok = false;
        }
        if (ok) rules.ignore?.push(rule);
      });
    }
  }

  const im = input['ignore_managers'];
  if (im !== undefined && im !== null) {
    if (!Array.isArray(im)) errors.push(`rules.ignore_managers: expected a list, got ${describe(im)}`);
    else {
      rules.ignore_managers = [];
      im.forEach((item: unknown, i) => {
        const at = `rules.ignore_managers[${i}]`;
        if (!isObject(item)) {
          errors.push(`${at}: expected a map with path and managers, got ${describe(item)}`);
          return;
        }
        let ok = true;
        for (const k of Object.keys(item)) {
          if (k !== 'path' && k !== 'managers') {
            errors.push(`${at}.${k}: unknown key (expected path, managers)`);
            ok = false;
          }
        }
        const path = item['path'];
        const managers = item['managers'];
        if (typeof path !== 'string' || path === '') {
          errors.push(`${at}.path: expected a non-empty string, got ${describe(path)}`);
          ok = false;
        }
        if (
          !Array.isArray(managers) ||
          managers.length === 0 ||
          !managers.every((m) => typeof m === 'string' && m !== '')
        ) {
          errors.push(
            `${at}.managers: expected a non-empty list of manager names, got ${describe(managers)}`,
          );
          ok = false;
        }
        if (ok) rules.ignore_managers?.push({ path: path as string, managers: managers as string[] });
      });
    }
  }
  return { rules, errors };
}
