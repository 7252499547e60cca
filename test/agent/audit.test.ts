// Who did it, as a person: the full local cluster's kube-apiserver runs with the shipped audit
// policy (manifests/audit/policy.yaml) and its webhook backend pointed at the agent's
// POST /api/v1/audit (on loopback, as a sidecar or the audit listener would be reached). Three
// token users, each with their own token, change one object each with real kubectl; each record
// names its person, the Event and the notification say "changed by … with … at HH:MM", and
// `kubectl driftguard describe` shows it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../cluster/ports.ts';
import { isEvent, startFixture, waitForRecord, type Fixture } from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';

const POLICY = join(import.meta.dirname, '..', '..', 'manifests', 'audit', 'policy.yaml');
const USERS = [
  { name: 'dev-1@example.com', token: 'token-dev-1', groups: ['devs'] },
  { name: 'dev-2@example.com', token: 'token-dev-2', groups: ['devs'] },
  { name: 'ops-3@example.com', token: 'token-ops-3', groups: ['ops'] },
];
/** Each user's change: the object, the kubectl arguments and the field manager kubectl writes as. */
const CHANGES = [
  { id: 'Deployment:demo:web', args: ['scale', 'deployment/web', '--replicas=5'], manager: 'kubectl-scale' },
  {
    id: 'ConfigMap:demo:app-config',
    args: ['patch', 'configmap/app-config', '-p', '{"data":{"LOG_LEVEL":"trace"}}'],
    manager: 'kubectl-patch',
  },
  {
    id: 'Deployment:demo:frontend',
    args: ['set', 'image', 'deployment/frontend', 'podinfo=ghcr.io/stefanprodan/podinfo:6.0.0'],
    manager: 'kubectl-set',
  },
];

let fx: Fixture;
let agent: AgentProcess;
let hook: Server;
const notified: Record<string, unknown>[] = [];

describe('who did it: audit events joined to drift', () => {
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
    const apiPort = await freePort();
    fx = await startFixture({
      users: USERS,
      audit: {
        policy: readFileSync(POLICY, 'utf8'),
        webhookUrl: `http://127.0.0.1:${apiPort}/api/v1/audit`,
        webhookMode: 'batch',
      },
    });
    await fx.applyAll();
    await fx.plane.kubectlOk([
      '-n',
      'demo',
      'create',
      'rolebinding',
      'people',
      '--clusterrole=edit',
      '--group=devs',
      '--group=ops',
    ]);
    agent = await fx.startAgent({
      config: {
        server: { port: apiPort, address: '127.0.0.1' },
        audit: { webhook: true, wait: '10s' },
        drift: { events: true },
        notifications: [
          {
            name: 'hook',
            type: 'webhook',
            url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`,
            min_interval: '0s',
          },
        ] as unknown as Record<string, unknown>,
      },
    });
    await agent.waitReady(60_000);
    await agent.waitForLog(isEvent('analysis_completed'), 30_000);
  });
  after(async () => {
    await fx?.stop();
    hook?.closeAllConnections();
    await new Promise((r) => hook?.close(r));
  });

  it('names the right person for three users with their own tokens', async () => {
    for (const [i, c] of CHANGES.entries()) {
      const user = USERS[i];
      assert.ok(user);
      await fx.plane.kubectlOk(['-n', 'demo', ...c.args], { kubeconfig: fx.plane.userKubeconfig(user.name) });
    }
    for (const [i, c] of CHANGES.entries()) {
      const user = USERS[i];
      assert.ok(user);
      const r = await waitForRecord(
        agent,
        c.id,
        (x) => x.drift_status === 'active' && Boolean(x.changed_by),
        30_000,
      );
      assert.ok(r.changed_by);
      assert.equal(r.changed_by.user, user.name, c.id);
      assert.ok(
        r.changed_by.groups.includes(user.groups[0] ?? ''),
        `${c.id}: ${r.changed_by.groups.join(',')}`,
      );
      assert.equal(r.changed_by.manager, c.manager);
      assert.match(r.changed_by.user_agent ?? '', /^kubectl\//);
      assert.ok(r.changed_by.source_ips.includes('127.0.0.1'));
    }
  });

  it('says it in the Kubernetes Event and the notification', async () => {
    const deadline = Date.now() + 30_000;
    let messages = '';
    while (Date.now() < deadline) {
      messages = await fx.plane.kubectlOk([
        '-n',
        'demo',
        'get',
        'events',
        '--field-selector',
        'reason=DriftDetected',
        '-o',
        'jsonpath={range .items[*]}{.message}{"\\n"}{end}',
      ]);
      if (CHANGES.every((_, i) => messages.includes(`changed by ${USERS[i]?.name}`))) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const [i, c] of CHANGES.entries())
      assert.match(
        messages,
        new RegExp(`changed by ${USERS[i]?.name.replace(/\./g, '\\.')} with ${c.manager} at \\d\\d:\\d\\d`),
      );
    for (const [i, c] of CHANGES.entries()) {
      const n = notified.find((b) => b['resource_id'] === c.id && b['event'] === 'detected');
      assert.ok(n, `no notification for ${c.id}`);
      assert.equal(
        (n['changed_by'] as { user?: string } | undefined)?.user,
        USERS[i]?.name,
        `${c.id}: the notification waited for its audit event`,
      );
    }
  });

  it('exports the drift SLO figures: per source, oldest age, coverage, time to resolve', async () => {
    const metrics = async () => (await fetch(`${agent.healthUrl}/metrics`)).text();
    const value = (text: string, series: RegExp): number[] =>
      text
        .split('\n')
        .filter((l) => series.test(l))
        .map((l) => Number(l.split(' ').pop()));
    let text = await metrics();
    const active = value(text, /^driftguard_active_drifts_by_source\{source="default",severity="\w+"\} /);
    assert.equal(
      active.reduce((a, b) => a + b, 0),
      CHANGES.length,
      text,
    );
    const ages = value(
      text,
      /^driftguard_oldest_active_drift_age_seconds\{severity="\w+",source="default"\} /,
    );
    assert.ok(ages.length > 0 && ages.every((a) => a >= 0), text);
    const [coverage] = value(text, /^driftguard_coverage_ratio\{source="default"\} /);
    assert.ok(coverage !== undefined && coverage > 0 && coverage <= 1, `coverage ${coverage}`);
    // Put one back: its time to resolve is observed under its severity and source.
    await fx.plane.kubectlOk(['-n', 'demo', 'scale', 'deployment/web', '--replicas=2']);
    await waitForRecord(agent, 'Deployment:demo:web', (r) => r.drift_status === 'resolved', 30_000);
    text = await metrics();
    const resolved = value(
      text,
      /^driftguard_drift_time_to_resolve_seconds_count\{severity="\w+",source="default"\} /,
    );
    assert.equal(
      resolved.reduce((a, b) => a + b, 0),
      1,
      text,
    );
  });
});
