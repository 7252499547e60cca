// The ignore language on the full local cluster: an agent whose config has a rule with a
// group-qualified kind, a label selector and a list item picked by key, a rule that matches
// nothing (a Deployment of another group), and the cert-manager catalog entry; a Git manifest with
// the driftguard.io/ignore-fields annotation. Real kubectl changes inside the ignored fields are no
// active drift; changes beside them (the other container, another label, an object the selector
// does not pick, a webhook field that is not the CA bundle) are found with their type; removing the
// annotation live is not drift; a rule deeper than a map added live covers its field. /api/v1/rules
// then counts what each rule matched.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RuleList, RuleStatus } from '../../shared/api/rule-shapes.ts';
import {
  getRecord,
  startFixture,
  startWatchOnlyAgent,
  waitForRecord,
  type Fixture,
  type RecordJson,
} from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';
import { until } from '../kit/poll.ts';

const NS = 'ign';
const SIDECAR_RULE = {
  kind: 'Deployment.apps',
  selector: 'app=web',
  path: 'spec.template.spec.containers[name=sidecar].image',
};
/** Deployments of another group: kubectl scale on an apps Deployment is not it. */
const NOTHING_RULE = { kind: 'Deployment.extensions', path: 'spec.replicas' };
/** Deeper than the difference a patch makes: Git's `sec` has no securityContext at all. */
const DEEPER_RULE = {
  kind: 'Deployment.apps',
  name: 'sec',
  path: 'spec.template.spec.securityContext.runAsUser',
};
const GIT_CA = Buffer.from('-----BEGIN CERTIFICATE-----\ngit\n-----END CERTIFICATE-----\n').toString(
  'base64',
);
const INJECTED_CA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\ninjected\n-----END CERTIFICATE-----\n',
).toString('base64');

const deployment = (name: string, labels: string, annotations = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
  labels: { ${labels} }${annotations}
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - { name: main, image: "nginx:1.27.3", env: [{ name: MODE, value: prod }] }
        - { name: sidecar, image: "busybox:1.36", env: [{ name: MODE, value: prod }] }
`;

const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
${deployment('web', 'app: web, team: web')}---
${deployment('other', 'app: other, team: web')}---
${deployment('sec', 'app: sec')}---
${deployment('api', 'app: api, team: api', '\n  annotations: { driftguard.io/ignore-fields: "spec.replicas, metadata.labels.team" }')}---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: { name: ign-webhook }
webhooks:
  - name: check.ign.example.com
    clientConfig: { url: "https://127.0.0.1:9/validate", caBundle: "${GIT_CA}" }
    rules: [{ apiGroups: [ign.example.com], apiVersions: [v1], operations: [CREATE], resources: [widgets] }]
    failurePolicy: Ignore
    sideEffects: None
    admissionReviewVersions: [v1]
    timeoutSeconds: 5
`;

let fx: Fixture;
let agent: AgentProcess;

const kubectl = (args: string[]) => fx.plane.kubectlOk(['-n', NS, ...args]);

async function rules(): Promise<RuleStatus[]> {
  const res = await fetch(`${agent.apiUrl}/api/v1/rules`);
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as RuleList).rules;
}

/** Waits until the rule `id` has matched at least `n` fields: the analysis saw the change. */
async function matched(id: string, n = 1): Promise<RuleStatus> {
  let last: RuleStatus[] = [];
  return until(
    `rule ${id} matches ${n}+ fields`,
    async () => {
      last = await rules();
      const r = last.find((x) => x.id === id);
      return r && r.matched_fields >= n ? r : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100, detail: () => JSON.stringify(last) },
  );
}

async function notActive(id: string): Promise<void> {
  const r = await getRecord(agent, id);
  assert.ok(r === null || r.drift_status !== 'active', `${id} is active: ${JSON.stringify(r)}`);
}

