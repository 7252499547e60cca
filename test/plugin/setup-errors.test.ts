// Mistakes made before anything is compared, said in the words that help: a missing kubeconfig
// (client-node would otherwise talk to localhost:8080) and git's own `fatal:` line for a clone
// that fails (git prints "Cloning into…" first). Real git, the real launcher; no cluster needed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, runPlugin, tempDir } from '../kit/plugin.ts';

const noEnv = { KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '' };

describe('setup errors', () => {
  it('no kubeconfig at all says so, naming where it looked', async () => {
    const home = tempDir('driftguard-home-');
    const r = await runPlugin(['analyze', '--local', '--repo', join(ROOT, 'examples')], {
      env: { ...noEnv, HOME: home },
    });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(
      r.stderr,
      `error: no kubeconfig: ${join(home, '.kube', 'config')} does not exist and KUBECONFIG is not set (pass --kubeconfig FILE, or --agent-url for the agent alone)\n`,
    );
  });

  it('a KUBECONFIG naming no file that exists says so', async () => {
    const missing = join(tempDir('driftguard-home-'), 'gone');
    const r = await runPlugin(['status'], { env: { ...noEnv, KUBECONFIG: missing } });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `error: no kubeconfig: KUBECONFIG names ${missing}, which does not exist\n`);
  });

  it("a clone that fails shows git's own fatal: line", async () => {
    const dir = tempDir('driftguard-git-');
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);
    git('init', '-q');
    writeFileSync(join(repo, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    git('add', '.');
    git('commit', '-qm', 'one');
    const kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]\n' +
        'users: [{name: u, user: {}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n',
    );
    const r = await runPlugin([
      'analyze',
      '--local',
      '--repo',
      repo,
      '--branch',
      'no-such-branch',
      '--kubeconfig',
      kubeconfig,
    ]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /^error: cannot clone .*repo \(branch no-such-branch\): fatal: Remote branch no-such-branch not found in upstream origin\n$/,
    );
  });
});
