// RBAC that matches the config: the agent's ServiceAccount may get/list/watch exactly the kinds the
// shipped config tracks (plus CRDs, for schema defaults, and HPAs, for which replicas an autoscaler
// owns), write only its Lease and Events, and nothing else. Checked on the built manifests and, after `kubectl apply -k`, by the API server's
// own authorizer (`kubectl auth can-i --as` the ServiceAccount).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../agent/config/load.ts';
import type { AgentConfig } from '../../agent/config/schema.ts';
import { resolveKinds, type KindInfo } from '../../agent/kube/kinds.ts';
import { loadKubeConfig } from '../../shared/node/kube/config.ts';
import { Discovery } from '../../shared/node/kube/discovery.ts';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { MANIFESTS, build, find, type ManifestDoc } from './kustomize.ts';

const SA = 'system:serviceaccount:driftguard:driftguard-agent';
const READS = ['get', 'list', 'watch'];

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

describe('agent RBAC', () => {
  let plane: ControlPlane;
  let docs: ManifestDoc[];
  let config: AgentConfig;
  /** The config's resource types as the API server's discovery resolves them (group, plural). */
  let kinds: KindInfo[];
  before(async () => {
    docs = await build(MANIFESTS);
    const cm = find(docs, 'ConfigMap', 'driftguard-config') as ManifestDoc & { data: Record<string, string> };
    config = parseConfig(cm.data['config.yaml'] ?? '', { DRIFTGUARD_DATABASE_URI: 'mongodb://db/' });
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

  it('the ServiceAccount reads the tracked kinds everywhere and changes none of them', async () => {
    for (const resource of ['deployments.apps', 'services', 'configmaps', 'secrets']) {
      for (const verb of READS) assert.equal(await canI(verb, resource, '-A'), true, `${verb} ${resource}`);
      for (const verb of ['create', 'update', 'patch', 'delete'])
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
});
