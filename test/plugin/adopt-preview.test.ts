// `kubectl-driftguard adopt --local` and `preview` end to end against a real cluster. Adopt: real
// kubectl changes (scale, set env, label, a raised memory limit, a removed env var) are written into
// a plain manifest in a Git checkout with its comments kept, after which `analyze --local` finds the
// object in sync; the commit on a new branch names fields, values and managers and is pushed to a
// real remote; Secret values are refused. Preview: a pull request changing an image while the live
// Deployment was scaled by hand reports the replica count as overwritten, in a checked markdown comment.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DriftResult } from '../../shared/types.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { makeRepo, type TestRepo } from '../kit/repos.ts';
import { copyRepo, parseJson, ROOT, runPlugin, tempDir, type JsonReport } from '../kit/plugin.ts';

const SHOP = join(ROOT, 'test', 'plugin', 'fixtures', 'shop');

let plane: Cluster;
let nsCounter = 0;

function git(dir: string, args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
}

/** The shop fixture in namespace `adopt-N`, with comments, committed in a Git repo with a bare remote. */
async function shopCheckout(): Promise<{ ns: string; repo: string; remote: string }> {
  const ns = `adopt-${++nsCounter}`;
  const repo = copyRepo(SHOP, 'shop', ns);
  const web = join(repo, 'web.yaml');
  writeFileSync(
    web,
    `# The storefront. Keep it boring.\n${readFileSync(web, 'utf8').replace('  replicas: 3', '  replicas: 3 # sized for a quiet day').replace('        - name: web\n', '        - name: web # the only container\n')}`,
  );
  const remote = tempDir('driftguard-adopt-remote-');
  git(remote, ['init', '-q', '--bare', '-b', 'main']);
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, [
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@example.com',
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    'empty',
  ]);
  git(repo, ['add', '.']);
  git(repo, ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'shop']);
  git(repo, ['remote', 'add', 'origin', remote]);
  git(repo, ['config', 'user.name', 'Ops Person']);
  git(repo, ['config', 'user.email', 'ops@example.com']);
  await plane.kubectlOk(['apply', '-f', join(repo, 'namespace.yaml')]);
  await plane.kubectlOk(['apply', '-f', repo]);
  return { ns, repo, remote };
}

function plugin(args: string[]): ReturnType<typeof runPlugin> {
  return runPlugin([...args, '--kubeconfig', plane.kubeconfig]);
}

async function driftOf(repo: string, id: string): Promise<DriftResult> {
  const r = parseJson<JsonReport<DriftResult>>(
    await plugin(['analyze', '--local', '--repo', repo, '-o', 'json']),
  );
  const rec = r.drift_records.find((d) => d.resource_id === id);
  assert.ok(rec, `${id} not analysed`);
  return rec;
}

