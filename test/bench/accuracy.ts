// Accuracy, on a fresh full cluster: false positives on ../shared/corpus and on
// ../shared/render-corpus (rendered by the project's renderer with the real kustomize and helm)
// in three apply modes, compared after settle() (corpus.ts, the corpus round trip's own code);
// then missed and misclassified drifts over a generated mutation suite: objects from the fuzzer's
// generators, one copy per mutation, each copy changed by one real kubectl command and analysed.
// Every drift type the engine defines is made: the fuzzer's single-field mutations, plus
// resources, volumes and a plain setting of pod templates, a deleted object (Missing), an
// undeclared object (Unmanaged) and a generator's left-over ConfigMap (Superseded). Asserts nothing.
import fc from 'fast-check';
import { stringify } from 'yaml';
import {
  analyzeResource,
  crdSchemas,
  declaredIndex,
  defaultEngineOptions,
  parseManifests,
  unmanagedResult,
  type DesiredObject,
  type EngineOptions,
} from '../../shared/engine/index.ts';
import {
  DRIFT_TYPES,
  type DriftResult,
  type DriftType,
  type JsonObject,
  type KubeObject,
} from '../../shared/types.ts';
import { KubeConfig } from '@kubernetes/client-node';
import { Confirmer } from '../../shared/node/kube/confirm/index.ts';
import { ConfirmStage } from '../../shared/node/kube/confirm/stage.ts';
import { Discovery } from '../../shared/node/kube/discovery.ts';
import { render, type Rendered } from '../../shared/node/render/index.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import {
  APPLY_MODES,
  corpusFileGroups,
  CORPUS_KINDS,
  RENDER_CORPUS,
  roundTrip,
  type CorpusGroup,
} from '../engine/corpus.ts';
import { FUZZ_CRD, kindArbitraries, type Generated } from '../engine/fuzz/arbitraries.ts';
import { loadSchemas } from '../engine/fuzz/openapi.ts';
import { get, GROUP_VERSIONS, mutations, POD_PATHS, type Mutation } from '../engine/fuzz/round-trip.ts';
import { renderTools } from '../render/tools.ts';
import { figure, note } from './report.ts';

const SECTION = 'accuracy';
const NS = 'accuracy';
const SEED = 15_015;
const PODINFO = `${RENDER_CORPUS}/stefanprodan__podinfo`;

/** The render corpus's sources, as the render suites install them. */
const RENDERS: { label: string; path: string; helm?: { values_files?: string[] } }[] = [
  { label: 'podinfo chart', path: 'charts/podinfo' },
  {
    label: 'podinfo chart, production values',
    path: 'charts/podinfo',
    helm: { values_files: ['values-prod.yaml'] },
  },
  { label: 'podinfo kustomize', path: 'kustomize' },
  { label: 'podinfo overlay dev', path: 'deploy/overlays/dev' },
  { label: 'podinfo overlay staging', path: 'deploy/overlays/staging' },
  { label: 'podinfo overlay production', path: 'deploy/overlays/production' },
];

async function renderGroups(): Promise<CorpusGroup[]> {
  const tools = await renderTools();
  const out: CorpusGroup[] = [];
  for (const r of RENDERS) {
    const rendered: Rendered = await render({
      repoDir: PODINFO,
      path: r.path,
      type: 'auto',
      namespace: 'default',
      commit: null,
      helm: { ...r.helm, kube_version: 'auto', api_versions: 'auto' },
      tools,
    });
    out.push({
      label: r.label,
      objects: rendered.objects,
      ignore: [...rendered.unstable, ...rendered.notCompared],
    });
  }
  return out;
}

