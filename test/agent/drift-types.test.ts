// Every drift type made by a real kubectl command against a real API server, found by the
// agent's watch (periodic analysis is off), recorded active with its type, severity and field
// manager; reverted → resolved; drifted again → a new episode. Prints detection latency.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  getRecord,
  isEvent,
  startFixture,
  startWatchOnlyAgent,
  waitForRecord,
  type Fixture,
  type RecordJson,
} from '../kit/agent-fixture.ts';
import type { AgentProcess } from '../kit/agent-process.ts';

interface Case {
  type: string;
  /** The field manager kubectl records for the command (as named by the engine). */
  manager: string | null;
  id: string;
  severity: string;
  drift: string[];
  revert: string[];
}

const json = (ops: unknown) => JSON.stringify(ops);

const CASES: Case[] = [
  {
    type: 'Scaling',
    manager: 'kubectl-scale',
    id: 'Deployment:demo:web',
    severity: 'medium',
    drift: ['scale', 'deployment/web', '--replicas=5'],
    revert: ['scale', 'deployment/web', '--replicas=2'],
  },
  {
    type: 'VersionChange',
    manager: 'kubectl-set',
    id: 'Deployment:demo:web',
    severity: 'high',
    drift: ['set', 'image', 'deployment/web', 'nginx=nginx:1.28.0'],
    revert: ['set', 'image', 'deployment/web', 'nginx=nginx:1.27.3'],
  },
  {
    type: 'ResourceChange',
    manager: 'kubectl-set',
    id: 'Deployment:demo:web',
    severity: 'medium',
    drift: ['set', 'resources', 'deployment/web', '-c', 'nginx', '--limits=cpu=500m'],
    revert: ['set', 'resources', 'deployment/web', '-c', 'nginx', '--limits=cpu=200m'],
  },
  {
    type: 'ConfigurationChange',
    manager: 'kubectl-set',
    id: 'Deployment:demo:frontend',
    severity: 'medium',
    drift: ['set', 'env', 'deployment/frontend', 'PODINFO_UI_COLOR=#ff0000'],
    revert: ['set', 'env', 'deployment/frontend', 'PODINFO_UI_COLOR=#34577c'],
  },
  {
    type: 'LabelChange',
    manager: 'kubectl-label',
    id: 'Deployment:demo:web',
    severity: 'low',
    drift: ['label', 'deployment/web', 'team=ops', '--overwrite'],
    revert: ['label', 'deployment/web', 'team=web', '--overwrite'],
  },
  {
    type: 'AnnotationChange',
    manager: 'kubectl-annotate',
    id: 'Deployment:demo:api',
    severity: 'low',
    drift: ['annotate', 'deployment/api', 'driftguard.io/owner=someone-else', '--overwrite'],
    revert: ['annotate', 'deployment/api', 'driftguard.io/owner=backend-team', '--overwrite'],
  },
  {
    type: 'PortChange',
    manager: 'kubectl-patch',
    id: 'Service:demo:api',
    severity: 'medium',
    drift: [
      'patch',
      'service/api',
      '--type=json',
      '-p',
      json([{ op: 'replace', path: '/spec/ports/0/port', value: 81 }]),
    ],
    revert: [
      'patch',
      'service/api',
      '--type=json',
      '-p',
      json([{ op: 'replace', path: '/spec/ports/0/port', value: 80 }]),
    ],
  },
  {
    type: 'VolumeChange',
    manager: 'kubectl-patch',
    id: 'Deployment:demo:api',
    severity: 'medium',
    drift: [
      'patch',
      'deployment/api',
      '--type=json',
      '-p',
      json([{ op: 'replace', path: '/spec/template/spec/volumes/2/emptyDir/sizeLimit', value: '1Gi' }]),
    ],
    revert: [
      'patch',
      'deployment/api',
      '--type=json',
      '-p',
      json([{ op: 'replace', path: '/spec/template/spec/volumes/2/emptyDir/sizeLimit', value: '512Mi' }]),
    ],
  },
  {
    type: 'ConfigMapChange',
    manager: 'kubectl-patch',
    id: 'ConfigMap:demo:app-config',
    severity: 'medium',
    drift: ['patch', 'configmap/app-config', '-p', json({ data: { LOG_LEVEL: 'debug' } })],
    revert: ['patch', 'configmap/app-config', '-p', json({ data: { LOG_LEVEL: 'info' } })],
  },
  {
    type: 'SecretChange',
    manager: 'kubectl-patch',
    id: 'Secret:demo:db-credentials',
    severity: 'high',
    drift: ['patch', 'secret/db-credentials', '-p', json({ stringData: { password: 'leaked-value-123' } })],
    revert: [
      'patch',
      'secret/db-credentials',
      '-p',
      json({ stringData: { password: 'demo-password-change-me' } }),
    ],
  },
];

const latencies: { what: string; ms: number; fromStart: number }[] = [];

