// RBAC that matches the config: the agent's ServiceAccount may get/list/watch exactly the kinds the
// shipped config tracks (plus CRDs, for schema defaults, and HPAs, for which replicas an autoscaler
// owns), write only its Lease and Events, and, with drift.confirm: dry-run, create/patch the
// tracked kinds, which the shipped ValidatingAdmissionPolicy lets through only as dry-runs.
// Checked on the built manifests and, after `kubectl apply -k`, by the API server itself
// (`kubectl auth can-i --as` the ServiceAccount, and real requests as it). The read-only overlay
// keeps reads only, confirm off.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../agent/config/load.ts';
import type { AgentConfig } from '../../agent/config/schema.ts';
import { resolveKinds, type KindInfo } from '../../agent/kube/kinds.ts';
import { loadKubeConfig } from '../../shared/node/kube/config.ts';
import { Discovery } from '../../shared/node/kube/discovery.ts';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { until } from '../kit/poll.ts';
import { MANIFESTS, build, find, type ManifestDoc } from './kustomize.ts';

const SA = 'system:serviceaccount:driftguard:driftguard-agent';
const READS = ['get', 'list', 'watch'];
/** What confirm needs: a dry-run create of Git's object, or a server-side apply dry-run. */
const DRY_RUN_WRITES = ['create', 'patch'];
const POLICY = 'driftguard-agent-dry-run-only';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}
type RoleDoc = ManifestDoc & { rules: Rule[] };
type BindingDoc = ManifestDoc & {
  roleRef: { kind: string; name: string };
  subjects: { kind: string; name: string; namespace?: string }[];
};

/** The roles bound to the agent's ServiceAccount, by the bindings in the manifests. */
function agentRoles(docs: ManifestDoc[]): RoleDoc[] {
  const bindings = docs.filter(
    (d): d is BindingDoc =>
      (d.kind === 'RoleBinding' || d.kind === 'ClusterRoleBinding') &&
      (d as BindingDoc).subjects.some(
        (s) => s.kind === 'ServiceAccount' && s.name === 'driftguard-agent' && s.namespace === 'driftguard',
      ),
  );
  return bindings.map((b) => find(docs, b.roleRef.kind, b.roleRef.name) as RoleDoc);
}

function grants(rules: Rule[], group: string, resource: string, verb: string): boolean {
  return rules.some(
    (r) =>
      (r.apiGroups ?? []).includes(group) &&
      (r.resources ?? []).includes(resource) &&
      r.verbs.includes(verb) &&
      r.resourceNames === undefined,
  );
}

interface AgentDeployment {
  spec: { template: { spec: { containers: { name: string; env?: { name: string; value?: string }[] }[] } } };
}

/** The config the agent runs with: the ConfigMap's file and the plain env values of its container. */
function shippedConfig(docs: ManifestDoc[]): AgentConfig {
  const cm = find(docs, 'ConfigMap', 'driftguard-config') as ManifestDoc & { data: Record<string, string> };
  const agent = find(docs, 'Deployment', 'driftguard-agent') as ManifestDoc & AgentDeployment;
  const env: NodeJS.ProcessEnv = { DRIFTGUARD_DATABASE_URI: 'mongodb://db/' };
  for (const c of agent.spec.template.spec.containers)
    for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return parseConfig(cm.data['config.yaml'] ?? '', env);
}