async function falsePositives(cluster: Cluster): Promise<void> {
  const corpora: [string, CorpusGroup[]][] = [
    ['shared/corpus', corpusFileGroups()],
    ['shared/render-corpus', await renderGroups()],
  ];
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  for (const [name, groups] of corpora)
    for (const mode of APPLY_MODES) {
      // Confirm on, as the agent and analyze --local run by default (the admin's credentials).
      const confirm = new ConfirmStage(new Confirmer(kc, new Discovery(kc), { qps: 50, burst: 100 }), 'off');
      const r = await roundTrip(cluster, mode, groups, {
        prefix: `${name === 'shared/corpus' ? 'c' : 'r'}-${mode.name}`,
        kinds: `${CORPUS_KINDS},poddisruptionbudgets,roles,rolebindings,jobs`,
        confirm,
      });
      const confirmed = r.confirmedFalsePositives ?? [];
      figure({
        section: SECTION,
        name: `false positives with confirm on, ${name}, ${mode.args.slice(0, -2).join(' ')}`,
        value: confirmed.length,
        unit: 'objects',
        goal: '0',
        met: confirmed.length === 0,
        note: `${confirm.requests} dry-run requests for ${confirm.confirmed} objects with suspected drift`,
      });
      for (const fp of confirmed.slice(0, 5))
        note(`false positive, confirm on (${name}, ${mode.name}): ${fp}`);
      figure({
        section: SECTION,
        name: `false positives, ${name}, ${mode.args.slice(0, -2).join(' ')}`,
        value: r.falsePositives.length,
        unit: 'objects',
        goal: '0',
        met: r.falsePositives.length === 0,
        note: `${r.compared} of ${r.objects} namespaced objects accepted and compared`,
      });
      for (const fp of r.falsePositives.slice(0, 5)) note(`false positive (${name}, ${mode.name}): ${fp}`);
    }
}

/** A change made with kubectl and the verdict it must produce. */
interface Planned {
  type: DriftType;
  /** The drift detail must sit at or under this path ('' for Missing/Unmanaged/Superseded). */
  path: string;
  /** JSON patch; null deletes the object. */
  patch: JsonObject[] | null;
}

/** Pod template changes beyond the fuzzer's: resources, a volume, a plain setting. */
function podMutations(kind: string, live: KubeObject): Planned[] {
  const podPath = POD_PATHS[kind];
  const pod = podPath ? get(live, podPath) : undefined;
  const c0 = pod && Array.isArray(pod['containers']) ? (pod['containers'][0] as JsonObject) : undefined;
  if (!podPath || !pod || !c0 || kind === 'Job') return [];
  const at = `/${podPath.join('/')}`;
  const dotted = podPath.join('.');
  const grace =
    typeof pod['terminationGracePeriodSeconds'] === 'number' ? pod['terminationGracePeriodSeconds'] : 30;
  return [
    {
      type: 'ResourceChange',
      path: `${dotted}.containers[name=${String(c0['name'])}].resources`,
      patch: [
        {
          op: 'add',
          path: `${at}/containers/0/resources`,
          value: { limits: { cpu: '3', memory: '3Gi' }, requests: { cpu: '3', memory: '3Gi' } },
        },
      ],
    },
    {
      type: 'VolumeChange',
      path: `${dotted}.volumes`,
      patch: Array.isArray(pod['volumes'])
        ? [{ op: 'add', path: `${at}/volumes/-`, value: { name: 'accvol', emptyDir: {} } }]
        : [{ op: 'add', path: `${at}/volumes`, value: [{ name: 'accvol', emptyDir: {} }] }],
    },
    {
      type: 'ConfigurationChange',
      path: `${dotted}.terminationGracePeriodSeconds`,
      patch: [{ op: 'add', path: `${at}/terminationGracePeriodSeconds`, value: grace + 7 }],
    },
  ];
}

function planFor(kind: string, live: KubeObject): Planned[] {
  const fuzzer = mutations(kind, live).map((m: Mutation) => ({ type: m.type, path: m.path, patch: m.patch }));
  return [...fuzzer, ...podMutations(kind, live), { type: 'Missing', path: '', patch: null }];
}

interface Copy {
  gen: Generated;
  name: string;
  text: string;
  desired: DesiredObject;
  planned?: Planned;
}

interface Tally {
  made: number;
  found: number;
  missed: number;
  misclassified: number;
}

async function createAll(cluster: Cluster, copies: Copy[]): Promise<void> {
  // One List per call: kubectl goes on past an object the server rejects (counted later as not created).
  await cluster.kubectl(['apply', '-n', NS, '-f', '-'], { input: copies.map((c) => c.text).join('---\n') });
}

async function readAll(cluster: Cluster, copies: Copy[]): Promise<Map<string, KubeObject>> {
  const byResource = new Map<string, Copy[]>();
  for (const c of copies) byResource.set(c.gen.resource, [...(byResource.get(c.gen.resource) ?? []), c]);
  const live = new Map<string, KubeObject>();
  for (const [resource, cs] of byResource) {
    const r = await cluster.kubectl([
      'get',
      resource,
      '-n',
      NS,
      '-o',
      'json',
      '--show-managed-fields',
      '--ignore-not-found',
      ...cs.map((c) => c.name),
    ]);
    const items = r.stdout.trim() ? ((JSON.parse(r.stdout) as { items?: KubeObject[] }).items ?? []) : [];
    for (const o of items) live.set(`${resource}/${String(o.metadata['name'])}`, o);
  }
  return live;
}

