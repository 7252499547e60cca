// Drift scenarios on a realistic Deployment (testdata/deployment-in-sync): each row applies what a
// kubectl command would do to the live object (value + managedFields entry) and names the exact
// detail expected. Rows without details must be in sync.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DriftType, JsonObject, KubeObject, Severity } from '../types.ts';
import { analyzeAll, analyzeResource } from './analyze.ts';
import { obj } from './json.ts';
import { defaultEngineOptions, type EngineRules } from './options.ts';
import { parseManifests, type DesiredObject } from './parse.ts';
import { summarizeDetail, summarizeResult } from './summary.ts';
import { liveObjects, readText, TESTDATA } from '../../test/engine/testdata/fixtures.ts';

const dir = join(TESTDATA, 'deployment-in-sync');
const baseDesired = parseManifests(
  [{ path: 'frontend.yaml', content: readText(join(dir, 'desired.yaml')) }],
  { defaultNamespace: 'default' },
).objects[0] as DesiredObject;
const baseLive = liveObjects(join(dir, 'live.yaml'))[0] as KubeObject;

const T0 = '2026-11-21T10:00:00Z';
/** Record a write by `manager` in live managedFields, as the API server does for an Update. */
function wrote(
  live: KubeObject,
  manager: string,
  fieldsV1: JsonObject,
  opts: { subresource?: string; time?: string } = {},
): void {
  const list = live.metadata['managedFields'] as JsonObject[];
  list.push({
    apiVersion: 'apps/v1',
    fieldsType: 'FieldsV1',
    fieldsV1,
    manager,
    operation: 'Update',
    time: opts.time ?? T0,
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  });
}
function podSpec(o: KubeObject): JsonObject {
  return obj(obj(obj(o, 'spec'), 'template'), 'spec') as JsonObject;
}
function container(o: KubeObject, name: string): JsonObject {
  return (podSpec(o)['containers'] as JsonObject[]).find((c) => c['name'] === name) as JsonObject;
}
const inContainer = (name: string, f: JsonObject): JsonObject => ({
  'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { [`k:{"name":"${name}"}`]: f } } } },
});
const C = 'spec.template.spec.containers[name=podinfo]';

interface Row {
  name: string;
  live?: (l: KubeObject) => void;
  desired?: (d: KubeObject) => void;
  rules?: EngineRules;
  type?: DriftType;
  severity?: Severity;
  details?: {
    path: string;
    type: DriftType;
    severity?: Severity;
    manager?: string | null;
    desired?: unknown;
    live?: unknown;
  }[];
  summary?: string;
}

