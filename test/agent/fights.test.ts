// A fight on the full local cluster: a script (a shell loop running kubectl with
// --field-manager=script, putting the Deployment's replicas to 5 every second) and a person with
// kubectl scale (replicas 3) take spec.replicas from each other. The agent (drift.fight: 3 flips in
// 10m) flags one record `fight` naming both managers, and the webhook receiver gets one
// notification for the fight, not one per flip: flips after the flag are in the history only.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { binaries } from '../cluster/binaries.ts';
import { startFixture, startWatchOnlyAgent, waitForRecord, type Fixture } from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';
import { until } from '../kit/poll.ts';

const WEB = 'Deployment:demo:web';
const MARK = 'ConfigMap:demo:app-config';

let fx: Fixture;
let agent: AgentProcess;
let hook: Server;
let script: ChildProcess | undefined;
const notified: Record<string, unknown>[] = [];

interface Fight {
  path: string;
  managers: string[];
  flips: number;
  flagged_at: string;
}

const replicasManager = async (): Promise<string | null> => {
  const res = await fetch(`${agent.apiUrl}/api/v1/drift-records/${encodeURIComponent(WEB)}`);
  const r = (await res.json()) as { drift_details: { path: string; manager: string | null }[] };
  return r.drift_details.find((d) => d.path === 'spec.replicas')?.manager ?? null;
};

const fightOf = async (): Promise<Fight | null> => {
  const res = await fetch(`${agent.apiUrl}/api/v1/drift-records/${encodeURIComponent(WEB)}`);
  return ((await res.json()) as { fight?: Fight | null }).fight ?? null;
};

/** One round: kubectl scales to 3, then waits until the script has taken the field back. */
async function round(): Promise<void> {
  await fx.plane.kubectlOk(['-n', 'demo', 'scale', 'deployment/web', '--replicas=3']);
  await until(
    'the script takes spec.replicas back',
    async () => ((await replicasManager()) === 'script' ? true : undefined),
    {
      timeoutMs: 60_000,
      intervalMs: 100,
    },
  );
}

describe('a fight between a script and kubectl over replicas', () => {
  before(async () => {
    hook = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        notified.push(JSON.parse(text) as Record<string, unknown>);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    fx = await startFixture();
    await fx.applyAll();
    agent = await startWatchOnlyAgent(fx, {
      drift: { fight: { flips: 3, window: '10m' } },
      notifications: [
        {
          name: 'hook',
          type: 'webhook',
          url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`,
          min_interval: '0s',
        },
      ] as unknown as Record<string, unknown>,
    });
    const kubectl = `'${binaries().kubectl}' --kubeconfig '${fx.plane.kubeconfig}' -n demo`;
    script = spawn(
      'bash',
      [
        '-c',
        `while true; do ${kubectl} patch deployment/web --field-manager=script -p '{"spec":{"replicas":5}}' >/dev/null 2>&1; sleep 1; done`,
      ],
      { stdio: 'ignore', detached: true },
    );
    await until(
      'the script holds spec.replicas',
      async () => ((await replicasManager().catch(() => null)) === 'script' ? true : undefined),
      {
        timeoutMs: 60_000,
        intervalMs: 100,
      },
    );
  });
  after(async () => {
    if (script?.pid) process.kill(-script.pid, 'SIGTERM');
    await fx?.stop();
    hook?.closeAllConnections();
    await new Promise((r) => hook?.close(r));
  });

  it('flags one record fight naming both managers, notified once', async () => {
    // Rounds until the agent has seen 3 flips (each round is 2 when the agent sees both writes).
    let fight: Fight | null = null;
    for (let i = 0; i < 10 && !fight; i++) {
      await round();
      fight = await fightOf();
    }
    assert.ok(fight, 'no fight after 10 rounds');
    assert.equal(fight.path, 'spec.replicas');
    assert.deepEqual([...fight.managers].sort(), ['kubectl-scale', 'script']);
    // Two more rounds: more flips on the record, no more notifications.
    const flagged = fight.flips;
    await round();
    await round();
    await waitForRecord(agent, WEB, (r) => ((r as { fight?: Fight }).fight?.flips ?? 0) > flagged, 30_000);
    // A marker drift on another object: once its notification is in, every earlier one is too.
    await fx.plane.kubectlOk([
      '-n',
      'demo',
      'patch',
      'configmap/app-config',
      '-p',
      '{"data":{"LOG_LEVEL":"trace"}}',
    ]);
    await until(
      'the marker notification',
      async () => (notified.some((n) => n['resource_id'] === MARK) ? true : undefined),
      {
        timeoutMs: 60_000,
        intervalMs: 100,
      },
    );
    const web = notified.filter((n) => n['resource_id'] === WEB);
    const withFight = web.filter((n) => n['fight']);
    assert.equal(withFight.length, 1, JSON.stringify(web.map((n) => [n['event'], n['message']])));
    const one = withFight[0] as { message: string; time: string; fight: Fight };
    assert.match(
      one.message,
      /^fight: spec\.replicas flips between (script and kubectl-scale|kubectl-scale and script) \(\d+ times in 10m\)/,
    );
    assert.equal(one.time, one.fight.flagged_at);
    assert.ok(
      web.every((n) => String(n['time']) <= one.time),
      'nothing notified after the fight was flagged',
    );
    // The history keeps every flip.
    const res = await fetch(`${agent.apiUrl}/api/v1/drift-records/${encodeURIComponent(WEB)}/history`);
    const events = ((await res.json()) as { events: { time: string }[] }).events;
    assert.ok(events.filter((e) => e.time > one.time).length >= 1, JSON.stringify(events));
  });
});