describe('agent RBAC', () => {
  let plane: ControlPlane;
  let docs: ManifestDoc[];
  let config: AgentConfig;
  /** The config's resource types as the API server's discovery resolves them (group, plural). */
  let kinds: KindInfo[];
  before(async () => {
    docs = await build(MANIFESTS);
    config = shippedConfig(docs);
    assert.equal(config.drift.confirm, 'dry-run', 'the base confirms with dry-runs');
    plane = await startControlPlane();
    const served = await new Discovery(loadKubeConfig({ kubeconfig: plane.kubeconfig })).kinds();
    const resolved = resolveKinds(served, config.kubernetes.resource_types, () => []);
    assert.deepEqual(resolved.problems, []);
    kinds = resolved.kinds;
    await plane.kubectlOk(['apply', '-k', MANIFESTS]);
  });
  after(async () => {
    await plane?.stop();
  });

  it('every tracked kind has get, list and watch cluster-wide', () => {
    const reader = find(docs, 'ClusterRole', 'driftguard-agent') as RoleDoc;
    assert.equal(kinds.length, config.kubernetes.resource_types.length);
    for (const info of kinds) {
      for (const verb of READS)
        assert.ok(
          grants(reader.rules, info.group, info.plural, verb),
          `${verb} ${info.plural} (${info.key})`,
        );
    }
  });

  it('reads nothing but the tracked kinds and CRDs, and writes only its Lease and Events', () => {
    const tracked = new Set(kinds.map((k) => `${k.group}/${k.plural}`));
    tracked.add('apiextensions.k8s.io/customresourcedefinitions');
    // Which workloads an HPA scales (cluster facts: a scale of an object applied server-side).
    tracked.add('autoscaling/horizontalpodautoscalers');
    const roles = agentRoles(docs);
    // Events create only when drift.events is on, the Lease only with leader election.
    assert.deepEqual(roles.map((r) => `${r.kind}/${r.metadata.name}`).sort(), [
      'ClusterRole/driftguard-agent',
      ...(config.drift.confirm === 'dry-run' ? ['ClusterRole/driftguard-agent-confirm'] : []),
      ...(config.drift.events ? ['ClusterRole/driftguard-agent-events'] : []),
      ...(config.leader_election.enabled ? ['Role/driftguard-agent-leader'] : []),
    ]);
    for (const role of roles) {
      for (const rule of role.rules) {
        assert.equal(rule.nonResourceURLs, undefined, `${role.metadata.name}: no non-resource URLs`);
        for (const group of rule.apiGroups ?? [])
          for (const resource of rule.resources ?? []) {
            const what = `${role.metadata.name}: ${rule.verbs.join(',')} ${group}/${resource}`;
            assert.ok(!group.includes('*') && !resource.includes('*') && !rule.verbs.includes('*'), what);
            if (group === 'coordination.k8s.io' && resource === 'leases') {
              assert.equal(role.kind, 'Role', `${what}: the Lease is in the agent's namespace only`);
              for (const verb of rule.verbs) assert.ok(['get', 'create', 'update'].includes(verb), what);
              if (!rule.verbs.every((v) => v === 'create'))
                assert.deepEqual(
                  rule.resourceNames,
                  [config.leader_election.lease_name],
                  `${what}: only its own Lease`,
                );
            } else if (group === '' && resource === 'events') {
              assert.deepEqual(rule.verbs, ['create'], what);
            } else if (role.metadata.name === 'driftguard-agent-confirm') {
              assert.ok(tracked.has(`${group}/${resource}`), `${what}: not a tracked kind`);
              assert.deepEqual([...rule.verbs].sort(), DRY_RUN_WRITES, `${what}: dry-runs only`);
            } else {
              assert.ok(tracked.has(`${group}/${resource}`), `${what}: not a tracked kind`);
              assert.deepEqual([...rule.verbs].sort(), READS, what);
            }
          }
      }
    }
  });

  const canI = async (...args: string[]): Promise<boolean> => {
    const r = await plane.kubectl(['auth', 'can-i', ...args, '--as', SA]);
    return r.stdout.trim() === 'yes';
  };

  it('the ServiceAccount reads the tracked kinds everywhere; RBAC lets it create and patch them (for dry-runs), nothing more', async () => {
    for (const resource of ['deployments.apps', 'services', 'configmaps', 'secrets']) {
      for (const verb of READS) assert.equal(await canI(verb, resource, '-A'), true, `${verb} ${resource}`);
      for (const verb of DRY_RUN_WRITES)
        assert.equal(await canI(verb, resource, '-n', 'default'), true, `${verb} ${resource}`);
      for (const verb of ['update', 'delete', 'deletecollection'])
        assert.equal(await canI(verb, resource, '-n', 'default'), false, `${verb} ${resource}`);
    }
    assert.equal(await canI('list', 'pods', '-A'), false, 'pods are not tracked');
    assert.equal(await canI('list', 'customresourcedefinitions.apiextensions.k8s.io'), true);
  });

  it('it writes its own Lease in driftguard, no other, and creates Events', async () => {
    assert.equal(await canI('create', 'leases.coordination.k8s.io', '-n', 'driftguard'), true);
    assert.equal(
      await canI('update', 'leases.coordination.k8s.io/driftguard-agent', '-n', 'driftguard'),
      true,
    );
    assert.equal(await canI('update', 'leases.coordination.k8s.io/other', '-n', 'driftguard'), false);
    assert.equal(await canI('create', 'leases.coordination.k8s.io', '-n', 'default'), false);
    assert.equal(await canI('create', 'events', '-n', 'shop'), true);
    assert.equal(await canI('delete', 'events', '-n', 'shop'), false);
  });

  it('the policy refuses a real write by the ServiceAccount although RBAC allows it; its dry-runs pass', async () => {
    const vap = find(docs, 'ValidatingAdmissionPolicy', POLICY) as ManifestDoc & {
      spec: { failurePolicy: string };
    };
    assert.equal(vap.spec.failurePolicy, 'Fail');
    const binding = find(docs, 'ValidatingAdmissionPolicyBinding', POLICY) as ManifestDoc & {
      spec: { policyName: string; validationActions: string[]; matchResources?: unknown };
    };
    assert.deepEqual(binding.spec, { policyName: POLICY, validationActions: ['Deny'] });
    const cm = (name: string) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    const asAgent = (args: string[], input?: string) =>
      plane.kubectl([...args, '--as', SA], input === undefined ? {} : { input });
    // The API server picks a new policy up from its informer moments after it is created.
    const refused = await until(
      'the dry-run-only policy refusing a real write',
      async () => {
        const r = await asAgent(['create', '-f', '-'], cm('real-write'));
        if (r.code === 0) await plane.kubectlOk(['delete', 'configmap', 'real-write', '-n', 'default']);
        return r.code !== 0 ? r.stderr : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300 },
    );
    assert.match(refused, new RegExp(`${POLICY}.*denied request: .*only dry-run requests`));
    await plane.kubectlOk(['create', 'configmap', 'target', '-n', 'default']);
    const patch = await asAgent([
      'patch',
      'configmap',
      'target',
      '-n',
      'default',
      '-p',
      '{"metadata":{"labels":{"x":"y"}}}',
    ]);
    assert.notEqual(patch.code, 0);
    assert.match(patch.stderr, new RegExp(POLICY));
    assert.equal(await asAgent(['get', 'configmap', 'real-write', '-n', 'default']).then((r) => r.code), 1);

    const dry = await asAgent(['create', '--dry-run=server', '-o', 'name', '-f', '-'], cm('dry'));
    assert.equal(dry.code, 0, dry.stderr);
    const ssa = await asAgent(
      ['apply', '--server-side', '--dry-run=server', '--field-manager=driftguard', '-f', '-'],
      cm('target'),
    );
    assert.equal(ssa.code, 0, ssa.stderr);
    // What it may really write: its Lease and Events.
    const lease = JSON.stringify({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: config.leader_election.lease_name, namespace: 'driftguard' },
      spec: { holderIdentity: 'rbac-test' },
    });
    const made = await asAgent(['create', '-f', '-'], lease);
    assert.equal(made.code, 0, made.stderr);
    const event = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'drift.rbac-test', namespace: 'default' },
      involvedObject: { kind: 'ConfigMap', name: 'kube-root-ca.crt', namespace: 'default' },
      reason: 'DriftDetected',
      message: 'rbac test',
      type: 'Warning',
    });
    const ev = await asAgent(['create', '-f', '-'], event);
    assert.equal(ev.code, 0, ev.stderr);
  });

  it('the read-only overlay reads only and turns confirm off', async () => {
    const ro = await build(join(MANIFESTS, 'overlays', 'read-only'));
    assert.equal(shippedConfig(ro).drift.confirm, 'off');
    for (const role of agentRoles(ro))
      for (const rule of role.rules)
        for (const resource of rule.resources ?? [])
          if (resource !== 'leases' && resource !== 'events')
            assert.deepEqual([...rule.verbs].sort(), READS, `${role.metadata.name}: ${resource}`);
    assert.deepEqual(
      agentRoles(ro)
        .map((r) => r.metadata.name)
        .sort(),
      agentRoles(docs)
        .map((r) => r.metadata.name)
        .filter((n) => n !== 'driftguard-agent-confirm')
        .sort(),
    );
  });
});

describe('the helm-releases overlay', () => {
  it('adds reads of Helm release storage and a helm-release source, nothing else', async () => {
    const base = await build(MANIFESTS);
    const docs = await build(join(MANIFESTS, 'overlays', 'helm-releases'));
    const added = agentRoles(docs).filter(
      (r) => !agentRoles(base).some((b) => b.metadata.name === r.metadata.name),
    );
    assert.deepEqual(
      added.map((r) => [
        r.metadata.name,
        r.rules.map((x) => [x.apiGroups, [...(x.resources ?? [])].sort(), x.verbs]),
      ]),
      [['driftguard-agent-helm-releases', [[[''], ['configmaps', 'secrets'], READS]]]],
    );
    const config = shippedConfig(docs);
    assert.deepEqual(
      config.sources?.map((s) => [s.name, s.type, s.releases]),
      [['helm-releases', 'helm-release', 'all']],
    );
    assert.equal(config.git.url, shippedConfig(base).git.url, 'the git: source stays beside it');
  });
});
