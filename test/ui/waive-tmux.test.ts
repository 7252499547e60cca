// `w` in the drift browser, in a real 100×30 terminal (tmux) against a real agent and control plane:
// on a `kubectl scale` drift it asks how long (a bad duration is refused there) and why, makes the
// waiver through the agent as `kubectl driftguard waive` does (owner: the kubeconfig's user), the
// agent's next analysis marks the record waived, it leaves the active list and `:waived` shows it;
// `:waivers` lists the waiver, `u` then `y` revokes it and the drift is active again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { waitForRecord, type Fixture, type RecordJson } from '../kit/agent-fixture.ts';
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

test(
  'w asks how long and why, the drift turns waived and :waived lists it; :waivers, u, y revoke it and it is active again',
  { skip: !tmuxAvailable() && 'tmux is not installed' },
  async () => {
    term = browseDrifts(fx, agent);
    await selectDrift(term, 'Deployment/web');

    term.keys('w');
    await term.waitFor(/waive Deployment:demo:web for how long \(7d, 12h, 30m\)\? ▏/);
    term.type('12');
    term.keys('Enter');
    await term.waitFor(/--for 12: expected a duration such as 7d, 12h or 30m/);
    term.type('12h');
    term.keys('Enter');
    await term.waitFor(/waive Deployment:demo:web for 12h, because: ▏/);
    term.type('load test until noon');
    term.keys('Enter');
    await term.waitFor(/waiver\/[0-9a-f-]+ created: Deployment:demo:web waived until/, 30_000);

    const waived = (await waitForRecord(
      agent,
      'Deployment:demo:web',
      (r) => r.drift_status === 'waived',
      60_000,
    )) as RecordJson & { waiver?: { owner: string; reason: string } | null };
    assert.equal(waived.waiver?.reason, 'load test until noon');
    const owner = waived.waiver?.owner ?? '';
    assert.ok(owner.length > 0);
    await term.waitFor((s) => !s.includes('Deployment/web') && /active drifts/.test(s), 30_000);

    term.type(':waived');
    term.keys('Enter');
    const list = await term.waitFor(/Deployment\/web/, 30_000);
    assert.match(list, /waived drifts/);
    assert.match(list, new RegExp(`Deployment/web +Scaling +by ${owner}, 11h left`), list);

    // :waivers lists it; u asks, y revokes, and the agent's next analysis makes the drift active again.
    term.type(':waivers');
    term.keys('Enter');
    const waivers = await term.waitFor(/Deployment\/demo\/web/, 30_000);
    assert.match(
      waivers,
      new RegExp(`active +${owner} +Deployment/demo/web +in 11h +load test until noon`),
      waivers,
    );
    term.keys('u');
    await term.waitFor(/revoke waiver \S+\? Deployment\/demo\/web/);
    term.keys('y');
    await term.waitFor(/waiver\/[0-9a-f-]+ revoked/, 30_000);
    await waitForRecord(agent, 'Deployment:demo:web', (r) => r.drift_status === 'active', 60_000);
    await term.waitFor(/revoked +\S+ +Deployment\/demo\/web/, 30_000);
  },
);
