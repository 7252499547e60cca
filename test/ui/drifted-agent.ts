// What the browser's terminal suites start from: the examples on a real control plane, the agent
// on a Git repo of them, its first analysis done, and `deployment/web` scaled to 5 (an active
// Scaling drift). `drift` adds more before the agent is waited on.
import { startFixture, waitForRecord, type Fixture } from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';

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
