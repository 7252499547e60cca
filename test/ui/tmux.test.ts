// The drift browser in a real 80×24 terminal (tmux) against a real agent: control plane with the
// demo app, two drifts made with kubectl, the agent analysing a Git repo of the manifests. Typed keys
// go through the terminal, and what the screen shows is asserted.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startAgent, type AgentProcess } from '../kit/agent-process.ts';
import { startCluster, type Cluster } from '../cluster/cluster.ts';
import { exampleManifests, makeRepo, type TestRepo } from '../kit/repos.ts';
import { ROOT } from '../../plugin/package/build.ts';
import { startBrowser, tmuxAvailable, type TmuxSession } from './tmux.ts';

let plane: Cluster;
let repo: TestRepo;
let agent: AgentProcess;
let term: TmuxSession | undefined;

before(async () => {
  plane = await startCluster();
  // The namespace first: a directory apply does not order it before the objects in it.
  await plane.kubectlOk(['apply', '-f', join(ROOT, 'examples', 'namespace.yaml')]);
  await plane.kubectlOk(['apply', '-f', join(ROOT, 'examples')]);
  repo = makeRepo(exampleManifests({}));
  agent = await startAgent({
    config: {
      git: { url: repo.bare().url, branch: repo.branch },
      kubernetes: { kubeconfig: plane.kubeconfig },
      drift: { interval: '1h' },
    },
  });
  await agent.waitReady(60_000);
  // Two drifts, by two managers: replicas (medium) and an image (high).
  await plane.kubectlOk(['scale', 'deployment/web', '-n', 'demo', '--replicas=5']);
  await plane.kubectlOk(['set', 'image', 'deployment/web', '-n', 'demo', 'nginx=nginx:1.28.0']);
  await plane.kubectlOk(['label', 'configmap', '-n', 'demo', '--all', 'drifted=yes']);
});

after(async () => {
  term?.stop();
  await agent?.stop();
  repo?.remove();
  await plane?.stop();
});

test(
  'kubectl driftguard ui in an 80×24 terminal: list, filter, analyze, detail, quit',
  { skip: !tmuxAvailable() && 'tmux is not installed' },
  async () => {
    term = startBrowser(['--agent-url', agent.apiUrl], { columns: 80, rows: 24 });
    // The watch (or the first periodic run) reports the drift; the list refreshes every few seconds.
    let screen = await term.waitFor(/Deployment\/web/, 60_000);
    assert.match(screen, /DriftGuard ▸ active drifts/);
    assert.match(screen, /SEV↓ +NAMESPACE +RESOURCE +TYPE +MANAGER +AGE/);
    for (const line of screen.split('\n')) assert.ok([...line].length <= 80, line);

    term.keys('/');
    term.type('deploy');
    await term.waitFor('/deploy▏');
    term.keys('Enter');
    screen = await term.waitFor(/filter \/deploy/);
    const rows = screen.split('\n').filter((l) => /^(high|medium|low) /.test(l));
    assert.ok(rows.length >= 1, screen);
    for (const r of rows) assert.match(r, /Deployment\//, `filtered list shows only deployments:\n${screen}`);

    term.keys('a');
    screen = await term.waitFor(/analysis done: \d+ resources, \d+ drifted|analysis .* failed/, 60_000);
    assert.match(screen, /analysis done: \d+ resources, [1-9]\d* drifted/);

    // Open the web deployment: its fields as desired vs live.
    const webRow = screen
      .split('\n')
      .filter((l) => /^(high|medium|low) /.test(l))
      .findIndex((l) => l.includes('Deployment/web'));
    assert.ok(webRow >= 0, screen);
    for (let i = 0; i < webRow; i++) term.keys('Down');
    term.keys('Enter');
    screen = await term.waitFor('HISTORY');
    assert.match(screen, /Deployment demo\/web/);
    assert.match(screen, /spec\.replicas/);
    assert.match(screen, /- desired: 2/);
    assert.match(screen, /\+ live: {4}5/);
    assert.match(screen, /nginx:1\.28\.0/);

    term.keys('q');
    screen = await term.waitFor((s) => !s.includes('HISTORY') && !s.includes('▸ Deployment:demo:web'));
    assert.match(screen, /active 1\/\d+ /, 'back on the list, still filtered');
    term.keys('q');
    const deadline = Date.now() + 10_000;
    while (term.exitStatus() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(term.exitStatus(), 0, `exit status of the UI; last screen:\n${term.screen()}`);
  },
);