function copyOf(gen: Generated, name: string, engine: EngineOptions): Copy {
  const o = structuredClone(gen.object) as KubeObject;
  o.metadata['name'] = name;
  // YAML 1.1 quoting, as kubectl reads it: a string `on` or `0644` stays a string.
  const text = stringify(o, { version: '1.1' });
  const desired = parseManifests([{ path: `${name}.yaml`, content: text }], engine).objects[0];
  if (!desired) throw new Error(`cannot parse generated ${gen.kind} ${name}`);
  return { gen, name, text, desired };
}

/** Was the planned change reported, and as what? */
function verdict(r: DriftResult | null, p: Planned): 'found' | 'missed' | 'misclassified' {
  if (!r?.drift_detected) return 'missed';
  if (r.drift_type !== p.type) return 'misclassified';
  if (p.path === '') return 'found';
  const at = r.drift_details.some(
    (d) =>
      d.type === p.type &&
      (d.path === p.path || d.path.startsWith(`${p.path}.`) || d.path.startsWith(`${p.path}[`)),
  );
  return at ? 'found' : 'misclassified';
}

async function mutationSuite(cluster: Cluster): Promise<void> {
  const schemas = await loadSchemas((p) => cluster.kubectlOk(['get', '--raw', p]), GROUP_VERSIONS);
  await cluster.kubectlOk(['create', 'namespace', NS]);
  await cluster.kubectlOk(['create', 'configmap', 'cfg', '-n', NS]);
  await cluster.kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(FUZZ_CRD) });
  await cluster.kubectlOk(['wait', '--for=condition=Established', 'crd/fuzzwidgets.fuzz.example.com']);
  const crd = JSON.parse(
    await cluster.kubectlOk(['get', 'crd/fuzzwidgets.fuzz.example.com', '-o', 'json']),
  ) as JsonObject;
  const engine = defaultEngineOptions({ defaultNamespace: NS, crdSchemas: crdSchemas([crd]) });
  const arbs = kindArbitraries(schemas, 'x');
  // Cluster-scoped kinds are left out: the suite's objects live in one namespace.
  const kinds = Object.keys(arbs).filter(
    (k) => !fc.sample(arbs[k] as fc.Arbitrary<Generated>, { numRuns: 1, seed: SEED })[0]?.clusterScoped,
  );
  const bases: Copy[] = [];
  for (const [i, kind] of kinds.entries()) {
    const samples = fc.sample(arbs[kind] as fc.Arbitrary<Generated>, { numRuns: 2, seed: SEED + i });
    samples.forEach((gen, j) => bases.push(copyOf(gen, `acc-${kind.toLowerCase()}-${j}`, engine)));
  }
  await createAll(cluster, bases);
  const baseLive = await readAll(cluster, bases);
  const created = bases.filter((b) => baseLive.has(`${b.gen.resource}/${b.name}`));
  const copies: Copy[] = [];
  for (const b of created) {
    const live = baseLive.get(`${b.gen.resource}/${b.name}`) as KubeObject;
    planFor(b.gen.kind, live).forEach((p, k) =>
      copies.push({ ...copyOf(b.gen, `${b.name}-m${k}`, engine), planned: p }),
    );
  }
  await createAll(cluster, copies);
  const before = await readAll(cluster, copies);
  const tally = new Map<DriftType, Tally>(
    DRIFT_TYPES.map((t) => [t, { made: 0, found: 0, missed: 0, misclassified: 0 }]),
  );
  let baseline = 0;
  const wrong: string[] = [];
  const made: Copy[] = [];
  for (const c of copies) {
    const live = before.get(`${c.gen.resource}/${c.name}`);
    if (!live || !c.planned) continue;
    if (analyzeResource(c.desired, live, engine, { gitCommit: null }).drift_detected) {
      baseline++; // already drifted before the change: not a fair test of this mutation
      continue;
    }
    // The patch is made for this copy's own live object (same shape as its base's).
    const p =
      c.planned.patch === null
        ? c.planned
        : (planFor(c.gen.kind, live).find((x) => x.type === c.planned?.type && x.path === c.planned.path) ??
          c.planned);
    const r =
      p.patch === null
        ? await cluster.kubectl(['delete', c.gen.resource, c.name, '-n', NS, '--wait=false'])
        : await cluster.kubectl([
            'patch',
            c.gen.resource,
            c.name,
            '-n',
            NS,
            '--type=json',
            '-p',
            JSON.stringify(p.patch),
          ]);
    if (r.code !== 0) continue; // the server refused this change for this object: nothing was made
    made.push({ ...c, planned: p });
  }
  const after = await readAll(cluster, made);
  for (const c of made) {
    const p = c.planned as Planned;
    const t = tally.get(p.type) as Tally;
    const live = after.get(`${c.gen.resource}/${c.name}`);
    if (p.patch === null && live && live.metadata['deletionTimestamp'] === undefined) continue; // not gone yet
    const v = verdict(
      analyzeResource(c.desired, p.patch === null ? undefined : live, engine, { gitCommit: null }),
      p,
    );
    t.made++;
    t[v]++;
    if (v !== 'found' && wrong.length < 10) wrong.push(`${c.gen.kind} ${c.name} ${p.type} ${p.path}: ${v}`);
  }
  // Unmanaged and Superseded: objects no source declares, judged as the agent judges the rest of a
  // namespace. A generator's left-over (created before the hash Git declares) is Superseded; one
  // created after it is a newer hash Git does not hold yet, and an object of no generator, Unmanaged.
  const current = 'acc-gen-5k7m9d2b4f';
  const older = 'acc-gen-7g2c9m5tbk';
  const newer = 'acc-gen-9d2b4f5k7m';
  const planted: [string, DriftType][] = [
    [older, 'Superseded'],
    [newer, 'Unmanaged'],
    ['acc-extra', 'Unmanaged'],
  ];
  for (const name of [older, current, newer, 'acc-extra']) {
    await cluster.kubectlOk(['create', 'configmap', name, '-n', NS, '--from-literal=k=v']);
    // creationTimestamp has whole seconds: one apart, so "before" and "after" are real.
    if (name !== 'acc-extra') await new Promise((r) => setTimeout(r, 1100));
  }
  const readCm = async (name: string) =>
    JSON.parse(
      await cluster.kubectlOk(['get', 'configmap', name, '-n', NS, '-o', 'json', '--show-managed-fields']),
    ) as KubeObject;
  const currentId = `ConfigMap:${NS}:${current}`;
  const currentCreated = String((await readCm(current)).metadata['creationTimestamp'] ?? '');
  const index = declaredIndex([{ id: currentId, kind: 'ConfigMap', namespace: NS, name: current }]);
  const createdAt = (id: string) => (id === currentId ? currentCreated : undefined);
  for (const [name, type] of planted) {
    const live = await readCm(name);
    const r = unmanagedResult(`ConfigMap:${NS}:${name}`, live, index, engine, { gitCommit: null, createdAt });
    const v = verdict(r, { type, path: '', patch: null });
    const t = tally.get(type) as Tally;
    t.made++;
    t[v]++;
    if (v !== 'found') wrong.push(`ConfigMap ${name} ${type}: ${v}`);
  }

  let missed = 0;
  let misclassified = 0;
  let total = 0;
  for (const [type, t] of tally) {
    total += t.made;
    missed += t.missed;
    misclassified += t.misclassified;
    figure({
      section: SECTION,
      name: `mutations ${type}: missed + misclassified`,
      value: t.missed + t.misclassified,
      unit: `of ${t.made}`,
      goal: '0',
      met: t.made > 0 && t.missed + t.misclassified === 0,
      note:
        t.made === 0 ? 'none made' : `found ${t.found}, missed ${t.missed}, misclassified ${t.misclassified}`,
    });
  }
  figure({
    section: SECTION,
    name: 'mutation suite: missed',
    value: missed,
    unit: `of ${total}`,
    goal: '0',
    met: missed === 0,
    note: `${created.length} of ${bases.length} generated objects (${kinds.length} kinds × 2) accepted; ${baseline} copies drifted before any change (left out)`,
  });
  figure({
    section: SECTION,
    name: 'mutation suite: misclassified',
    value: misclassified,
    unit: `of ${total}`,
    goal: '0',
    met: misclassified === 0,
  });
  for (const w of wrong) note(`mutation not found as planned: ${w}`);
}

export async function runAccuracyBench(): Promise<void> {
  console.log('\n# accuracy on a fresh full cluster');
  const cluster = await startCluster();
  try {
    await falsePositives(cluster);
    await mutationSuite(cluster);
  } finally {
    await cluster.stop();
  }
}
