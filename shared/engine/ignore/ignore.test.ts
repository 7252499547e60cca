// Ignore rules end to end through the engine: which drifted fields each kind of rule removes, how
// many it counts, and that bad rules are config errors naming the rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, KubeObject } from '../../types.ts';
import { analyzeResource } from '../analyze.ts';
import { defaultEngineOptions, validateRules, type EngineRules } from '../options.ts';
import { parseManifests, type DesiredObject } from '../parse.ts';
import { IGNORE_FIELDS_ANNOTATION } from './annotation.ts';
import { emptyHits } from './apply.ts';
import { CATALOG_NAMES, IGNORE_CATALOG } from './catalog.ts';
import { ignoreRuleSchema } from './rule.ts';

const T = '2026-12-06T10:00:00Z';

function deployment(annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', team: 'a' }, annotations },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
    },
  };
}

/** The live side: Git's object as the server keeps it, changed by `edit`, the changes written by `manager`. */
function liveOf(desired: KubeObject, edit: (o: JsonObject) => void, managed: JsonObject[]): KubeObject {
  const live = structuredClone(desired) as KubeObject;
  edit(live);
  live.metadata['managedFields'] = managed.map((m) => ({
    apiVersion: live.apiVersion,
    fieldsType: 'FieldsV1',
    operation: 'Update',
    time: T,
    ...m,
  }));
  return live;
}

const desiredOf = (o: KubeObject): DesiredObject =>
  parseManifests([{ path: 'x.yaml', content: JSON.stringify(o) }], { defaultNamespace: 'default' })
    .objects[0] as DesiredObject;

function paths(desired: KubeObject, live: KubeObject, rules: EngineRules, source?: string) {
  const hits = emptyHits();
  const opts = defaultEngineOptions({ rules, ...(source ? { source } : {}) });
  const r = analyzeResource(desiredOf(desired), live, opts, { gitCommit: null, hits });
  return { paths: r.drift_details.map((d) => d.path), hits, result: r };
}

/** Live with a sidecar injected, replicas scaled by kubectl, and a label changed. */
function drifted(desired: KubeObject): KubeObject {
  return liveOf(
    desired,
    (o) => {
      const spec = (o['spec'] as JsonObject)['template'] as JsonObject;
      ((spec['spec'] as JsonObject)['containers'] as JsonObject[]).push({
        name: 'istio-proxy',
        image: 'docker.io/istio/proxyv2:1.24.0',
      });
      (o['spec'] as JsonObject)['replicas'] = 5;
      ((o['metadata'] as JsonObject)['labels'] as JsonObject)['team'] = 'b';
    },
    [
      {
        manager: 'istio-sidecar-injector',
        fieldsV1: {
          'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"istio-proxy"}': {} } } } },
        },
      },
      { manager: 'kubectl-scale', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
      { manager: 'kubectl-label', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } } },
    ],
  );
}

const ALL = ['metadata.labels.team', 'spec.replicas', 'spec.template.spec.containers[name=istio-proxy]'];