const rows: Row[] = [
  { name: 'unchanged object is in sync' },
  {
    name: 'kubectl scale (scale subresource) is Scaling, attributed to kubectl-scale (the server records it as kubectl on the scale subresource)',
    live: (l) => {
      (l['spec'] as JsonObject)['replicas'] = 5;
      wrote(l, 'kubectl', { 'f:spec': { 'f:replicas': {} } }, { subresource: 'scale' });
    },
    type: 'Scaling',
    severity: 'medium',
    details: [
      {
        path: 'spec.replicas',
        type: 'Scaling',
        severity: 'medium',
        manager: 'kubectl-scale',
        desired: 2,
        live: 5,
      },
    ],
    summary: 'replicas 2 → 5',
  },
  {
    name: 'HPA scaling through the scale subresource is not drift (default ignore_managers)',
    live: (l) => {
      (l['spec'] as JsonObject)['replicas'] = 4;
      wrote(l, 'kube-controller-manager', { 'f:spec': { 'f:replicas': {} } }, { subresource: 'scale' });
    },
  },
  {
    name: 'severity override applies to the detail and the resource',
    rules: { severity: { Scaling: 'high' } },
    live: (l) => {
      (l['spec'] as JsonObject)['replicas'] = 5;
      wrote(l, 'kubectl-scale', { 'f:spec': { 'f:replicas': {} } }, { subresource: 'scale' });
    },
    type: 'Scaling',
    severity: 'high',
    details: [{ path: 'spec.replicas', type: 'Scaling', severity: 'high' }],
  },
  {
    name: 'ignore rule by kind + path prefix removes the field',
    rules: { ignore: [{ kind: 'Deployment', path: 'spec.replicas' }] },
    live: (l) => {
      (l['spec'] as JsonObject)['replicas'] = 5;
      wrote(l, 'kubectl-scale', { 'f:spec': { 'f:replicas': {} } }, { subresource: 'scale' });
    },
  },
  {
    name: 'ignore rule for another name does not apply',
    rules: { ignore: [{ name: 'other', path: 'spec.replicas' }] },
    live: (l) => {
      (l['spec'] as JsonObject)['replicas'] = 5;
      wrote(l, 'kubectl-scale', { 'f:spec': { 'f:replicas': {} } }, { subresource: 'scale' });
    },
    type: 'Scaling',
    severity: 'medium',
    details: [{ path: 'spec.replicas', type: 'Scaling' }],
  },
  {
    name: 'kubectl set image is VersionChange (high)',
    live: (l) => {
      container(l, 'podinfo')['image'] = 'ghcr.io/stefanprodan/podinfo:6.7.2';
      wrote(l, 'kubectl-set', inContainer('podinfo', { 'f:image': {} }));
    },
    type: 'VersionChange',
    severity: 'high',
    details: [
      {
        path: `${C}.image`,
        type: 'VersionChange',
        severity: 'high',
        manager: 'kubectl-set',
        desired: 'ghcr.io/stefanprodan/podinfo:6.7.1',
        live: 'ghcr.io/stefanprodan/podinfo:6.7.2',
      },
    ],
    summary: 'image ghcr.io/stefanprodan/podinfo:6.7.1 → ghcr.io/stefanprodan/podinfo:6.7.2',
  },
  {
    name: 'kubectl edit of a CPU limit is ResourceChange; values shown as written',
    live: (l) => {
      ((container(l, 'podinfo')['resources'] as JsonObject)['limits'] as JsonObject)['cpu'] = '1';
      wrote(l, 'kubectl-edit', inContainer('podinfo', { 'f:resources': { 'f:limits': { 'f:cpu': {} } } }));
    },
    type: 'ResourceChange',
    severity: 'medium',
    details: [
      {
        path: `${C}.resources.limits.cpu`,
        type: 'ResourceChange',
        manager: 'kubectl-edit',
        desired: '0.5',
        live: '1',
      },
    ],
  },
  {
    name: 'quantity spelled differently in live is not drift (256Mi = 268435456 = 0.25Gi)',
    live: (l) => {
      ((container(l, 'podinfo')['resources'] as JsonObject)['limits'] as JsonObject)['memory'] = '268435456';
    },
  },
  {
    name: 'env value change is ConfigurationChange',
    live: (l) => {
      ((container(l, 'podinfo')['env'] as JsonObject[])[0] as JsonObject)['value'] = 'red';
      wrote(
        l,
        'kubectl-set',
        inContainer('podinfo', { 'f:env': { 'k:{"name":"COLOR"}': { 'f:value': {} } } }),
      );
    },
    type: 'ConfigurationChange',
    severity: 'medium',
    details: [
      {
        path: `${C}.env[name=COLOR].value`,
        type: 'ConfigurationChange',
        manager: 'kubectl-set',
        desired: '#34577c',
        live: 'red',
      },
    ],
  },
  {
    name: 'kubectl label adds an owned label: LabelChange (low)',
    live: (l) => {
      (l.metadata['labels'] as JsonObject)['team'] = 'payments';
      wrote(l, 'kubectl-label', { 'f:metadata': { 'f:labels': { 'f:team': {} } } });
    },
    type: 'LabelChange',
    severity: 'low',
    details: [
      {
        path: 'metadata.labels.team',
        type: 'LabelChange',
        severity: 'low',
        manager: 'kubectl-label',
        desired: null,
        live: 'payments',
      },
    ],
    summary: 'metadata.labels.team added (payments)',
  },
  {
    name: 'kubectl annotate adds an owned annotation: AnnotationChange (low)',
    live: (l) => {
      (l.metadata['annotations'] as JsonObject)['example.com/owner'] = 'ops';
      wrote(l, 'kubectl-annotate', { 'f:metadata': { 'f:annotations': { 'f:example.com/owner': {} } } });
    },
    type: 'AnnotationChange',
    severity: 'low',
    details: [
      {
        path: 'metadata.annotations["example.com/owner"]',
        type: 'AnnotationChange',
        manager: 'kubectl-annotate',
        live: 'ops',
      },
    ],
  },
  {
    name: 'ignore rule with a dotted annotation path prefix',
    rules: { ignore: [{ path: 'metadata.annotations.example.com/owner' }] },
    live: (l) => {
      (l.metadata['annotations'] as JsonObject)['example.com/owner'] = 'ops';
      wrote(l, 'kubectl-annotate', { 'f:metadata': { 'f:annotations': { 'f:example.com/owner': {} } } });
    },
  },
  {
    name: 'a live-only label nobody owns (no managedFields entry) is not drift',
    live: (l) => {
      (l.metadata['labels'] as JsonObject)['injected'] = 'yes';
    },
  },
  {
    name: 'container port changed by kubectl edit is PortChange',
    live: (l) => {
      const ports = container(l, 'podinfo')['ports'] as JsonObject[];
      (ports[1] as JsonObject)['containerPort'] = 9990;
      wrote(
        l,
        'kubectl-edit',
        inContainer('podinfo', {
          'f:ports': {
            'k:{"containerPort":9990,"protocol":"TCP"}': {
              '.': {},
              'f:containerPort': {},
              'f:name': {},
              'f:protocol': {},
            },
          },
        }),
      );
    },
    type: 'PortChange',
    severity: 'medium',
    details: [
      { path: `${C}.ports[containerPort=9999]`, type: 'PortChange', live: null },
      {
        path: `${C}.ports[containerPort=9990]`,
        type: 'PortChange',
        manager: 'kubectl-edit',
        desired: null,
        live: { containerPort: 9990, name: 'grpc' },
      },
    ],
  },
  {
    name: 'removed volumeMount is VolumeChange, attributed to the owner of the nearest ancestor',
    live: (l) => {
      const c = container(l, 'podinfo');
      c['volumeMounts'] = (c['volumeMounts'] as JsonObject[]).filter((m) => m['mountPath'] !== '/tmp');
    },
    type: 'VolumeChange',
    severity: 'medium',
    details: [
      {
        path: `${C}.volumeMounts[mountPath=/tmp]`,
        type: 'VolumeChange',
        manager: 'kubectl-client-side-apply',
        desired: { mountPath: '/tmp', name: 'tmp' },
        live: null,
      },
    ],
  },
  {
    name: 'ignore rule on a keyed list item restores it in place (hashes equal)',
    rules: { ignore: [{ path: `${C}.volumeMounts` }] },
    live: (l) => {
      const c = container(l, 'podinfo');
      c['volumeMounts'] = (c['volumeMounts'] as JsonObject[]).filter((m) => m['mountPath'] !== '/data');
    },
  },
  {
    name: 'ignore rule with a glob on the name',
    rules: { ignore: [{ kind: 'Deploy*', name: 'front*' }] },
    live: (l) => {
      container(l, 'podinfo')['image'] = 'ghcr.io/stefanprodan/podinfo:6.7.2';
      wrote(l, 'kubectl-set', inContainer('podinfo', { 'f:image': {} }));
    },
  },
  {
    name: 'ignore_managers with a custom rule (e.g. a GitOps controller on annotations)',
    rules: { ignore_managers: [{ path: 'metadata.annotations', managers: ['argocd-controller'] }] },
    live: (l) => {
      (l.metadata['annotations'] as JsonObject)['argocd.argoproj.io/tracking-id'] = 'x';
      wrote(l, 'argocd-controller', {
        'f:metadata': { 'f:annotations': { 'f:argocd.argoproj.io/tracking-id': {} } },
      });
    },
  },
  {
    name: 'env from a secretKeyRef added by kubectl set env is SecretChange',
    live: (l) => {
      (container(l, 'podinfo')['env'] as JsonObject[]).push({
        name: 'TOKEN',
        valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } },
      });
      wrote(
        l,
        'kubectl-set',
        inContainer('podinfo', {
          'f:env': {
            'k:{"name":"TOKEN"}': { '.': {}, 'f:name': {}, 'f:valueFrom': { '.': {}, 'f:secretKeyRef': {} } },
          },
        }),
      );
    },
    type: 'SecretChange',
    severity: 'high',
    details: [
      { path: `${C}.env[name=TOKEN]`, type: 'SecretChange', severity: 'high', manager: 'kubectl-set' },
    ],
  },
  {
    name: 'envFrom configMapRef added by kubectl patch is ConfigMapChange',
    live: (l) => {
      container(l, 'podinfo')['envFrom'] = [{ configMapRef: { name: 'app-config' } }];
      wrote(l, 'kubectl-patch', inContainer('podinfo', { 'f:envFrom': {} }));
    },
    type: 'ConfigMapChange',
    severity: 'medium',
    details: [
      { path: `${C}.envFrom[configMapRef=app-config]`, type: 'ConfigMapChange', manager: 'kubectl-patch' },
    ],
  },
  {
    name: 'secret volume source changed is SecretChange',
    live: (l) => {
      const v = (podSpec(l)['volumes'] as JsonObject[]).find((x) => x['name'] === 'tls') as JsonObject;
      (v['secret'] as JsonObject)['secretName'] = 'other-tls';
      wrote(l, 'kubectl-edit', {
        'f:spec': {
          'f:template': {
            'f:spec': { 'f:volumes': { 'k:{"name":"tls"}': { 'f:secret': { 'f:secretName': {} } } } },
          },
        },
      });
    },
    type: 'SecretChange',
    severity: 'high',
    details: [
      {
        path: 'spec.template.spec.volumes[name=tls].secret.secretName',
        type: 'SecretChange',
        manager: 'kubectl-edit',
      },
    ],
  },
  {
    name: 'args added by kubectl patch is ConfigurationChange',
    live: (l) => {
      container(l, 'podinfo')['args'] = ['--level=debug'];
      wrote(l, 'kubectl-patch', inContainer('podinfo', { 'f:args': {} }));
    },
    type: 'ConfigurationChange',
    severity: 'medium',
    details: [
      {
        path: `${C}.args`,
        type: 'ConfigurationChange',
        manager: 'kubectl-patch',
        desired: null,
        live: ['--level=debug'],
      },
    ],
  },
  {
    name: 'a non-default imagePullPolicy set in the cluster is drift',
    live: (l) => {
      container(l, 'podinfo')['imagePullPolicy'] = 'Always';
      wrote(l, 'kubectl-edit', inContainer('podinfo', { 'f:imagePullPolicy': {} }));
    },
    type: 'ConfigurationChange',
    details: [
      { path: `${C}.imagePullPolicy`, type: 'ConfigurationChange', manager: 'kubectl-edit', live: 'Always' },
    ],
  },
  {
    name: 'a live-only field equal to its API default is not drift even when owned',
    live: (l) => {
      podSpec(l)['enableServiceLinks'] = true;
      wrote(l, 'kubectl-edit', { 'f:spec': { 'f:template': { 'f:spec': { 'f:enableServiceLinks': {} } } } });
    },
  },
  {
    name: 'desired spelling out a default is not drift',
    desired: (d) => {
      podSpec(d)['dnsPolicy'] = 'ClusterFirst';
      (d['spec'] as JsonObject)['revisionHistoryLimit'] = 10;
    },
  },
  {
    name: 'desired non-default vs live default is drift, showing the live default',
    desired: (d) => {
      podSpec(d)['terminationGracePeriodSeconds'] = 60;
    },
    type: 'ConfigurationChange',
    details: [
      {
        path: 'spec.template.spec.terminationGracePeriodSeconds',
        type: 'ConfigurationChange',
        desired: 60,
        live: 30,
      },
    ],
  },
  {
    name: 'merge-keyed lists in another order are not drift',
    live: (l) => {
      const ps = podSpec(l);
      (ps['containers'] as JsonObject[]).reverse();
      (ps['volumes'] as JsonObject[]).reverse();
      const c = container(l, 'podinfo');
      (c['ports'] as JsonObject[]).reverse();
      (c['volumeMounts'] as JsonObject[]).reverse();
    },
  },
  {
    // `$(VAR)` references see only the variables before them, so env order is part of the config.
    name: 'env in another order is drift on the whole list',
    live: (l) => {
      (container(l, 'podinfo')['env'] as JsonObject[]).reverse();
      wrote(l, 'kubectl-edit', inContainer('podinfo', { 'f:env': {} }));
    },
    type: 'ConfigurationChange',
    details: [
      {
        path: `${C}.env`,
        type: 'ConfigurationChange',
        manager: 'kubectl-edit',
        desired: [
          { name: 'COLOR', value: '#34577c' },
          { name: 'PORT', value: '9898' },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        ],
        live: [
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'PORT', value: '9898' },
          { name: 'COLOR', value: '#34577c' },
        ],
      },
    ],
  },
  {
    name: 'most severe detail wins: image (high) over label (low)',
    live: (l) => {
      (l.metadata['labels'] as JsonObject)['team'] = 'x';
      wrote(l, 'kubectl-label', { 'f:metadata': { 'f:labels': { 'f:team': {} } } });
      container(l, 'podinfo')['image'] = 'ghcr.io/stefanprodan/podinfo:6.8.0';
      wrote(l, 'kubectl-set', inContainer('podinfo', { 'f:image': {} }), { time: '2026-11-21T11:00:00Z' });
    },
    type: 'VersionChange',
    severity: 'high',
    details: [
      { path: 'metadata.labels.team', type: 'LabelChange' },
      { path: `${C}.image`, type: 'VersionChange' },
    ],
  },
  {
    name: 'ties on severity are broken by type priority (Scaling before ResourceChange)',
    live: (l) => {
      ((container(l, 'podinfo')['resources'] as JsonObject)['requests'] as JsonObject)['cpu'] = '200m';
      wrote(l, 'kubectl-edit', inContainer('podinfo', { 'f:resources': { 'f:requests': { 'f:cpu': {} } } }));
      (l['spec'] as JsonObject)['replicas'] = 3;
      wrote(l, 'kubectl-scale', { 'f:spec': { 'f:replicas': {} } }, { subresource: 'scale' });
    },
    type: 'Scaling',
    severity: 'medium',
    details: [
      { path: 'spec.replicas', type: 'Scaling' },
      { path: `${C}.resources.requests.cpu`, type: 'ResourceChange', desired: '100m', live: '200m' },
    ],
  },
  {
    name: 'newest writer wins the attribution',
    live: (l) => {
      container(l, 'podinfo')['image'] = 'ghcr.io/stefanprodan/podinfo:6.7.2';
      wrote(l, 'kubectl-set', inContainer('podinfo', { 'f:image': {} }), { time: '2026-11-21T12:00:00Z' });
      wrote(l, 'kubectl-patch', inContainer('podinfo', { 'f:image': {} }), { time: '2026-11-21T09:00:00Z' });
    },
    type: 'VersionChange',
    details: [{ path: `${C}.image`, type: 'VersionChange', manager: 'kubectl-set' }],
  },
];

