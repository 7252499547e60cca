// `kubectl driftguard ignore RESOURCE --field PATH` and the browser's `i`: the narrowest ignore rule
// for a drifted field (this object's kind with its group, namespace, name, and the field), what it
// would match now among the agent's records, and how to write it: for the agent's config, or as
// the Git annotation on the manifest. Pure: the caller fetches the records.
import {
  annotationText,
  fieldPathPattern,
  groupOf,
  IGNORE_FIELDS_ANNOTATION,
  parsePathPattern,
  ruleCoversField,
  ruleCoversObject,
  type IgnoreRule,
  type Segment,
} from '../../shared/engine/index.ts';
import type { DriftRecord, JsonValue } from '../../shared/types.ts';
import { CliError } from '../errors.ts';

export interface IgnoreMatch {
  resource_id: string;
  path: string;
  desired: JsonValue;
  live: JsonValue;
}

export interface IgnoreProposal {
  rule: IgnoreRule;
  /** Every drifted field of the given records the rule covers now. */
  matches: IgnoreMatch[];
  /** The rule as an entry of drift.rules.ignore in the agent's config. */
  config: string;
  /** The annotation for the manifest in Git. */
  annotation: { key: string; value: string };
  source_file: string | null;
}

/** A drift detail's path as segments (it is written in the pattern language's own syntax). */
function segmentsOf(path: string): Segment[] | null {
  try {
    return parsePathPattern(path).map((p) => {
      if ('field' in p) return { field: p.field };
      if ('where' in p)
        return {
          key: Object.fromEntries(p.where.map((c) => [c.key, c.value])),
          label: p.where.map((c) => `${c.key}=${c.value}`).join(','),
        };
      throw new Error('a drift path has no [*]');
    });
  } catch {
    return null;
  }
}

/** The kind as a rule writes it: `Deployment.apps`, `Certificate.cert-manager.io`, or a core kind alone. */
function ruleKind(record: DriftRecord): string {
  const group = groupOf(record.api_version ?? '');
  return group ? `${record.kind}.${group}` : record.kind;
}

/** The narrowest rule for `field` of this record: its object, that field. */
export function narrowestRule(record: DriftRecord, field: string): IgnoreRule {
  const checked = fieldPathPattern.safeParse(field);
  if (!checked.success) throw new CliError(`--field: ${checked.error.issues[0]?.message ?? 'not a path'}`);
  return {
    kind: ruleKind(record),
    ...(record.namespace ? { namespace: record.namespace } : {}),
    name: record.name,
    path: field,
  };
}

/** The drifted fields of `records` the rule covers now (rules with a selector: labels are not in records). */
export function matchesNow(rule: IgnoreRule, records: readonly DriftRecord[]): IgnoreMatch[] {
  const out: IgnoreMatch[] = [];
  for (const r of records) {
    const facts = {
      kind: r.kind,
      group: groupOf(r.api_version ?? ''),
      namespace: r.namespace,
      name: r.name,
      labels: {},
      source: r.source ?? undefined,
    };
    if (!ruleCoversObject(rule, facts)) continue;
    for (const d of r.drift_details) {
      const segs = segmentsOf(d.path);
      if (segs && ruleCoversField(rule, { segs, manager: d.manager }))
        out.push({
          resource_id: r.resource_id,
          path: d.path,
          desired: d.desired ?? null,
          live: d.live ?? null,
        });
    }
  }
  return out;
}

function yamlScalar(v: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(v) && !/^(true|false|yes|no|null|~|\d.*)$/i.test(v)
    ? v
    : JSON.stringify(v);
}

/** The rule as a YAML list entry of `drift.rules.ignore`. */
export function configEntry(rule: IgnoreRule): string {
  const lines = Object.entries(rule).map(([k, v]) =>
    Array.isArray(v)
      ? `${k}: [${v.map((x) => yamlScalar(String(x))).join(', ')}]`
      : `${k}: ${yamlScalar(String(v))}`,
  );
  return lines.map((l, i) => `${i === 0 ? '- ' : '  '}${l}`).join('\n');
}

export function proposeIgnore(
  record: DriftRecord,
  field: string,
  records: readonly DriftRecord[],
): IgnoreProposal {
  const rule = narrowestRule(record, field);
  const matches = matchesNow(
    rule,
    records.some((r) => r.resource_id === record.resource_id) ? records : [record, ...records],
  );
  if (!matches.some((m) => m.resource_id === record.resource_id)) {
    const paths = record.drift_details.map((d) => d.path).join(', ') || 'none';
    throw new CliError(`--field ${field} covers none of ${record.resource_id}'s drifted fields (${paths})`);
  }
  return {
    rule,
    matches,
    config: configEntry(rule),
    annotation: { key: IGNORE_FIELDS_ANNOTATION, value: annotationText([field]) },
    source_file: record.source_file ?? null,
  };
}
