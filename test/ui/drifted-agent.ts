// What the browser's terminal suites start from: the examples on a real control plane, the agent
// on a Git repo of them, its first analysis done, and `deployment/web` scaled to 5 (an active
// Scaling drift). `drift` adds more before the agent is waited on.
import assert from 'node:assert/strict';
import { startFixture, waitForRecord, type Fixture } from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';
import { startBrowser, type TmuxSession } from './tmux.ts';

export async function startDriftedAgent(
  drift: (fx: Fixture) => Promise<unknown> = async () => undefined,
): Promise<{ fx: Fixture; agent: AgentProcess }> {
  const fx = await startFixture();
  await fx.applyAll();
  const agent = await fx.startAgent();
  await agent.waitReady(60_000);
  await agent.waitForLog((l) => l['event'] === 'analysis_completed', 30_000);
  await fx.plane.kubectlOk(['-n', 'demo', 'scale', 'deployment/web', '--replicas=5']);
  await drift(fx);
  await waitForRecord(agent, 'Deployment:demo:web', (r) => r.drift_status === 'active', 20_000);
  return { fx, agent };
}

/** The browser in a 100×30 terminal on that agent, acting with the fixture's kubeconfig. */
export function browseDrifts(fx: Fixture, agent: AgentProcess): TmuxSession {
  return startBrowser(['--agent-url', agent.apiUrl, '--kubeconfig', fx.plane.kubeconfig], {
    columns: 100,
    rows: 30,
  });
}

/** Waits for the drift `label` (e.g. `Deployment/web`) in the list and moves the cursor onto it. */
export async function selectDrift(term: TmuxSession, label: string): Promise<void> {
  const screen = await term.waitFor((s) => s.includes(label), 60_000);
  const rows = screen.split('\n').filter((l) => /^(high|medium|low) /.test(l));
  const at = rows.findIndex((l) => l.includes(label));
  assert.ok(at >= 0, screen);
  for (let i = 0; i < at; i++) term.keys('Down');
}
