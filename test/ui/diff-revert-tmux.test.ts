// `d` and `R` in the drift browser, in a real 100×30 terminal (tmux) against a real agent and
// control plane: the diff of the selected drift, a revert refused with `n`, then `y` reverting a
// `kubectl scale` drift (the confirmation says it takes spec.replicas over, and only it; the outcome
// is wrapped, never cut), and the agent then seeing the record resolve.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { waitForRecord, type Fixture } from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';
import { browseDrifts, selectDrift, startDriftedAgent } from './drifted-agent.ts';
import { tmuxAvailable, type TmuxSession } from './tmux.ts';

let fx: Fixture;
let agent: AgentProcess;
let term: TmuxSession | undefined;

before(async () => {
  ({ fx, agent } = await startDriftedAgent());
});

after(async () => {
  term?.stop();
  await fx?.stop();
});

async function replicas(): Promise<string> {
  return fx.plane.kubectlOk(['-n', 'demo', 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}']);
}

test(
  'd shows the diff, R asks with the diff and what it takes over, n leaves it, y reverts a scale drift',
  { skip: !tmuxAvailable() && 'tmux is not installed' },
  async () => {
    term = browseDrifts(fx, agent);
    await selectDrift(term, 'Deployment/web');

    term.keys('d');
    let screen = await term.waitFor(/diff -u -N LIVE\/apps\.v1\.Deployment\.demo\.web/);
    assert.match(screen, /^- {2}replicas: 5/m);
    assert.match(screen, /^\+ {2}replicas: 2/m);
    assert.match(screen, /diff Deployment:demo:web/, 'the title names the page');
    assert.match(screen, /declared in manifests\/web\.yaml, document 1/, 'where Git declares it');

    term.keys('R');
    screen = await term.waitFor(/Revert Deployment:demo:web to what Git declares\?/);
    assert.match(screen, /^- {2}replicas: 5/m, 'the confirmation shows the diff');
    term.keys('n');
    await term.waitFor((s) => !s.includes('Revert Deployment:demo:web') && /Deployment\/web/.test(s));
    assert.equal(await replicas(), '5');

    term.keys('R');
    await term.waitFor(/Revert Deployment:demo:web to what Git declares\?/);
    const flat = (text: string): string => text.replace(/\s+/g, ' ');
    await term.waitFor((sc) =>
      flat(sc).includes(
        'This applies only the 1 drifted field (spec.replicas) as driftguard-revert and takes it over from its current manager; every other field and its manager stay as they are.',
      ),
    );
    assert.match(term.screen(), /F = also take over fields that did not drift/);
    term.keys('y');
    screen = await term.waitFor(/reverted: server-side apply as driftguard-revert/, 20_000);
    assert.ok(
      flat(screen).includes('took over .spec.replicas from "kubectl" (scale)'),
      `the outcome is shown whole:\n${screen}`,
    );
    for (const line of screen.split('\n')) assert.ok([...line].length <= 100, line);
    assert.equal(await replicas(), '2');
    await waitForRecord(agent, 'Deployment:demo:web', (r) => r.drift_status === 'resolved', 20_000);
    await term.waitFor(/no drift: the object matches Git/, 20_000);

    term.keys('q');
    term.keys('q');
    const deadline = Date.now() + 10_000;
    while (term.exitStatus() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(term.exitStatus(), 0, `exit status of the UI; last screen:\n${term.screen()}`);
  },
);
