// The property-based round trip against a real API server. For each generated object: apply it
// three ways (client-side apply, server-side apply, create) with the real kubectl, read it back and
// require zero drift; then change one field on the live object with a JSON patch (a field Git sets,
// or an addition Git does not set) and require exactly that change, on its path, with its type.
// A failure throws fast-check's report: the shrunk object, the seed and the path to replay it.
import fc from 'fast-check';
import { stringify } from 'yaml';
import {
  analyzeResource,
  crdSchemas,
  defaultEngineOptions,
  parseManifests,
} from '../../../shared/engine/index.ts';
import type { DriftType, JsonObject, KubeObject } from '../../../shared/types.ts';
import type { ControlPlane } from '../../cluster/control-plane.ts';
import { FUZZ_CRD, kindArbitraries, type Generated } from './arbitraries.ts';
import { loadSchemas } from './openapi.ts';

export const NAMESPACE = 'fuzz';
const MODES = [
  { name: 'csa', args: ['apply', '-f', '-'] },
  { name: 'ssa', args: ['apply', '--server-side', '-f', '-'] },
  { name: 'create', args: ['create', '-f', '-'] },
] as const;

export interface FuzzStats {
  runs: number;
  rejected: number;
  /** Server messages of rejected objects (first few), so the generator can be tightened. */
  rejections: string[];
  mutations: number;
  byKind: Record<string, number>;
}

export interface Mutation {
  patch: JsonObject[];
  path: string;
  type: DriftType;
}

export const POD_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export function get(o: JsonObject, path: string[]): JsonObject | undefined {
  let cur: unknown = o;
  for (const p of path) cur = cur && typeof cur === 'object' ? (cur as JsonObject)[p] : undefined;
  return cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as JsonObject) : undefined;
}

/** Single-field changes that apply to this live object, each with the detail it must produce. */
export function mutations(kind: string, live: KubeObject): Mutation[] {
  const out: Mutation[] = [];
  const hasLabels = live.metadata['labels'] !== undefined;
  out.push({
    patch: hasLabels
      ? [{ op: 'add', path: '/metadata/labels/fuzzmut', value: 'x' }]
      : [{ op: 'add', path: '/metadata/labels', value: { fuzzmut: 'x' } }],
    path: 'metadata.labels.fuzzmut',
    type: 'LabelChange',
  });
  const hasAnn = live.metadata['annotations'] !== undefined;
  out.push({
    patch: hasAnn
      ? [{ op: 'add', path: '/metadata/annotations/fuzzmut', value: 'x' }]
      : [{ op: 'add', path: '/metadata/annotations', value: { fuzzmut: 'x' } }],
    path: 'metadata.annotations.fuzzmut',
    type: 'AnnotationChange',
  });
  const podPath = POD_PATHS[kind];
  const pod = podPath ? get(live, podPath) : undefined;
  const c0 = pod && Array.isArray(pod['containers']) ? (pod['containers'][0] as JsonObject) : undefined;
  // A Job's pod template is immutable.
  if (podPath && c0 && kind !== 'Job')
    out.push({
      patch: [{ op: 'replace', path: `/${podPath.join('/')}/containers/0/image`, value: 'nginx:9.9.9-fuzz' }],
      path: `${podPath.join('.')}.containers[name=${String(c0['name'])}].image`,
      type: 'VersionChange',
    });
  const spec = get(live, ['spec']);
  if (['Deployment', 'StatefulSet', 'ReplicaSet'].includes(kind) && typeof spec?.['replicas'] === 'number')
    out.push({
      patch: [{ op: 'replace', path: '/spec/replicas', value: spec['replicas'] + 1 }],
      path: 'spec.replicas',
      type: 'Scaling',
    });
  if (kind === 'ConfigMap')
    out.push({
      patch: live['data']
        ? [{ op: 'add', path: '/data/fuzzmut', value: 'x' }]
        : [{ op: 'add', path: '/data', value: { fuzzmut: 'x' } }],
      path: 'data.fuzzmut',
      type: 'ConfigMapChange',
    });
  if (kind === 'Secret')
    out.push({
      patch: live['data']
        ? [{ op: 'add', path: '/data/fuzzmut', value: 'eA==' }]
        : [{ op: 'add', path: '/data', value: { fuzzmut: 'eA==' } }],
      path: 'data.fuzzmut',
      type: 'SecretChange',
    });
  const ports = kind === 'Service' && Array.isArray(spec?.['ports']) ? (spec['ports'] as JsonObject[]) : [];
  const p0 = ports[0];
  if (p0) {
    const proto = typeof p0['protocol'] === 'string' ? p0['protocol'] : 'TCP';
    out.push({
      patch: [{ op: 'replace', path: '/spec/ports/0/targetPort', value: 'fuzzmut' }],
      path: `spec.ports[port=${String(p0['port'])}${proto === 'TCP' ? '' : `,protocol=${proto}`}].targetPort`,
      type: 'PortChange',
    });
  }
  return out;
}

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** Only these kinds (default: every supported kind). */
  kinds?: string[];
  /** The namespace the objects go to (created when missing; default `fuzz`). */
  namespace?: string;
}

