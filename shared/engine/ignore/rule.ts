// An ignore rule, declared once: the agent's config (`drift.rules.ignore`), the shipped catalog,
// the API (/api/v1/rules, OpenAPI) and the Git annotation's paths are all read with this schema.
// Today's rules (kind/namespace/name globs and a path prefix) are rules of this language too.
import { z } from 'zod';
import { strictMap } from '../../schema.ts';
import { pathPatternProblem } from './path-pattern.ts';
import { selectorProblem } from './selector.ts';

/** What a wrong value was, after "got": `string "critical"`, `a list`. */
export function given(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a map' : `${typeof v} ${JSON.stringify(v)}`;
}

export const got =
  (expected: string) =>
  (issue: { input?: unknown }): string =>
    `${expected}, got ${given(issue.input)}`;

export const nonEmpty = () =>
  z
    .string({ error: got('expected a non-empty string') })
    .min(1, { error: got('expected a non-empty string'), abort: true });

const globs = (what: string) =>
  z
    .array(nonEmpty(), { error: got(`expected a non-empty list of ${what}`) })
    .min(1, { error: got(`expected a non-empty list of ${what}`) });

/** `Deployment`, `Deployment.apps`, `Certificate.cert-manager.io`, `*.cert-manager.io`. */
const KIND = /^[A-Za-z*][A-Za-z0-9*]*(\.[a-z0-9*]([-.a-z0-9*]*[a-z0-9*])?)?$/;

const kind = nonEmpty()
  .refine((k) => KIND.test(k), {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a kind (Kind, or Kind.group such as Deployment.apps; * globs)`,
  })
  .describe(
    'A kind, `*` globs allowed; `Kind.group` (`Deployment.apps`) names the group too, a plain kind any group.',
  );

/** A field path pattern (path-pattern.ts), checked by its parser. */
export const fieldPathPattern = nonEmpty()
  .superRefine((text, ctx) => {
    const problem = pathPatternProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe(
    'A field and everything under it: `spec.replicas`, `metadata.labels["app.kubernetes.io/name"]`, list items by key or content `spec.template.spec.containers[name=istio-proxy]`, every item `webhooks[*].clientConfig.caBundle`.',
  );

const selector = nonEmpty()
  .superRefine((text, ctx) => {
    const problem = selectorProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe(
    'A label selector as kubectl -l takes it (`app=web,tier in (a,b),!legacy`), on the labels Git gives the object.',
  );

const FILTER_KEYS = [
  'kind',
  'namespace',
  'namespaces',
  'name',
  'selector',
  'source',
  'path',
  'managers',
] as const;

/**
 * Drift in a field is not reported when every given member matches: the object (kind, namespace,
 * name, labels, source) and the field (path, and the field manager that last wrote it live).
 */
export const ignoreRuleSchema = strictMap(
  {
    kind: kind.optional(),
    namespace: nonEmpty().describe('A namespace glob.').optional(),
    namespaces: globs('namespace globs').describe('Namespace globs; any one matches.').optional(),
    name: nonEmpty().describe('An object name glob.').optional(),
    selector: selector.optional(),
    source: nonEmpty()
      .describe('A source name glob (`sources[].name`; the `git:` section is `default`).')
      .optional(),
    path: fieldPathPattern.optional(),
    managers: globs('field manager globs')
      .describe('Only fields whose live value this field manager wrote last (globs; any one matches).')
      .optional(),
  },
  got(`expected a map with ${FILTER_KEYS.join('/')}`),
)
  .refine((rule) => Object.keys(rule).length > 0, {
    // Only a rule whose keys are all valid can be empty; an unknown key is reported on its own.
    when: (payload) => payload.issues.length === 0,
    error: `empty rule would ignore everything; set at least one of ${FILTER_KEYS.join(', ')}`,
  })
  .describe('An ignore rule: drift in the fields it names is not reported.');

export type IgnoreRule = z.output<typeof ignoreRuleSchema>;
