// One CustomResourceDefinition builder for the tests: a kind in a group, namespaced or cluster-wide,
// with one or more versions and the schema of `spec` (defaults included), as kubectl would apply it.
import type { JsonObject, KubeObject } from '../../shared/types.ts';

export interface CrdSpec {
  group: string;
  kind: string;
  /** Default: the kind in lower case with an "s". */
  plural?: string;
  scope?: 'Namespaced' | 'Cluster';
  shortNames?: string[];
  /** The versions served; the first is the storage version. Default: ['v1']. */
  versions?: string[];
  /** The OpenAPI schema of `spec` (the same in every version). */
  spec: JsonObject;
}

export function crd(s: CrdSpec): KubeObject {
  const plural = s.plural ?? `${s.kind.toLowerCase()}s`;
  const versions = s.versions ?? ['v1'];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${s.group}` },
    spec: {
      group: s.group,
      scope: s.scope ?? 'Namespaced',
      names: {
        kind: s.kind,
        plural,
        singular: s.kind.toLowerCase(),
        listKind: `${s.kind}List`,
        ...(s.shortNames ? { shortNames: s.shortNames } : {}),
      },
      versions: versions.map((name, i) => ({
        name,
        served: true,
        storage: i === 0,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: s.spec } } },
      })),
    },
  };
}
