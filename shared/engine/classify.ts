// Table-driven classification of a drifted path into a DriftType. The first matching rule wins, so
// specific rules (Secret data, image) come before general ones (any other spec field).
import type { DriftType, JsonValue, Severity } from '../types.ts';
import { SEVERITY_RANK } from '../types.ts';
import { isObject } from './json.ts';
import { isSecretValuePath } from './secrets.ts';

export const DEFAULT_SEVERITY: Record<DriftType, Severity> = {
  Scaling: 'medium',
  VersionChange: 'high',
  ResourceChange: 'medium',
  ConfigurationChange: 'medium',
  LabelChange: 'low',
  AnnotationChange: 'low',
  PortChange: 'medium',
  VolumeChange: 'medium',
  SecretChange: 'high',
  ConfigMapChange: 'medium',
  Missing: 'high',
  /** In a tracked namespace, declared by no source and owned by nothing (drift.unmanaged). */
  Unmanaged: 'low',
  /** A Kustomize generator's ConfigMap/Secret left behind by an earlier hash of one Git still declares. */
  Superseded: 'low',
};

/** Tie-break between equally severe details: earlier wins as the resource's drift_type. */
export const TYPE_PRIORITY: readonly DriftType[] = [
  'Missing',
  'SecretChange',
  'VersionChange',
  'Scaling',
  'ResourceChange',
  'PortChange',
  'VolumeChange',
  'ConfigMapChange',
  'ConfigurationChange',
  'LabelChange',
  'AnnotationChange',
  'Unmanaged',
  'Superseded',
];

export interface ClassifyInput {
  kind: string;
  path: string;
  desired: JsonValue | undefined;
  live: JsonValue | undefined;
}

function mentions(v: JsonValue | undefined, key: string): boolean {
  if (Array.isArray(v)) return v.some((x) => mentions(x, key));
  if (!isObject(v)) return false;
  return Object.entries(v).some(([k, x]) => k === key || mentions(x, key));
}

/** Does the path, or the value on either side, refer to `key` (e.g. a whole env item with a secretKeyRef)? */
function refers(i: ClassifyInput, key: string): boolean {
  return (
    new RegExp(`(^|\\.)${key}(\\.|\\[|$)`).test(i.path) || mentions(i.desired, key) || mentions(i.live, key)
  );
}

const CONTAINER = String.raw`(containers|initContainers|ephemeralContainers)\[[^\]]*\]`;

interface Rule {
  type: DriftType;
  when: (i: ClassifyInput) => boolean;
}

export const CLASSIFY_RULES: readonly Rule[] = [
  {
    type: 'SecretChange',
    when: (i) => isSecretValuePath(i.kind, i.path),
  },
  { type: 'ConfigMapChange', when: (i) => i.kind === 'ConfigMap' && /^(data|binaryData)\b/.test(i.path) },
  { type: 'LabelChange', when: (i) => /(^|\.)metadata\.labels\b/.test(i.path) },
  { type: 'AnnotationChange', when: (i) => /(^|\.)metadata\.annotations\b/.test(i.path) },
  {
    type: 'Scaling',
    when: (i) =>
      i.path === 'spec.replicas' ||
      (i.kind === 'HorizontalPodAutoscaler' && /^spec\.(min|max)Replicas$/.test(i.path)),
  },
  { type: 'VersionChange', when: (i) => new RegExp(`${CONTAINER}\\.image$`).test(i.path) },
  {
    type: 'SecretChange',
    when: (i) =>
      /\.(env|envFrom|volumes)\[/.test(i.path) &&
      (refers(i, 'secretKeyRef') || refers(i, 'secretRef') || refers(i, 'secret')),
  },
  {
    type: 'ConfigMapChange',
    when: (i) =>
      /\.(env|envFrom|volumes)\[/.test(i.path) &&
      (refers(i, 'configMapKeyRef') || refers(i, 'configMapRef') || refers(i, 'configMap')),
  },
  {
    type: 'VolumeChange',
    when: (i) => /\.(volumes|volumeMounts|volumeDevices)(\[|$)|^spec\.volumeClaimTemplates/.test(i.path),
  },
  { type: 'ResourceChange', when: (i) => /(^|\.)resources(\.|$|\[)/.test(i.path) },
  {
    type: 'PortChange',
    when: (i) =>
      new RegExp(`${CONTAINER}\\.ports(\\[|$)`).test(i.path) ||
      (i.kind === 'Service' && /^spec\.ports(\[|$)/.test(i.path)),
  },
];

export function classify(i: ClassifyInput): DriftType {
  return CLASSIFY_RULES.find((r) => r.when(i))?.type ?? 'ConfigurationChange';
}

export function severityOf(
  type: DriftType,
  overrides: Partial<Record<DriftType, Severity>> | undefined,
): Severity {
  return overrides?.[type] ?? DEFAULT_SEVERITY[type];
}

/** The resource's type and severity: its most severe detail, ties broken by TYPE_PRIORITY. */
export function worst(
  details: readonly { type: DriftType; severity: Severity }[],
): { type: DriftType; severity: Severity } | null {
  let best: { type: DriftType; severity: Severity } | null = null;
  for (const d of details) {
    if (
      !best ||
      SEVERITY_RANK[d.severity] > SEVERITY_RANK[best.severity] ||
      (SEVERITY_RANK[d.severity] === SEVERITY_RANK[best.severity] &&
        TYPE_PRIORITY.indexOf(d.type) < TYPE_PRIORITY.indexOf(best.type))
    ) {
      best = { type: d.type, severity: d.severity };
    }
  }
  return best;
}
