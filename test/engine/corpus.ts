// The corpus round trip, shared by its test (corpus-round-trip.test.ts) and the bench's accuracy
// section: objects grouped as they came (one corpus file, or one render), each group in a
// namespace of its own per apply mode so names never collide, applied with the real kubectl,
// read back with managedFields once the controllers have settled, and compared with the engine.
// Whatever the server defaulted or rewrote must not count as drift.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  analyzeResource,
  defaultEngineOptions,
  parseManifests,
  type DesiredObject,
  type IgnoreRule,
} from '../../shared/engine/index.ts';
import type { ConfirmStage } from '../../shared/node/kube/confirm/stage.ts';
import { loadKubeConfig } from '../../shared/node/kube/config.ts';
import { builtinApiVersions, readListTables } from '../../shared/node/kube/openapi-lists.ts';
import type { KubeObject } from '../../shared/types.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { CORPUS } from '../kit/shared-data.ts';

export { CORPUS, RENDER_CORPUS } from '../kit/shared-data.ts';

export const APPLY_MODES: readonly { name: string; args: string[] }[] = [
  { name: 'csa', args: ['apply', '-f', '-'] },
  { name: 'ssa', args: ['apply', '--server-side', '-f', '-'] },
  { name: 'create', args: ['create', '-f', '-'] },
];

/** Objects that belong together (one file, one render), with the ignore rules their source adds. */
export interface CorpusGroup {
  label: string;
  objects: DesiredObject[];
  ignore?: IgnoreRule[];
}

export function manifestFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return manifestFiles(full);
    return /\.(ya?ml|json)$/.test(name) ? [full] : [];
  });
}

/** One group per file of ../shared/corpus. */
export function corpusFileGroups(): CorpusGroup[] {
  return manifestFiles(CORPUS)
    .sort()
    .map((file) => ({
      label: relative(CORPUS, file),
      objects: parseManifests([{ path: relative(CORPUS, file), content: readFileSync(file) }], {
        defaultNamespace: 'default',
      }).objects,
    }));
}

interface Placed extends DesiredObject {
  group: CorpusGroup;
}

/**
 * Each group's namespaced objects moved into `<mode>-<i>`; Namespaces and cluster-scoped objects
 * are left out (they would collide between modes).
 */
export function placeGroups(
  groups: readonly CorpusGroup[],
  mode: string,
): { objects: Placed[]; namespaces: string[] } {
  const objects: Placed[] = [];
  const namespaces: string[] = [];
  groups.forEach((group, i) => {
    const ns = `${mode}-${i}`;
    for (const o of group.objects) {
      // The parser gives every namespaced object a namespace and removes it from cluster-scoped ones.
      if (o.object.kind === 'Namespace' || o.object.metadata['namespace'] === undefined) continue;
      const object = structuredClone(o.object);
      object.metadata['namespace'] = ns;
      objects.push({
        ...o,
        object,
        id: `${o.object.kind}:${ns}:${String(o.object.metadata['name'])}`,
        group,
      });
    }
    namespaces.push(ns);
  });
  return { objects, namespaces };
}

export const CORPUS_KINDS =
  'deployments,services,persistentvolumeclaims,serviceaccounts,secrets,horizontalpodautoscalers,replicationcontrollers,cronjobs,statefulsets,ingresses,daemonsets,configmaps';

async function liveObjects(plane: Cluster, kinds: string): Promise<Map<string, KubeObject>> {
  const out = JSON.parse(
    await plane.kubectlOk(['get', kinds, '-A', '-o', 'json', '--show-managed-fields']),
  ) as { items: KubeObject[] };
  const map = new Map<string, KubeObject>();
  for (const o of out.items)
    map.set(`${o.kind}:${String(o.metadata['namespace'])}:${String(o.metadata['name'])}`, o);
  return map;
}

export interface RoundTrip {
  /** Namespaced objects offered to the server. */
  objects: number;
  /** Those the server accepted and that were read back and compared. */
  compared: number;
  /** Group-versions whose served list table could not be read (they used the fallback table). */
  listProblems: string[];
  /** `id (source): details` of every compared object reported as drift. */
  falsePositives: string[];
  /** With `opts.confirm`: the same after the confirm stage (the server's dry-run answers). */
  confirmedFalsePositives?: string[];
}

/** Apply `groups` with one mode (prefix `prefix` for its namespaces), settle, compare. */
export async function roundTrip(
  plane: Cluster,
  mode: { name: string; args: string[] },
  groups: readonly CorpusGroup[],
  opts: { prefix?: string; kinds?: string; confirm?: ConfirmStage } = {},
): Promise<RoundTrip> {
  const { objects, namespaces } = placeGroups(groups, opts.prefix ?? mode.name);
  const nsList = {
    apiVersion: 'v1',
    kind: 'List',
    items: namespaces.map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } })),
  };
  await plane.kubectlOk(['create', '-f', '-'], { input: JSON.stringify(nsList) });
  // Some corpus objects use API versions that 1.37 no longer serves: the rest still applies.
  await plane.kubectl(mode.args, {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects.map((o) => o.object) }),
  });
  // Compare only once the controllers have written what they write (revisions, HPA
  // corrections, EndpointSlices): that is the state a user's cluster is in.
  await plane.settle(namespaces);
  const live = await liveObjects(plane, opts.kinds ?? CORPUS_KINDS);
  // The list tables the server serves, as analyze --local and the agent read them.
  const lists = await readListTables(
    loadKubeConfig({ kubeconfig: plane.kubeconfig }),
    builtinApiVersions(objects.filter((o) => live.has(o.id)).map((o) => o.object.apiVersion)),
  );
  const base = defaultEngineOptions({ listTables: lists.tables });
  let compared = 0;
  const falsePositives: string[] = [];
  const confirmedFalsePositives: string[] = [];
  for (const o of objects) {
    const l = live.get(o.id);
    if (!l) continue;
    compared++;
    const engine = o.group.ignore?.length
      ? { ...base, rules: { ...base.rules, ignore: [...(base.rules.ignore ?? []), ...o.group.ignore] } }
      : base;
    const r = analyzeResource(o, l, engine, { gitCommit: null });
    if (r.drift_detected)
      falsePositives.push(`${o.id} (${o.sourceFile}): ${JSON.stringify(r.drift_details)}`);
    if (!opts.confirm) continue;
    const c = await opts.confirm.verdict(o, l, engine, { gitCommit: null });
    if (c.drift_detected)
      confirmedFalsePositives.push(`${o.id} (${o.sourceFile}): ${JSON.stringify(c.drift_details)}`);
  }
  return {
    objects: objects.length,
    compared,
    listProblems: lists.problems,
    falsePositives,
    ...(opts.confirm ? { confirmedFalsePositives } : {}),
  };
}
