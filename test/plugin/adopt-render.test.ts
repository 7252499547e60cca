// `adopt --local` on rendered sources with the real kustomize and helm and a real cluster: a Kustomize
// overlay gets the live image in images:, the live count in replicas: and the rest in a patch file
// (the base untouched), or the base file with --to base; the podinfo chart gets the live image tag
// and replica count in the values file given with --values, and a field no values key produces is
// named with its template. Each time `analyze --local` then finds those fields in sync. And preview of
// an overlay change names the hand-scaled replicas it would overwrite.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { DriftResult } from '../../shared/types.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { renderBinaries } from '../render/tools.ts';
import { parseJson, runPlugin, tempDir, type JsonReport, type RunResult } from '../kit/plugin.ts';
import { PODINFO, sharedSkip } from '../kit/shared-data.ts';

const PODINFO_CHART = join(PODINFO, 'charts', 'podinfo');

let plane: Cluster;
let env: NodeJS.ProcessEnv;
const repos: TestRepo[] = [];

function plugin(args: string[]): Promise<RunResult> {
  return runPlugin([...args, '--kubeconfig', plane.kubeconfig], { env, timeoutMs: 240_000 });
}

/** `adopt deployment/prod-web` in the overlay checkout (`overlays/prod`), from namespace `ns`. */
function adoptProd(ns: string, repo: TestRepo, ...extra: string[]): Promise<RunResult> {
  return plugin([
    'adopt',
    'deployment/prod-web',
    '-n',
    ns,
    '--local',
    '--repo',
    repo.dir,
    '--path',
    'overlays/prod',
    ...extra,
  ]);
}

async function drift(repo: string, id: string, args: string[]): Promise<DriftResult> {
  const r = await plugin(['analyze', '--local', '--repo', repo, '-o', 'json', ...args]);
  const rec = parseJson<JsonReport<DriftResult>>(r).drift_records.find((d) => d.resource_id === id);
  assert.ok(rec, `${id} not analysed: ${r.stderr}`);
  return rec;
}