describe('adopt --local into a plain manifest', () => {
  before(async () => {
    plane = await startCluster();
  });
  after(async () => {
    await plane?.stop();
  });

  it('writes scale, env, label, memory limit and a removed env var; analyze then finds it in sync', async () => {
    const { ns, repo, remote } = await shopCheckout();
    const id = `Deployment:${ns}:web`;
    const k = (args: string[]) => plane.kubectlOk(['-n', ns, ...args]);
    await k(['scale', 'deployment/web', '--replicas=5']);
    await k(['set', 'env', 'deployment/web', 'FEATURE_FLAGS=checkout-v2', 'LOG_LEVEL-']);
    await k(['label', 'deployment/web', 'hotfix=incident-42']);
    await k(['set', 'resources', 'deployment/web', '--limits=memory=512Mi']);
    const drift = await driftOf(repo, id);
    assert.deepEqual(drift.drift_details.map((d) => d.path).sort(), [
      'metadata.labels.hotfix',
      'spec.replicas',
      'spec.template.spec.containers[name=web].env[name=FEATURE_FLAGS]',
      'spec.template.spec.containers[name=web].env[name=LOG_LEVEL]',
      'spec.template.spec.containers[name=web].resources.limits.memory',
    ]);
    const before = readFileSync(join(repo, 'web.yaml'), 'utf8');
    const r = await plugin(['adopt', 'deployment/web', '-n', ns, '--local', '--repo', repo, '--push']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /spec\.replicas: 3 → 5 \(changed live by kubectl-scale\)/);
    const after = readFileSync(join(repo, 'web.yaml'), 'utf8');
    // Only the adopted lines changed: comments, order, quoting and the other documents are as they were.
    assert.match(after, /^# The storefront\. Keep it boring\.\n/);
    assert.match(after, / {2}replicas: 5 # sized for a quiet day\n/);
    assert.match(after, / {8}- name: web # the only container\n/);
    assert.match(after, / {4}hotfix: incident-42\n/);
    assert.match(after, / {12}- name: FEATURE_FLAGS\n {14}value: checkout-v2\n/);
    assert.doesNotMatch(after, /LOG_LEVEL/);
    assert.match(after, / {14}memory: 512Mi\n/);
    const removed = before.split('\n').filter((l) => !after.split('\n').includes(l));
    assert.deepEqual(removed, [
      '  replicas: 3 # sized for a quiet day',
      '            - name: LOG_LEVEL',
      '              value: info',
      '              memory: 256Mi',
    ]);
    assert.equal((await driftOf(repo, id)).drift_detected, false, 'still drift after adopting');
    // One commit on a new branch, pushed: the message says what, from what to what, and who.
    assert.equal(git(repo, ['branch', '--show-current']).trim(), `driftguard/adopt-deployment-${ns}-web`);
    const msg = git(repo, ['log', '-1', '--format=%B']);
    assert.match(msg, new RegExp(`^Adopt the live Deployment ${ns}/web into Git \\(5 fields\\)`));
    assert.match(msg, /spec\.replicas: 3 → 5 \(changed live by kubectl-scale\)/);
    assert.match(msg, /resources\.limits\.memory: 256Mi → 512Mi \(changed live by kubectl-set\)/);
    assert.match(msg, /env\[name=LOG_LEVEL\]: \{"name":"LOG_LEVEL","value":"info"\} → \(absent\)/);
    assert.match(msg, /metadata\.labels\.hotfix: \(absent\) → incident-42 \(changed live by kubectl-label\)/);
    assert.deepEqual(git(repo, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n'), [
      'web.yaml',
    ]);
    assert.equal(
      git(remote, ['rev-parse', `driftguard/adopt-deployment-${ns}-web`]).trim(),
      git(repo, ['rev-parse', 'HEAD']).trim(),
    );
  });

  it('adopts only the fields named with --field, and says when one did not drift', async () => {
    const { ns, repo } = await shopCheckout();
    await plane.kubectlOk(['-n', ns, 'scale', 'deployment/web', '--replicas=4']);
    await plane.kubectlOk(['-n', ns, 'label', 'deployment/web', 'oncall=yes']);
    const bad = await plugin([
      'adopt',
      'deployment/web',
      '-n',
      ns,
      '--local',
      '--repo',
      repo,
      '--field',
      'spec.paused',
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /has no drift at spec\.paused; its drifted fields: /);
    const r = await plugin([
      'adopt',
      'deployment/web',
      '-n',
      ns,
      '--local',
      '--repo',
      repo,
      '--field',
      'spec.replicas',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const left = await driftOf(repo, `Deployment:${ns}:web`);
    assert.deepEqual(
      left.drift_details.map((d) => d.path),
      ['metadata.labels.oncall'],
    );
    assert.match(readFileSync(join(repo, 'web.yaml'), 'utf8'), /replicas: 4 # sized/);
  });

  it('refuses Secret values, naming why', async () => {
    const { ns, repo } = await shopCheckout();
    await plane.kubectlOk([
      '-n',
      ns,
      'patch',
      'secret/db-credentials',
      '-p',
      '{"stringData":{"password":"n3w-S3cret"}}',
    ]);
    const before = readFileSync(join(repo, 'config.yaml'), 'utf8');
    const r = await plugin(['adopt', 'secret/db-credentials', '-n', ns, '--local', '--repo', repo]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /refusing to adopt data\.password of Secret:.*Secret values are never written to Git/,
    );
    assert.doesNotMatch(r.stdout + r.stderr, /n3w-S3cret/);
    assert.equal(readFileSync(join(repo, 'config.yaml'), 'utf8'), before);
  });

  describe('preview', () => {
    let repo: TestRepo;
    let ns: string;
    before(async () => {
      ns = `preview-${++nsCounter}`;
      const src = copyRepo(SHOP, 'shop', ns);
      repo = makeRepo(
        Object.fromEntries(readdirSync(src).map((f) => [f, readFileSync(join(src, f), 'utf8')])),
      );
      await plane.kubectlOk(['apply', '-f', join(repo.dir, 'namespace.yaml')]);
      await plane.kubectlOk(['apply', '-f', repo.dir]);
      // The incident fix nobody put in Git.
      await plane.kubectlOk(['-n', ns, 'scale', 'deployment/web', '--replicas=5']);
      git(repo.dir, ['switch', '-q', '-c', 'pr']);
      const web = readFileSync(join(repo.dir, 'web.yaml'), 'utf8');
      const config = readFileSync(join(repo.dir, 'config.yaml'), 'utf8');
      repo.commit({
        'web.yaml': web.replace('image: nginx:1.27.3', 'image: nginx:1.28.0'),
        'config.yaml': config.replace('password: s3cr3t-Pa55w0rd', 'password: n3w-Pa55w0rd-in-PR'),
      });
    });
    after(() => repo?.remove());

    it('a pull request changing an image reports the hand-scaled replicas as overwritten (markdown)', async () => {
      const r = await plugin([
        'preview',
        '--repo',
        repo.dir,
        '--base',
        'main',
        '--head',
        'pr',
        '-o',
        'markdown',
        '--exit-code',
      ]);
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stdout.split('\n');
      assert.match(
        lines[0] ?? '',
        /^\*\*DriftGuard preview\*\* of `main \([0-9a-f]{12}\)` → `pr \([0-9a-f]{12}\)`: 2 objects change \(2 modified, 0 added, 0 pruned\), 3 fields change live; :warning: 1 live drift would be overwritten\.$/,
      );
      assert.equal(r.stdout.match(/<details>/g)?.length, 2);
      assert.match(
        r.stdout,
        new RegExp(
          `<summary>Deployment ${ns}/web: modified, 2 fields change live, :warning: overwrites 1 live drift</summary>`,
        ),
      );
      assert.match(
        r.stdout,
        /\| `spec\.replicas` \| `5` \| `3` \| overwrites a live change by kubectl-scale \|/,
      );
      assert.match(
        r.stdout,
        /\| `spec\.template\.spec\.containers\[name=web\]\.image` \| `nginx:1\.27\.3` \| `nginx:1\.28\.0` \| {2}\|/,
      );
      assert.match(
        r.stdout,
        new RegExp(`<summary>Secret ${ns}/db-credentials: modified, 1 field change live</summary>`),
      );
      assert.match(r.stdout, /\| `data\.password` \| `\(redacted\)` \| `\(redacted\)` \|/);
      assert.doesNotMatch(r.stdout + r.stderr, /Pa55w0rd/);
      assert.match(r.stdout, /other objects? unchanged by this change\.\n$/);
    });

    it('defaults: the merge-base with the default branch against the working tree; exit codes', async () => {
      const json = parseJson<{ base: string; head: string; summary: Record<string, number> }>(
        await plugin(['preview', '--repo', repo.dir, '-o', 'json']),
      );
      assert.match(json.base, /^[0-9a-f]{12}$/);
      assert.equal(json.base, git(repo.dir, ['rev-parse', 'main']).trim().slice(0, 12));
      assert.equal(json.head, 'working tree');
      assert.equal(json.summary['drifts_overwritten'], 1);
      const same = await plugin([
        'preview',
        '--repo',
        repo.dir,
        '--base',
        'pr',
        '--head',
        'pr',
        '--exit-code',
      ]);
      assert.equal(same.code, 0, same.stderr);
      assert.match(same.stdout, /no object changes/);
      const bad = await plugin(['preview', '--repo', repo.dir, '--base', 'no-such-ref']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /^error: git rev-parse .*no-such-ref/m);
      const md = await plugin(['status', '-o', 'markdown']);
      assert.equal(md.code, 2);
      assert.match(md.stderr, /-o markdown is for preview only/);
    });
  });
});
