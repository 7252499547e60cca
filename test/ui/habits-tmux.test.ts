// kubectl and k9s habits in the drift browser, in a real 120×35 terminal (tmux) against a real agent
// and cluster: Esc never quits, the `:` command line (:ns, :kind with a kubectl name, an unknown
// command, :q), the sort marker, and an agent that stops answering flagged long before a request's
// own timeout (the agent is stopped with SIGSTOP, so its socket accepts and then hangs, as a
// port-forward to a vanished pod does; --request-timeout 10m keeps the request itself waiting).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Fixture } from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';
import { startDriftedAgent } from './drifted-agent.ts';
import { startBrowser, tmuxAvailable, type TmuxSession } from './tmux.ts';

let fx: Fixture;
let agent: AgentProcess;
let term: TmuxSession | undefined;
let stopped = false;

before(async () => {
  ({ fx, agent } = await startDriftedAgent((f) =>
    f.plane.kubectlOk(['-n', 'demo', 'label', 'configmap', '--all', 'drifted=yes']),
  ));
});

after(async () => {
  term?.stop();
  if (stopped) agent?.child.kill('SIGCONT');
  await fx?.stop();
});

const rows = (screen: string): string[] => screen.split('\n').filter((l) => /^(high|medium|low) /.test(l));

test(
  'Esc never quits, : commands work and answer, the sort column is marked, a silent agent is flagged',
  { skip: !tmuxAvailable() && 'tmux is not installed' },
  async () => {
    term = startBrowser(['--agent-url', agent.apiUrl, '--request-timeout', '10m'], {
      columns: 120,
      rows: 35,
    });
    let screen = await term.waitFor((s) => /Deployment\/web/.test(s) && /ConfigMap\//.test(s), 60_000);
    assert.match(screen, /SEV↓ +NAMESPACE/, 'severity sort marked in the header');

    // Esc with nothing to clear stays, and says how to quit.
    term.keys('Escape');
    await term.waitFor(/nothing to clear; quit with q, :q or Ctrl-C/);
    assert.equal(term.exitStatus(), null);

    term.type(':kind deploy');
    await term.waitFor(/:kind deploy▏/);
    term.keys('Enter');
    screen = await term.waitFor(/kind:Deployment/);
    assert.ok(rows(screen).length >= 1, screen);
    for (const r of rows(screen)) assert.match(r, /Deployment\//, screen);

    term.type(':sort age');
    term.keys('Enter');
    screen = await term.waitFor(/AGE↑/);
    assert.doesNotMatch(screen, /SEV↓/);

    term.type(':kind deplyment');
    term.keys('Enter');
    await term.waitFor(/:kind deplyment: unknown kind \(did you mean Deployment\?\)/);
    term.type(':frobnicate');
    term.keys('Enter');
    await term.waitFor(/unknown command :frobnicate \(commands: :ns NAME/);

    // Esc clears :kind (the ConfigMaps come back), and again never quits.
    term.keys('Escape');
    await term.waitFor((s) => /ConfigMap\//.test(s) && !s.includes('kind:Deployment'));
    term.keys('Escape');
    await term.waitFor(/nothing to clear/);
    assert.equal(term.exitStatus(), null);

    // Typed and Enter in one go, as a paste arrives.
    term.type(':ns nowhere\r');
    await term.waitFor(/no active drift matches the filter|no drift matches the filter/);
    term.type(':ns');
    term.keys('Enter');
    await term.waitFor(/Deployment\/web/);

    // The agent stops answering: flagged while the request still waits (its timeout is 10 minutes).
    agent.child.kill('SIGSTOP');
    stopped = true;
    screen = await term.waitFor(
      /agent lost: no answer for \d+s; showing data from \d\d:\d\d:\d\d, ages frozen/,
      60_000,
    );
    assert.match(screen, /active drifts \(STALE\)/);
    assert.match(screen, /Deployment\/web/, 'the last data stays on screen');
    agent.child.kill('SIGCONT');
    stopped = false;
    await term.waitFor((s) => !s.includes('agent lost') && !s.includes('STALE'), 60_000);

    term.type(':q');
    term.keys('Enter');
    const deadline = Date.now() + 10_000;
    while (term.exitStatus() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(term.exitStatus(), 0, `exit status of the UI; last screen:\n${term.screen()}`);
  },
);

test('Ctrl-C quits', { skip: !tmuxAvailable() && 'tmux is not installed' }, async () => {
  const t = startBrowser(['--agent-url', agent.apiUrl], { columns: 100, rows: 30 });
  try {
    await t.waitFor(/Deployment\/web/, 60_000);
    t.keys('C-c');
    const deadline = Date.now() + 10_000;
    while (t.exitStatus() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(t.exitStatus(), 0, t.screen());
  } finally {
    t.stop();
  }
});