/** Waits for the record to be active with exactly these drifted paths (matched by `paths`). */
async function activeWith(id: string, paths: RegExp[]): Promise<RecordJson> {
  const r = await waitForRecord(
    agent,
    id,
    (x) => x.drift_status === 'active' && x.drift_details.length === paths.length,
    60_000,
  );
  for (const p of paths)
    assert.ok(
      r.drift_details.some((d) => p.test(d.path)),
      `${id}: no drifted path like ${p}: ${JSON.stringify(r.drift_details)}`,
    );
  return r;
}

describe('ignore rules on the full cluster', () => {
  before(async () => {
    fx = await startFixture();
    fx.repo.commit({ 'manifests/ignore-rules.yaml': MANIFESTS }, 'ignore-rules objects');
    await fx.plane.kubectlOk(['create', 'namespace', NS]);
    await fx.applyAll();
    agent = await startWatchOnlyAgent(fx, {
      kubernetes: {
        resource_types: ['Deployment', 'Service', 'ConfigMap', 'Secret', 'ValidatingWebhookConfiguration'],
      },
      drift: {
        rules: { ignore: [SIDECAR_RULE, NOTHING_RULE, DEEPER_RULE], ignore_catalog: ['cert-manager'] },
      },
    });
    for (const id of [
      'Deployment:ign:web',
      'Deployment:ign:api',
      'Deployment:ign:sec',
      'ValidatingWebhookConfiguration::ign-webhook',
    ])
      await notActive(id);
  });
  after(() => fx?.stop());

  it('a kind.group + selector + list-item rule hides the sidecar image, not the other container nor other objects', async () => {
    await kubectl(['set', 'image', 'deployment/web', 'sidecar=busybox:1.37']);
    await matched('ignore[0]');
    await notActive('Deployment:ign:web');
    // The same container's env is beside the rule's path; the other container's image too.
    await kubectl(['set', 'env', 'deployment/web', '-c', 'sidecar', 'MODE=debug']);
    await kubectl(['set', 'image', 'deployment/web', 'main=nginx:1.28.0']);
    const web = await activeWith('Deployment:ign:web', [
      /containers\[name=sidecar\]\.env/,
      /containers\[name=main\]\.image/,
    ]);
    assert.ok(!web.drift_details.some((d) => /sidecar\]\.image/.test(d.path)), JSON.stringify(web));
    assert.equal(web.drift_details.find((d) => /main\]\.image/.test(d.path))?.type, 'VersionChange');
    assert.equal(web.drift_details.find((d) => /sidecar\]\.env/.test(d.path))?.type, 'ConfigurationChange');
    // The selector does not pick `other` (app=other): its sidecar image and replicas are drift.
    await kubectl(['set', 'image', 'deployment/other', 'sidecar=busybox:1.37']);
    await kubectl(['scale', 'deployment/other', '--replicas=3']);
    const other = await activeWith('Deployment:ign:other', [
      /containers\[name=sidecar\]\.image/,
      /^spec\.replicas$/,
    ]);
    assert.equal(other.drift_details.find((d) => d.path === 'spec.replicas')?.type, 'Scaling');
  });

  it('the Git annotation hides its paths; another label is drift; removing the annotation live is not', async () => {
    await kubectl(['scale', 'deployment/api', '--replicas=4']);
    await kubectl(['label', 'deployment/api', 'team=ops', '--overwrite']);
    await matched('annotation:spec.replicas');
    await matched('annotation:metadata.labels.team');
    await notActive('Deployment:ign:api');
    await kubectl(['annotate', 'deployment/api', 'driftguard.io/ignore-fields-']);
    const live = JSON.parse(
      await kubectl(['get', 'deployment/api', '-o', 'jsonpath={.metadata.annotations}']),
    ) as object;
    assert.ok(!('driftguard.io/ignore-fields' in live), JSON.stringify(live));
    // A label beside the ignored one: the only drift, so neither the missing annotation nor the
    // ignored fields are reported in the analysis that found it.
    await kubectl(['label', 'deployment/api', 'tier=edge']);
    const api = await activeWith('Deployment:ign:api', [/^metadata\.labels\.tier$/]);
    assert.equal(api.drift_details[0]?.type, 'LabelChange');
    assert.ok(!api.drift_details.some((d) => d.path.includes('ignore-fields')), JSON.stringify(api));
  });

  it("the cert-manager catalog hides an injected caBundle, not the webhook's other fields", async () => {
    const id = 'ValidatingWebhookConfiguration::ign-webhook';
    const patch = (path: string, value: unknown) =>
      fx.plane.kubectlOk([
        'patch',
        'validatingwebhookconfiguration/ign-webhook',
        '--type=json',
        '-p',
        JSON.stringify([{ op: 'replace', path, value }]),
      ]);
    await patch('/webhooks/0/clientConfig/caBundle', INJECTED_CA);
    await matched('catalog:cert-manager[0]');
    await notActive(id);
    await patch('/webhooks/0/timeoutSeconds', 9);
    const r = await activeWith(id, [/timeoutSeconds$/]);
    assert.equal(r.drift_details[0]?.type, 'ConfigurationChange');
    assert.ok(!r.drift_details.some((d) => d.path.includes('caBundle')), JSON.stringify(r));
  });

  it('a rule deeper than a map added live splits it: the covered field is not drift, the other is', async () => {
    const id = 'Deployment:ign:sec';
    const securityContext = (sc: object) =>
      kubectl([
        'patch',
        'deployment/sec',
        '-p',
        JSON.stringify({ spec: { template: { spec: { securityContext: sc } } } }),
      ]);
    await securityContext({ runAsUser: 1000 });
    await matched('ignore[2]');
    await notActive(id);
    await securityContext({ runAsUser: 1000, fsGroup: 2000 });
    const r = await activeWith(id, [/^spec\.template\.spec\.securityContext\.fsGroup$/]);
    assert.equal(r.drift_details[0]?.live, 2000);
  });

  it('/api/v1/rules lists every rule with what it matched; the one matching nothing shows 0', async () => {
    const list = await rules();
    const byId = new Map(list.map((r) => [r.id, r]));
    assert.deepEqual(byId.get('ignore[0]')?.rule, SIDECAR_RULE);
    assert.equal(byId.get('ignore[0]')?.origin, 'config');
    assert.ok((byId.get('ignore[0]')?.matched_fields ?? 0) >= 1, JSON.stringify(list));
    assert.deepEqual(byId.get('ignore[1]')?.rule, NOTHING_RULE);
    assert.equal(
      byId.get('ignore[1]')?.matched_fields,
      0,
      'Deployment.extensions matched an apps Deployment',
    );
    assert.equal(byId.get('ignore[2]')?.matched_fields, 1, JSON.stringify(list));
    const catalog = list.filter((r) => r.origin === 'catalog');
    assert.equal(catalog.length, 4, JSON.stringify(catalog));
    assert.ok(catalog.every((r) => r.catalog === 'cert-manager'));
    assert.equal(byId.get('catalog:cert-manager[0]')?.matched_fields, 1);
    assert.equal(byId.get('catalog:cert-manager[1]')?.matched_fields, 0);
    for (const path of ['spec.replicas', 'metadata.labels.team']) {
      const row = byId.get(`annotation:${path}`);
      assert.equal(row?.origin, 'annotation', JSON.stringify(list));
      assert.deepEqual(row.rule, { path });
      assert.equal(row.objects, 1);
      assert.equal(row.matched_fields, 1);
    }
    assert.ok(
      list.some((r) => r.id === 'ignore_managers[0]'),
      'the default field-manager rules are listed',
    );
    assert.equal(list.filter((r) => r.origin === 'annotation').length, 2, JSON.stringify(list));
  });
});
