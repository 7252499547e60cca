// Waivers on the full local cluster, made with the real plugin (`kubectl driftguard waive`, owner
// from the kubeconfig) against the real agent, drifts made with real kubectl: one waiver expires
// (a short `--for`: the agent's clock cannot be faked, so the expiry is real), one is voided by a new
// live change to the waived field, one is revoked with `unwaive`. Each drift shows as waived, then
// active again with a `detected` event saying why, and a Kubernetes Event for the expired one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DriftEvent, Waiver } from '../../shared/types.ts';
import { startWatchOnlyAgent, startFixture, waitForRecord, type Fixture } from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';
import { parseJson, runPlugin } from '../kit/plugin.ts';
import { until } from '../kit/poll.ts';

const OWNER = 'dev-1@example.com';
/** Long enough for the agent to apply the waiver first under a loaded machine, short enough to wait for. */
const SHORT = '20s';

let fx: Fixture;
let agent: AgentProcess;

/** The plugin as the user runs it: their kubeconfig, the agent's URL. */
function dg(args: string[]) {
  return runPlugin([...args, '--kubeconfig', fx.plane.userKubeconfig(OWNER), '--agent-url', agent.apiUrl]);
}

async function waive(args: string[]): Promise<Waiver> {
  const r = await dg(['waive', ...args, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Waiver;
}

async function history(id: string): Promise<DriftEvent[]> {
  const res = await fetch(`${agent.apiUrl}/api/v1/drift-records/${encodeURIComponent(id)}/history`);
  // Oldest first (the API answers newest first).
  const events = ((await res.json()) as { events: DriftEvent[] }).events;
  return events.sort((a, b) => a.time.localeCompare(b.time));
}

/** Waits for the record to be active again after being waived, with a `detected` event matching `why`. */
async function activeAgain(id: string, why: RegExp): Promise<DriftEvent[]> {
  await waitForRecord(agent, id, (r) => r.drift_status === 'active', 90_000);
  const events = await history(id);
  const waived = events.findIndex((e) => e.to_status === 'waived');
  assert.ok(waived >= 0, `${id} was never waived: ${JSON.stringify(events)}`);
  const back = events.slice(waived).find((e) => e.from_status === 'waived' && e.to_status === 'active');
  assert.ok(back, `${id}: no waived → active event: ${JSON.stringify(events)}`);
  assert.equal(back.event, 'detected');
  assert.match(back.message ?? '', why);
  return events;
}

async function waiverState(id: string): Promise<Waiver['state'] | undefined> {
  const r = await dg(['waivers', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return parseJson<{ waivers: Waiver[] }>(r).waivers.find((w) => w.id === id)?.state;
}

describe('waivers on the full cluster, through the plugin', () => {
  before(async () => {
    fx = await startFixture({ users: [{ name: OWNER, token: 'token-dev-1', groups: ['devs'] }] });
    await fx.applyAll();
    await fx.plane.kubectlOk([
      '-n',
      'demo',
      'create',
      'rolebinding',
      'devs',
      '--clusterrole=edit',
      '--group=devs',
    ]);
    agent = await startWatchOnlyAgent(fx, { drift: { events: true, interval: '1s' } });
    await fx.plane.kubectlOk(['-n', 'demo', 'scale', 'deployment/web', '--replicas=5']);
    await fx.plane.kubectlOk([
      '-n',
      'demo',
      'patch',
      'configmap/app-config',
      '-p',
      '{"data":{"LOG_LEVEL":"trace"}}',
    ]);
    await fx.plane.kubectlOk([
      '-n',
      'demo',
      'set',
      'image',
      'deployment/frontend',
      'podinfo=ghcr.io/stefanprodan/podinfo:6.0.0',
    ]);
    for (const id of ['Deployment:demo:web', 'ConfigMap:demo:app-config', 'Deployment:demo:frontend'])
      await waitForRecord(agent, id, (r) => r.drift_status === 'active', 60_000);
  });
  after(() => fx?.stop());

  it('refuses a waiver without an expiry or a reason, before asking the agent', async () => {
    const noFor = await dg(['waive', 'deployment/web', '-n', 'demo', '--reason', 'x']);
    assert.equal(noFor.code, 2);
    assert.match(noFor.stderr, /--for is required/);
    const bad = await dg(['waive', 'deployment/web', '-n', 'demo', '--for', 'a while', '--reason', 'x']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--for a while: expected a duration/);
  });

  it('an expired waiver: waived until the expiry, then active with an event saying so', async () => {
    const w = await waive([
      'deploy/web',
      '-n',
      'demo',
      '--field',
      'spec.replicas',
      '--for',
      SHORT,
      '--reason',
      'load test',
    ]);
    assert.equal(w.owner, OWNER, 'the owner defaults to the kubeconfig user');
    assert.equal(w.scope.resource_id, 'Deployment:demo:web');
    assert.equal(w.scope.field, 'spec.replicas');
    // Both transitions are read from the history, so a poll that misses the waived moment cannot fail the test.
    const events = await activeAgain('Deployment:demo:web', new RegExp(`waiver ${w.id} expired`));
    const waived = events.find((e) => e.to_status === 'waived');
    assert.match(waived?.message ?? '', new RegExp(`waived by ${OWNER} until .*: load test`));
    assert.equal(await waiverState(w.id), 'expired');
    // The Kubernetes Event on the Deployment says it too.
    await until(
      'a DriftDetected Event naming the expiry',
      async () => {
        const messages = await fx.plane.kubectlOk([
          '-n',
          'demo',
          'get',
          'events',
          '--field-selector',
          'reason=DriftDetected,involvedObject.name=web',
          '-o',
          'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
        ]);
        return messages.includes(`waiver ${w.id} expired`) ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  });

  it('a waiver voided by a new live change to the waived field', async () => {
    const id = 'ConfigMap:demo:app-config';
    const w = await waive([
      'configmap/app-config',
      '-n',
      'demo',
      '--field',
      'data',
      '--for',
      '1h',
      '--reason',
      'debugging',
    ]);
    await waitForRecord(agent, id, (r) => r.drift_status === 'waived', 60_000);
    const get = await dg(['get', 'configmap/app-config', '-n', 'demo']);
    assert.match(get.stdout, /waived/, get.stdout);
    await fx.plane.kubectlOk([
      '-n',
      'demo',
      'patch',
      'configmap/app-config',
      '-p',
      '{"data":{"LOG_LEVEL":"debug"}}',
    ]);
    await activeAgain(id, new RegExp(`waiver ${w.id} is void: the live value changed again`));
    assert.equal(await waiverState(w.id), 'void');
  });

  it('a waiver revoked with unwaive and the short id the table shows', async () => {
    const id = 'Deployment:demo:frontend';
    const w = await waive([
      'Deployment/demo/frontend',
      '--for',
      '1h',
      '--reason',
      'canary',
      '--owner',
      'ops-3',
    ]);
    assert.equal(w.owner, 'ops-3');
    await waitForRecord(agent, id, (r) => r.drift_status === 'waived', 60_000);
    const table = await dg(['waivers', '--active']);
    assert.equal(table.code, 0, table.stderr);
    const short = w.id.slice(0, 8);
    assert.match(
      table.stdout,
      new RegExp(
        `^${short}\\s+Deployment/demo/frontend\\s+\\*\\s+active\\s+ops-3\\s+in \\d+m\\s+canary$`,
        'm',
      ),
    );
    const r = await dg(['unwaive', short]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`waiver/${w.id} revoked`));
    await activeAgain(id, new RegExp(`waiver ${w.id} was revoked`));
    assert.equal(await waiverState(w.id), 'revoked');
    const again = await dg(['unwaive', 'ffffffff']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /no waiver ffffffff/);
  });
});