describe('analyzeResource on a drifted Deployment', () => {
  for (const row of rows) {
    it(row.name, () => {
      const live = structuredClone(baseLive);
      const desired = structuredClone(baseDesired);
      row.live?.(live);
      row.desired?.(desired.object);
      const opts = defaultEngineOptions(
        row.rules ? { rules: { ...defaultEngineOptions().rules, ...row.rules } } : {},
      );
      const r = analyzeResource(desired, live, opts, { gitCommit: 'c0ffee' });
      const got = r.drift_details.map((d) => ({
        path: d.path,
        type: d.type,
        severity: d.severity,
        manager: d.manager,
        desired: d.desired,
        live: d.live,
      }));
      if (!row.details) {
        assert.deepEqual(got, [], 'expected no drift');
        assert.equal(r.drift_detected, false);
        assert.equal(r.drift_status, 'none');
        assert.equal(r.drift_type, null);
        assert.equal(r.severity, null);
        assert.equal(r.desired_hash, r.live_hash);
        return;
      }
      assert.equal(r.drift_detected, true);
      assert.equal(r.drift_status, 'active');
      assert.equal(r.drift_type, row.type);
      if (row.severity) assert.equal(r.severity, row.severity);
      assert.notEqual(r.desired_hash, r.live_hash);
      assert.deepEqual(
        got.map((d) => d.path).sort(),
        row.details.map((d) => d.path).sort(),
        JSON.stringify(got),
      );
      for (const w of row.details) {
        const g = got.find((d) => d.path === w.path);
        assert.ok(g);
        assert.equal(g.type, w.type);
        if (w.severity) assert.equal(g.severity, w.severity);
        if ('manager' in w) assert.equal(g.manager, w.manager);
        if ('desired' in w) assert.deepEqual(g.desired, w.desired);
        if ('live' in w) assert.deepEqual(g.live, w.live);
        if (g.manager) assert.ok(r.drift_details.find((d) => d.path === w.path)?.changed_at);
      }
      if (row.summary) assert.equal(summarizeDetail(r.drift_details[0] as never), row.summary);
    });
  }

  it('Missing: in Git, absent from the cluster', () => {
    const r = analyzeResource(baseDesired, undefined, defaultEngineOptions(), { gitCommit: null });
    assert.equal(r.drift_detected, true);
    assert.equal(r.drift_type, 'Missing');
    assert.equal(r.severity, 'high');
    assert.equal(r.live_hash, null);
    assert.match(r.desired_hash ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(r.drift_details, []);
    assert.equal(summarizeResult(r), 'missing from the cluster');
  });

  it('result carries identity, commit and source file; input objects are not modified', () => {
    const live = structuredClone(baseLive);
    const before = JSON.stringify([baseDesired, live]);
    const r = analyzeResource(baseDesired, live, defaultEngineOptions(), { gitCommit: 'c0ffee' });
    assert.equal(JSON.stringify([baseDesired, live]), before);
    assert.deepEqual(
      [r.resource_id, r.kind, r.namespace, r.name, r.api_version, r.git_commit, r.source_file],
      [
        'Deployment:default:frontend',
        'Deployment',
        'default',
        'frontend',
        'apps/v1',
        'c0ffee',
        'frontend.yaml',
      ],
    );
  });

  it('analyzeAll accepts a Map or a list of live objects and keeps desired order', () => {
    const opts = defaultEngineOptions();
    const other = structuredClone(baseDesired);
    other.object.metadata['name'] = 'other';
    other.id = 'Deployment:default:other';
    const fromList = analyzeAll([other, baseDesired], [baseLive], opts, { gitCommit: null });
    const fromMap = analyzeAll(
      [other, baseDesired],
      new Map([['Deployment:default:frontend', baseLive]]),
      opts,
      { gitCommit: null },
    );
    assert.deepEqual(
      fromList.map((r) => [r.name, r.drift_type]),
      [
        ['other', 'Missing'],
        ['frontend', null],
      ],
    );
    assert.deepEqual(fromMap, fromList);
  });

  it('JSON output uses null (never undefined) for absent sides', () => {
    const live = structuredClone(baseLive);
    (live.metadata['labels'] as JsonObject)['team'] = 'x';
    wrote(live, 'kubectl-label', { 'f:metadata': { 'f:labels': { 'f:team': {} } } });
    const r = analyzeResource(baseDesired, live, defaultEngineOptions(), { gitCommit: null });
    const json = JSON.parse(JSON.stringify(r)) as { drift_details: JsonObject[] };
    assert.equal(json.drift_details[0]?.['desired'], null);
    assert.ok('desired' in (json.drift_details[0] ?? {}));
  });
});