function overlayRepo(ns: string): TestRepo {
  const repo = makeRepo({
    'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27.3 # pinned by the platform team
          env:
            - name: LOG_LEVEL
              value: info
          resources:
            limits:
              memory: 256Mi
`,
    'overlays/prod/kustomization.yaml': `# production
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${ns}
namePrefix: prod-
resources:
  - ../../base
  - namespace.yaml
`,
    'overlays/prod/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
  });
  repos.push(repo);
  return repo;
}

describe('adopt --local into rendered sources', () => {
  before(async () => {
    plane = await startCluster();
    const b = renderBinaries();
    env = { PATH: [dirname(b.kustomize), dirname(b.helm), process.env['PATH']].join(':') };
  });
  after(async () => {
    for (const r of repos) r.remove();
    await plane?.stop();
  });

  it('Kustomize: image to images:, replicas to replicas:, memory and an env var to a patch; base untouched', async () => {
    const ns = 'adopt-k1';
    const repo = overlayRepo(ns);
    await plane.kubectlOk(['apply', '-k', join(repo.dir, 'overlays/prod')]);
    const k = (args: string[]) => plane.kubectlOk(['-n', ns, ...args]);
    await k(['set', 'image', 'deployment/prod-web', 'web=nginx:1.28.0']);
    await k(['scale', 'deployment/prod-web', '--replicas=4']);
    await k(['set', 'resources', 'deployment/prod-web', '--limits=memory=512Mi']);
    await k(['set', 'env', 'deployment/prod-web', 'FEATURE_X=on']);
    const baseBefore = readFileSync(join(repo.dir, 'base/deployment.yaml'), 'utf8');
    const r = await adoptProd(ns, repo);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(repo.dir, 'base/deployment.yaml'), 'utf8'), baseBefore);
    const kust = readFileSync(join(repo.dir, 'overlays/prod/kustomization.yaml'), 'utf8');
    assert.match(kust, /^# production\n/);
    assert.match(kust, /\nimages:\n {2}- name: nginx\n {4}newTag: 1\.28\.0\n/);
    assert.match(kust, /\nreplicas:\n {2}- name: web\n {4}count: 4\n/);
    assert.match(kust, /\npatches:\n {2}- path: adopt-deployment-web\.yaml\n/);
    const patch = readFileSync(join(repo.dir, 'overlays/prod/adopt-deployment-web.yaml'), 'utf8');
    assert.match(patch, /^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n {2}name: web\n/);
    assert.match(patch, /memory: 512Mi/);
    assert.match(patch, /- name: FEATURE_X\n\s+value: "?on"?\n/);
    const after = await drift(repo.dir, `Deployment:${ns}:prod-web`, ['--path', 'overlays/prod']);
    assert.deepEqual(after.drift_details, [], 'still drift after adopting into the overlay');
  });

  it('preview of a Kustomize overlay change: the new image, and the hand-scaled replicas it overwrites', async () => {
    const ns = 'adopt-k3';
    const repo = overlayRepo(ns);
    await plane.kubectlOk(['apply', '-k', join(repo.dir, 'overlays/prod')]);
    await plane.kubectlOk(['-n', ns, 'scale', 'deployment/prod-web', '--replicas=3']);
    const k = readFileSync(join(repo.dir, 'overlays/prod/kustomization.yaml'), 'utf8');
    execFileSync('git', ['switch', '-q', '-c', 'pr'], { cwd: repo.dir });
    repo.commit({
      'overlays/prod/kustomization.yaml': `${k}images:\n  - name: nginx\n    newTag: 1.28.0\n`,
    });
    const r = await plugin([
      'preview',
      '--repo',
      repo.dir,
      '--path',
      'overlays/prod',
      '--base',
      'main',
      '--head',
      'pr',
      '-o',
      'json',
      '--exit-code',
    ]);
    assert.equal(r.code, 1, r.stderr);
    const p = JSON.parse(r.stdout) as {
      objects: {
        resource_id: string;
        change: string;
        to_live: { path: string }[];
        overwrites: { path: string; manager: string }[];
      }[];
    };
    assert.deepEqual(
      p.objects.map((o) => [
        o.resource_id,
        o.change,
        o.to_live.map((d) => d.path).sort(),
        o.overwrites.map((d) => [d.path, d.manager]),
      ]),
      [
        [
          `Deployment:${ns}:prod-web`,
          'modify',
          ['spec.replicas', 'spec.template.spec.containers[name=web].image'],
          [['spec.replicas', 'kubectl-scale']],
        ],
      ],
    );
  });

  it('Kustomize --to base: the base file is edited in place', async () => {
    const ns = 'adopt-k2';
    const repo = overlayRepo(ns);
    await plane.kubectlOk(['apply', '-k', join(repo.dir, 'overlays/prod')]);
    await plane.kubectlOk(['-n', ns, 'set', 'resources', 'deployment/prod-web', '--limits=memory=384Mi']);
    const r = await adoptProd(ns, repo, '--to', 'base');
    assert.equal(r.code, 0, r.stderr);
    const base = readFileSync(join(repo.dir, 'base/deployment.yaml'), 'utf8');
    assert.match(base, / {14}memory: 384Mi\n/);
    assert.match(base, /image: nginx:1\.27\.3 # pinned by the platform team\n/);
    assert.ok(!existsSync(join(repo.dir, 'overlays/prod/adopt-deployment-web.yaml')));
    const after = await drift(repo.dir, `Deployment:${ns}:prod-web`, ['--path', 'overlays/prod']);
    assert.deepEqual(after.drift_details, []);
  });

  it(
    'Helm (podinfo): image tag and replica count to the values file; a template field named',
    { skip: sharedSkip(PODINFO_CHART) },
    async () => {
      const ns = 'adopt-h1';
      const dir = tempDir('driftguard-adopt-chart-');
      cpSync(PODINFO_CHART, join(dir, 'podinfo'), { recursive: true });
      writeFileSync(join(dir, 'podinfo/values-prod.yaml'), '# production values\nui:\n  message: "prod"\n');
      await plane.kubectlOk(['create', 'namespace', ns]);
      await new Promise<void>((resolve, reject) =>
        execFile(
          renderBinaries().helm,
          [
            'install',
            'podinfo',
            join(dir, 'podinfo'),
            '-n',
            ns,
            '-f',
            join(dir, 'podinfo/values-prod.yaml'),
            '--no-hooks',
            '--kubeconfig',
            plane.kubeconfig,
          ],
          { timeout: 120_000, env: { PATH: process.env['PATH'] ?? '', HOME: plane.dir } },
          (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve()),
        ),
      );
      const tag = JSON.parse(
        await plane.kubectlOk(['-n', ns, 'get', 'deployment/podinfo', '-o', 'json']),
      ) as {
        spec: { template: { spec: { containers: { image: string }[] } } };
      };
      const image = tag.spec.template.spec.containers[0]?.image ?? '';
      assert.match(image, /^ghcr\.io\/stefanprodan\/podinfo:/);
      await plane.kubectlOk([
        '-n',
        ns,
        'set',
        'image',
        'deployment/podinfo',
        'podinfo=ghcr.io/stefanprodan/podinfo:6.99.0',
      ]);
      await plane.kubectlOk(['-n', ns, 'scale', 'deployment/podinfo', '--replicas=3']);
      await plane.kubectlOk(['-n', ns, 'label', 'deployment/podinfo', 'hotfix=yes']);
      const common = [
        '--local',
        '--repo',
        dir,
        '--path',
        'podinfo',
        '--values',
        'values-prod.yaml',
        '--release',
        'podinfo',
        '-n',
        ns,
      ];
      const r = await plugin(['adopt', 'deployment/podinfo', ...common]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stderr,
        /spec\.template\.spec\.containers\[name=podinfo\]\.image comes from values image\.repository="ghcr\.io\/stefanprodan\/podinfo", image\.tag="6\.99\.0"/,
      );
      assert.match(r.stderr, /spec\.replicas comes from values replicaCount=3/);
      assert.match(
        r.stderr,
        /metadata\.labels\.hotfix is written by podinfo\/templates\/deployment\.yaml, not by a values key: change the template, e\.g\. with this patch:\n(.|\n)*hotfix: "?yes"?/,
      );
      const values = readFileSync(join(dir, 'podinfo/values-prod.yaml'), 'utf8');
      assert.ok(values.startsWith('# production values\nui:\n  message: "prod"\n'), values);
      assert.deepEqual(parseYaml(values), {
        ui: { message: 'prod' },
        image: { tag: '6.99.0' },
        replicaCount: 3,
      });
      const after = await drift(dir, `Deployment:${ns}:podinfo`, [
        '--path',
        'podinfo',
        '--helm-values',
        'values-prod.yaml',
        '--release',
        'podinfo',
        '-n',
        ns,
      ]);
      assert.deepEqual(
        after.drift_details.map((d) => d.path),
        ['metadata.labels.hotfix'],
      );
    },
  );

  it('Helm: a chart that refuses marker values is traced one key at a time', async () => {
    const ns = 'adopt-h2';
    const repo = makeRepo({
      'strict/Chart.yaml': 'apiVersion: v2\nname: strict\nversion: 0.1.0\n',
      'strict/values.yaml': '# pinned\nappVersion: "1.2.0"\nimage: nginx:1.27.3\nreplicas: 2\n',
      'strict/templates/deploy.yaml': `{{- if not (semverCompare ">=1.0.0" .Values.appVersion) }}{{ fail "appVersion must be >= 1.0.0" }}{{ end }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: strict
spec:
  replicas: {{ .Values.replicas }}
  selector: { matchLabels: { app: strict } }
  template:
    metadata: { labels: { app: strict } }
    spec:
      containers:
        - name: app
          image: {{ .Values.image | quote }}
`,
    });
    repos.push(repo);
    await plane.kubectlOk(['create', 'namespace', ns]);
    await new Promise<void>((resolve, reject) =>
      execFile(
        renderBinaries().helm,
        ['install', 'strict', join(repo.dir, 'strict'), '-n', ns, '--kubeconfig', plane.kubeconfig],
        { timeout: 120_000, env: { PATH: process.env['PATH'] ?? '', HOME: plane.dir } },
        (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve()),
      ),
    );
    await plane.kubectlOk(['-n', ns, 'set', 'image', 'deployment/strict', 'app=nginx:1.28.0']);
    const common = ['--local', '--repo', repo.dir, '--path', 'strict', '--release', 'strict', '-n', ns];
    const r = await plugin(['adopt', 'deployment/strict', ...common, '--values', 'values.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /traced one key at a time/);
    assert.match(
      r.stderr,
      /spec\.template\.spec\.containers\[name=app\]\.image comes from values image="nginx:1\.28\.0"/,
    );
    assert.equal(
      readFileSync(join(repo.dir, 'strict/values.yaml'), 'utf8'),
      '# pinned\nappVersion: "1.2.0"\nimage: nginx:1.28.0\nreplicas: 2\n',
    );
    const after = await drift(repo.dir, `Deployment:${ns}:strict`, [
      '--path',
      'strict',
      '--release',
      'strict',
      '-n',
      ns,
    ]);
    assert.deepEqual(after.drift_details, []);
  });
});
