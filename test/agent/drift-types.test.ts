// Every drift type made by a real kubectl command against a real API server, found by the
// agent's watch (periodic analysis is off), recorded active with its type, severity and field
// manager; reverted → resolved; drifted again → a new episode. Prints detection latency.
import assert from 'node:assert/strict';
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
import { MUTATIONS, mutationName, runStep, SECRET_VALUES, type Mutation } from '../kit/mutations.ts';

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

  const kubectl = (args: string[], opts?: { input?: string }): Promise<string> =>
    fx.plane.kubectlOk(args, opts);

  async function driftAndCheck(c: Mutation, label: string): Promise<RecordJson> {
    const started = Date.now();
    await runStep(kubectl, 'demo', c.drift);
    const returned = Date.now();
    // 5 s only catches a broken watch (periodic analysis is off, so nothing else would find it).
    const rec = await waitForRecord(
      agent,
      c.id('demo'),
      (r) => r.drift_status === 'active' && r.drift_type === c.type,
      5000,
    );
    const detected = Date.parse(rec.first_detected ?? '');
    latencies.push({ what: label, ms: detected - returned, fromStart: detected - started });
    return rec;
  }

  for (const c of MUTATIONS) {
    it(`${mutationName(c)} → active, revert → resolved`, async () => {
      const rec = await driftAndCheck(c, mutationName(c));
      assert.equal(rec.severity, c.severity);
      // Missing has no field to attribute; every other type names the manager that made the change.
      if (c.manager !== null) {
        const detail = rec.drift_details.find((d) => d.type === c.type);
        assert.ok(detail, `a ${c.type} detail in ${JSON.stringify(rec.drift_details)}`);
        assert.equal(detail.manager, c.manager, `manager of ${detail.path}`);
      }
      assert.ok(
        rec.git_commit && rec.source_file?.startsWith('manifests/'),
        'git commit and source file recorded',
      );
      await agent.waitForLog(isEvent('drift_detected', c.id('demo')));

      await runStep(kubectl, 'demo', c.revert);
      const resolved = await waitForRecord(agent, c.id('demo'), (r) => r.drift_status === 'resolved', 5000);
      assert.ok(resolved.resolved_at, 'resolved_at set');
      assert.ok(resolved.resolution_message, 'resolution message set');
      assert.equal(resolved.first_detected, rec.first_detected);
    });
  }

  it('a second drift of the same object opens a new episode', async () => {
    const c = MUTATIONS.find((m) => m.type === 'Scaling') as Mutation;
    const id = c.id('demo');
    const before = await getRecord(agent, id);
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
      await fetch(`${agent.apiUrl}/api/v1/drift-records/${encodeURIComponent(id)}/history`)
    ).json()) as { events?: { event: string }[] } | { event: string }[];
    const events = Array.isArray(history) ? history : (history.events ?? []);
    assert.ok(
      events.filter((e) => e.event === 'detected').length >= 2,
      `history: ${JSON.stringify(history)}`,
    );
    await runStep(kubectl, 'demo', c.revert);
    await waitForRecord(agent, id, (r) => r.drift_status === 'resolved');
  });

  it('keeps Secret values out of the store and the logs', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(agent.dbPath, { readOnly: true });
    const rows = db.prepare("SELECT * FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    let dump = '';
    for (const { name } of rows) dump += JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all());
    db.close();
    assert.match(dump, /Secret:demo:db-credentials/, 'the secret record is in the database');
    const secretValues = SECRET_VALUES.flatMap((v) => [v, Buffer.from(v).toString('base64')]);
    for (const v of secretValues) {
      assert.ok(!dump.includes(v), `database holds ${v}`);
      assert.ok(!agent.logs().join('\n').includes(v), `logs hold ${v}`);
    }
  });
});