describe('drift types found by the watch', () => {
  let fx: Fixture;
  let agent: AgentProcess;
  before(async () => {
    fx = await startFixture();
    await fx.applyAll();
    agent = await startWatchOnlyAgent(fx);
  });
  after(async () => {
    if (latencies.length > 0) {
      console.log(
        '\nDETECTION LATENCY by the watch (record first_detected minus the time the kubectl command returned;',
      );
      console.log(
        'negative = written before the kubectl process had exited; second column: from the command start):',
      );
      for (const l of latencies)
        console.log(
          `  ${l.what.padEnd(28)} ${l.ms.toString().padStart(5)} ms   ${l.fromStart.toString().padStart(5)} ms`,
        );
      const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
      console.log(
        `  median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted[sorted.length - 1]} ms over ${sorted.length} changes\n`,
      );
    }
    await fx?.stop();
  });

  async function driftAndCheck(c: Case, label: string): Promise<RecordJson> {
    const started = Date.now();
    await fx.plane.kubectlOk([...c.drift, '-n', 'demo']);
    const returned = Date.now();
    // 5 s only catches a broken watch (periodic analysis is off, so nothing else would find it).
    const rec = await waitForRecord(
      agent,
      c.id,
      (r) => r.drift_status === 'active' && r.drift_type === c.type,
      5000,
    );
    const detected = Date.parse(rec.first_detected ?? '');
    latencies.push({ what: label, ms: detected - returned, fromStart: detected - started });
    return rec;
  }

  for (const c of CASES) {
    it(`${c.type}: kubectl ${c.drift.slice(0, 2).join(' ')} → active, revert → resolved`, async () => {
      const rec = await driftAndCheck(c, c.type);
      assert.equal(rec.severity, c.severity);
      const detail = rec.drift_details.find((d) => d.type === c.type);
      assert.ok(detail, `a ${c.type} detail in ${JSON.stringify(rec.drift_details)}`);
      assert.equal(detail.manager, c.manager, `manager of ${detail.path}`);
      assert.ok(
        rec.git_commit && rec.source_file?.startsWith('manifests/'),
        'git commit and source file recorded',
      );
      await agent.waitForLog(isEvent('drift_detected', c.id));

      await fx.plane.kubectlOk([...c.revert, '-n', 'demo']);
      const resolved = await waitForRecord(agent, c.id, (r) => r.drift_status === 'resolved', 5000);
      assert.ok(resolved.resolved_at, 'resolved_at set');
      assert.ok(resolved.resolution_message, 'resolution message set');
      assert.equal(resolved.first_detected, rec.first_detected);
    });
  }

  it('a second drift of the same object opens a new episode', async () => {
    const c = CASES[0] as Case;
    const before = await getRecord(agent, c.id);
    assert.equal(before?.drift_status, 'resolved');
    const again = await driftAndCheck(
      { ...c, drift: ['scale', 'deployment/web', '--replicas=7'] },
      'Scaling (new episode)',
    );
    assert.ok(
      Date.parse(again.first_detected ?? '') > Date.parse(before?.resolved_at ?? ''),
      'new first_detected after the last resolution',
    );
    assert.equal(again.resolved_at, null);
    const history = (await (
      await fetch(`${agent.apiUrl}/api/v1/drift-records/${encodeURIComponent(c.id)}/history`)
    ).json()) as { events?: { event: string }[] } | { event: string }[];
    const events = Array.isArray(history) ? history : (history.events ?? []);
    assert.ok(
      events.filter((e) => e.event === 'detected').length >= 2,
      `history: ${JSON.stringify(history)}`,
    );
    await fx.plane.kubectlOk([...c.revert, '-n', 'demo']);
    await waitForRecord(agent, c.id, (r) => r.drift_status === 'resolved');
  });

  it('Missing: kubectl delete → active Missing (high); re-apply → resolved', async () => {
    const c: Case = {
      type: 'Missing',
      manager: null,
      id: 'ConfigMap:demo:nginx-config',
      severity: 'high',
      drift: ['delete', 'configmap/nginx-config'],
      revert: [],
    };
    const rec = await driftAndCheck(c, 'Missing (delete)');
    assert.equal(rec.severity, 'high');
    await fx.plane.kubectlOk(['apply', '-f', join(fx.repo.dir, 'manifests', 'config.yaml')]);
    const resolved = await waitForRecord(agent, c.id, (r) => r.drift_status === 'resolved');
    assert.ok(resolved.resolved_at);
  });

  it('keeps Secret values out of the store and the logs', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(agent.dbPath, { readOnly: true });
    const rows = db.prepare("SELECT * FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    let dump = '';
    for (const { name } of rows) dump += JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all());
    db.close();
    assert.match(dump, /Secret:demo:db-credentials/, 'the secret record is in the database');
    const secretValues = [
      'leaked-value-123',
      Buffer.from('leaked-value-123').toString('base64'),
      'demo-password-change-me',
      Buffer.from('demo-password-change-me').toString('base64'),
    ];
    for (const v of secretValues) {
      assert.ok(!dump.includes(v), `database holds ${v}`);
      assert.ok(!agent.logs().join('\n').includes(v), `logs hold ${v}`);
    }
  });
});