export const GROUP_VERSIONS = ['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/networking.k8s.io/v1'];

/** Runs the round trip; throws fast-check's failure report (seed, path, shrunk counterexample). */
export async function fuzzRoundTrip(plane: ControlPlane, opts: FuzzOptions): Promise<FuzzStats> {
  const schemas = await loadSchemas((p) => plane.kubectlOk(['get', '--raw', p]), GROUP_VERSIONS);
  const ns = opts.namespace ?? NAMESPACE;
  await plane.kubectl(['create', 'namespace', ns]);
  await plane.kubectl(['create', 'configmap', 'cfg', '-n', ns]);
  const arbs = kindArbitraries(schemas, 'x');
  const kinds = opts.kinds ?? Object.keys(arbs);
  const stats: FuzzStats = { runs: 0, rejected: 0, rejections: [], mutations: 0, byKind: {} };
  let counter = 0;
  await plane.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(FUZZ_CRD) });
  await plane.kubectlOk(['wait', '--for=condition=Established', 'crd/fuzzwidgets.fuzz.example.com']);
  // The engine gets the CRD as the server holds it, as the agent and analyze --local read it.
  const crd = JSON.parse(
    await plane.kubectlOk(['get', 'crd/fuzzwidgets.fuzz.example.com', '-o', 'json']),
  ) as JsonObject;
  const engine = defaultEngineOptions({ defaultNamespace: ns, crdSchemas: crdSchemas([crd]) });
  const perKind = Math.max(1, Math.ceil(opts.runs / kinds.length));
  for (const [i, kind] of kinds.entries()) {
    const arb = arbs[kind];
    if (!arb) throw new Error(`no generator for ${kind}`);
    const property = fc.asyncProperty(arb, fc.nat(), async (gen: Generated, pick: number) => {
      const base = `f${++counter}`;
      const docs = MODES.map((m) => {
        const o = structuredClone(gen.object) as KubeObject;
        o.metadata['name'] = gen.clusterScoped ? `fuzz:${base}-${m.name}` : `${base}-${m.name}`;
        // YAML 1.1 quoting, as kubectl reads it: a string `on` or `0644` stays a string.
        return { mode: m, name: String(o.metadata['name']), text: stringify(o, { version: '1.1' }) };
      });
      for (const d of docs) {
        const r = await plane.kubectl(['-n', ns, ...d.mode.args], { input: d.text });
        if (r.code !== 0) {
          stats.rejected++;
          if (stats.rejections.length < 20)
            stats.rejections.push(`${kind} (${d.mode.name}): ${r.stderr.trim().split('\n')[0] ?? ''}`);
          fc.pre(false);
        }
      }
      stats.runs++;
      stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
      const read = async (): Promise<KubeObject[]> => {
        const out = JSON.parse(
          await plane.kubectlOk([
            'get',
            gen.resource,
            ...docs.map((d) => d.name),
            '-n',
            ns,
            '-o',
            'json',
            '--show-managed-fields',
          ]),
        ) as { items: KubeObject[] };
        return out.items;
      };
      const lives = await read();
      const results = docs.map((d) => {
        const parsed = parseManifests([{ path: `${d.name}.yaml`, content: d.text }], engine);
        const desired = parsed.objects[0];
        if (!desired) throw new Error(`cannot parse what kubectl accepted: ${JSON.stringify(parsed.errors)}`);
        const live = lives.find((l) => l.metadata['name'] === d.name);
        if (!live) throw new Error(`${d.name} not read back`);
        return { d, desired, live, r: analyzeResource(desired, live, engine, { gitCommit: null }) };
      });
      for (const { d, r } of results)
        if (r.drift_detected)
          throw new Error(`${d.mode.name}: false positive ${JSON.stringify(r.drift_details)}`);
      // One random single-field change on the client-side-applied object must be found exactly.
      const first = results[0];
      if (!first) return;
      const ms = mutations(kind, first.live);
      const m = ms[pick % ms.length];
      if (!m) return;
      await plane.kubectlOk([
        'patch',
        gen.resource,
        first.d.name,
        '-n',
        ns,
        '--type=json',
        '-p',
        JSON.stringify(m.patch),
      ]);
      stats.mutations++;
      const after = (await read()).find((l) => l.metadata['name'] === first.d.name);
      const r = analyzeResource(first.desired, after, engine, { gitCommit: null });
      const found = r.drift_details.map((x) => `${x.path} ${x.type}`);
      if (found.length !== 1 || found[0] !== `${m.path} ${m.type}`)
        throw new Error(
          `mutation ${JSON.stringify(m.patch)}: expected [${m.path} ${m.type}], got ${JSON.stringify(found)}`,
        );
    });
    await fc.assert(property, {
      seed: opts.seed + i,
      numRuns: perKind,
      endOnFailure: false,
      maxSkipsPerRun: 10,
    });
  }
  return stats;
}