describe('ignore rules', () => {
  const git = deployment();
  const live = drifted(git);

  it('without rules every change is drift', () => {
    assert.deepEqual(paths(git, live, {}).paths.sort(), ALL);
  });

  it('group-qualified kind + selector + list item by key removes only that item', () => {
    const rule = {
      kind: 'Deployment.apps',
      selector: 'app=web,team',
      path: 'spec.template.spec.containers[name=istio-proxy]',
    };
    const { paths: p, hits } = paths(git, live, { ignore: [rule] });
    assert.deepEqual(p.sort(), ['metadata.labels.team', 'spec.replicas']);
    assert.equal(hits.rules.get(rule), 1);
  });

  it('a rule whose group, selector, namespace or source differs matches nothing', () => {
    const path = 'spec.template.spec.containers[name=istio-proxy]';
    for (const rule of [
      { kind: 'Deployment.extensions', path },
      { kind: 'Deployment.core', path },
      { selector: 'app=api', path },
      { namespaces: ['prod-*'], path },
      { source: 'platform', path },
    ]) {
      const { paths: p, hits } = paths(git, live, { ignore: [rule] }, 'shop');
      assert.deepEqual(p.sort(), ALL, JSON.stringify(rule));
      assert.equal(hits.rules.size, 0);
    }
    // Plain kinds keep matching any group; namespaces and sources by glob.
    for (const rule of [
      { kind: 'Deployment', path },
      { kind: '*.apps', namespaces: ['dev', 'sh*'], path },
      { source: 'sh*', path },
    ])
      assert.equal(paths(git, live, { ignore: [rule] }, 'shop').paths.length, 2, JSON.stringify(rule));
  });

  it('picks list items by content and by [*]', () => {
    for (const path of [
      'spec.template.spec.containers[image=*/proxyv2:*]',
      'spec.template.spec.containers[*]',
    ]) {
      const { paths: p } = paths(git, live, { ignore: [{ path }] });
      assert.deepEqual(p.sort(), ['metadata.labels.team', 'spec.replicas'], path);
    }
  });

  it('by field manager: only what that manager wrote', () => {
    const rule = { path: 'spec', managers: ['istio-*'] };
    const { paths: p, hits } = paths(git, live, { ignore: [rule] });
    assert.deepEqual(p.sort(), ['metadata.labels.team', 'spec.replicas']);
    assert.equal(hits.rules.get(rule), 1);
  });

  it('the Git annotation ignores its paths on that object and is itself never compared', () => {
    const annotated = deployment({ [IGNORE_FIELDS_ANNOTATION]: 'spec.replicas, metadata.labels.team' });
    // Live lacks the annotation (applied before it was added): not drift either.
    const { paths: p, hits, result } = paths(annotated, live, {});
    assert.deepEqual(p, ['spec.template.spec.containers[name=istio-proxy]']);
    assert.deepEqual([...hits.annotation].sort(), [
      ['metadata.labels.team', 1],
      ['spec.replicas', 1],
    ]);
    // In sync apart from the annotation: no drift at all, and the hashes agree.
    const synced = paths(
      annotated,
      liveOf(git, () => undefined, []),
      {},
    );
    assert.equal(synced.result.drift_detected, false);
    assert.equal(synced.result.live_hash, synced.result.desired_hash);
    assert.equal(
      result.drift_details.some((d) => d.path.includes('driftguard.io')),
      false,
    );
  });

  it('a bad annotation path is a parse warning naming the object; the good ones apply', () => {
    const annotated = deployment({ [IGNORE_FIELDS_ANNOTATION]: 'spec.replicas, spec.containers[0]' });
    const parsed = parseManifests([{ path: 'web.yaml', content: JSON.stringify(annotated) }], {
      defaultNamespace: 'default',
    });
    assert.equal(parsed.errors.length, 0);
    assert.match(
      parsed.warnings[0]?.message ?? '',
      /^Deployment:shop:web: driftguard.io\/ignore-fields: a list index/,
    );
    const { paths: p } = paths(annotated, live, {});
    assert.deepEqual(p.sort(), ['metadata.labels.team', 'spec.template.spec.containers[name=istio-proxy]']);
  });

  it('catalog entries apply only when named', () => {
    const webhook: KubeObject = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'cert-manager-webhook' },
      webhooks: [
        {
          name: 'webhook.cert-manager.io',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          clientConfig: {
            service: { name: 'cert-manager-webhook', namespace: 'cert-manager', path: '/validate' },
          },
        },
      ],
    };
    const injected = liveOf(
      webhook,
      (o) => {
        const hook = (o['webhooks'] as JsonObject[])[0] as JsonObject;
        (hook['clientConfig'] as JsonObject)['caBundle'] = 'LS0tLS1CRUdJTg==';
      },
      [
        {
          manager: 'cert-manager-cainjector',
          fieldsV1: {
            'f:webhooks': {
              'k:{"name":"webhook.cert-manager.io"}': { 'f:clientConfig': { 'f:caBundle': {} } },
            },
          },
        },
      ],
    );
    const off = paths(webhook, injected, {});
    assert.deepEqual(off.paths, ['webhooks[name=webhook.cert-manager.io].clientConfig.caBundle']);
    const on = paths(webhook, injected, { ignore_catalog: ['cert-manager'] });
    assert.deepEqual(on.paths, []);
    assert.equal(on.hits.rules.get(IGNORE_CATALOG['cert-manager'].rules[0] as object), 1);
    assert.deepEqual(paths(webhook, injected, { ignore_catalog: ['istio'] }).paths, off.paths);
  });

  it('every catalog rule is a valid rule', () => {
    for (const name of CATALOG_NAMES)
      for (const rule of IGNORE_CATALOG[name].rules)
        assert.ok(ignoreRuleSchema.safeParse(rule).success, `${name}: ${JSON.stringify(rule)}`);
  });
});

describe('rule validation', () => {
  it("keeps today's rules valid", () => {
    const today = {
      ignore: [
        { kind: 'Deployment', namespace: 'demo', path: 'metadata.annotations' },
        { kind: 'Deploy*', name: 'front*' },
        { path: 'metadata.annotations.example.com/owner' },
        { path: 'spec.template.spec.containers[name=web].image' },
        { path: 'spec.ports[port=80].nodePort' },
        { path: 'metadata.labels["app.kubernetes.io/name"]' },
      ],
      ignore_managers: [{ path: 'spec.replicas', managers: ['kube-controller-manager'] }],
    };
    assert.deepEqual(validateRules(today).errors, []);
  });

  it('a bad rule is an error naming the rule and the member', () => {
    const { rules, errors } = validateRules({
      ignore: [
        { kind: 'Deployment.apps', path: 'spec.replicas' },
        { path: 'spec.containers[0].image' },
        { kind: 'Deployment/apps' },
        { selector: 'app in web' },
        { managers: [] },
        {},
      ],
      ignore_catalog: ['cert-manager', 'flux'],
    });
    assert.equal(rules.ignore?.length, 1);
    assert.deepEqual(rules.ignore_catalog, ['cert-manager']);
    assert.equal(errors.length, 6, errors.join('\n'));
    assert.match(errors[0] ?? '', /^rules\.ignore\[1\]\.path: a list index/);
    assert.match(errors[1] ?? '', /^rules\.ignore\[2\]\.kind: "Deployment\/apps" is not a kind/);
    assert.match(errors[2] ?? '', /^rules\.ignore\[3\]\.selector: cannot read "app in web"/);
    assert.match(errors[3] ?? '', /^rules\.ignore\[4\]\.managers: expected a non-empty list/);
    assert.match(errors[4] ?? '', /^rules\.ignore\[5\]: empty rule would ignore everything/);
    assert.match(errors[5] ?? '', /^rules\.ignore_catalog\[1\]: expected one of cert-manager, istio/);
  });
});
