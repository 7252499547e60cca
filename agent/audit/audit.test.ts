import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditEvent, DriftRecord } from '../../shared/types.ts';
import { driftRecord as record } from '../../shared/api/record.testkit.ts';
import { changedByText } from '../../shared/changed-by.ts';
import { AuditAttribution } from './attribution.ts';
import { AuditJournal } from './journal.ts';
import { whoChanged } from './join.ts';
import { AuditReceiver } from './receiver.ts';
import { tailAuditLog } from './tail.ts';
import { auditWrite, managerOf, type AuditWrite } from './write.ts';

const kinds = new Map([
  ['apps/deployments', 'Deployment'],
  ['/configmaps', 'ConfigMap'],
]);
const kindOf = (group: string, resource: string) => kinds.get(`${group}/${resource}`);

function event(over: Partial<AuditEvent> & { id?: string; at?: string } = {}): AuditEvent {
  const { id = 'a1', at = '2026-12-06T10:02:03.250000Z', ...rest } = over;
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: id,
    stage: 'ResponseComplete',
    verb: 'patch',
    requestURI: '/apis/apps/v1/namespaces/shop/deployments/web/scale?fieldManager=kubectl-scale',
    user: { username: 'dev-1@example.com', groups: ['devs', 'system:authenticated'] },
    sourceIPs: ['10.0.0.7'],
    userAgent: 'kubectl/v1.37.2 (linux/amd64) kubernetes/abc',
    objectRef: {
      resource: 'deployments',
      namespace: 'shop',
      name: 'web',
      apiGroup: 'apps',
      apiVersion: 'v1',
      subresource: 'scale',
    },
    responseStatus: { code: 200 },
    requestReceivedTimestamp: at,
    stageTimestamp: at,
    ...rest,
  };
}

function write(over: Partial<AuditWrite>): AuditWrite {
  const w = auditWrite(event(), kindOf);
  assert.ok(w);
  return { ...w, ...over };
}

describe('audit writes', () => {
  it('reads who wrote which object, with the field manager the API server recorded', () => {
    assert.deepEqual(auditWrite(event(), kindOf), {
      resource_id: 'Deployment:shop:web',
      verb: 'patch',
      time: Date.parse('2026-12-06T10:02:03.250Z'),
      resource_version: null,
      manager: 'kubectl-scale',
      explicit_manager: true,
      user: 'dev-1@example.com',
      groups: ['devs', 'system:authenticated'],
      impersonated_by: null,
      user_agent: 'kubectl/v1.37.2 (linux/amd64) kubernetes/abc',
      source_ips: ['10.0.0.7'],
      audit_id: 'a1',
    });
    // No fieldManager: the user agent's first part, as the API server names the manager.
    assert.equal(managerOf('/api/v1/namespaces/a/configmaps/b', 'curl/8.5.0'), 'curl');
    assert.equal(managerOf(undefined, 'my\u0007tool/1 x'), 'mytool');
    assert.equal(managerOf(undefined, undefined), null);
    // Impersonation: the impersonated user did it, the real one is named beside.
    const as = auditWrite(event({ impersonatedUser: { username: 'alice', groups: ['ops'] } }), kindOf);
    assert.deepEqual([as?.user, as?.groups, as?.impersonated_by], ['alice', ['ops'], 'dev-1@example.com']);
    // RequestResponse level: the object's resourceVersion after the write.
    assert.equal(
      auditWrite(event({ responseObject: { metadata: { resourceVersion: '42' } } }), kindOf)
        ?.resource_version,
      '42',
    );
  });

  it('keeps only finished successful writes to watched kinds', () => {
    const none = [
      event({ stage: 'RequestReceived' }),
      event({ verb: 'get' }),
      event({ verb: 'watch' }),
      event({ responseStatus: { code: 409 } }),
      event({ responseStatus: {} }),
      event({ objectRef: { resource: 'pods', namespace: 'shop', name: 'p' } }),
      event({
        objectRef: {
          resource: 'deployments',
          apiGroup: 'apps',
          namespace: 'shop',
          name: 'web',
          subresource: 'status',
        },
      }),
      event({ objectRef: { resource: 'deployments', apiGroup: 'apps', namespace: 'shop' } }),
      event({ stageTimestamp: 'yesterday', requestReceivedTimestamp: 'yesterday' }),
    ];
    for (const e of none) assert.equal(auditWrite(e, kindOf), null, JSON.stringify(e));
    const cm = auditWrite(
      event({ verb: 'delete', objectRef: { resource: 'configmaps', namespace: 'shop', name: 'c' } }),
      kindOf,
    );
    assert.deepEqual([cm?.resource_id, cm?.manager], ['ConfigMap:shop:c', null]);
  });
});

describe('audit journal', () => {
  it('is bounded: a few writes per object, the least recently written object goes first', () => {
    const j = new AuditJournal(20);
    for (let i = 0; i < 12; i++) j.add(write({ audit_id: `x${i}`, time: i }));
    assert.equal(j.writes('Deployment:shop:web').length, 8);
    assert.equal(j.writes('Deployment:shop:web')[0]?.audit_id, 'x4');
    j.add(write({ audit_id: 'x11', time: 11 })); // a retried batch: kept once
    assert.equal(j.size, 8);
    for (let o = 0; o < 10; o++)
      j.add(write({ resource_id: `ConfigMap:a:${o}`, audit_id: `c${o}`, time: 100 + o }));
    for (let o = 0; o < 10; o++)
      j.add(write({ resource_id: `ConfigMap:a:${o}`, audit_id: `d${o}`, time: 200 + o }));
    assert.ok(j.size <= 20);
    assert.equal(j.writes('Deployment:shop:web').length, 0, 'the oldest object went');
    assert.equal(j.writes('ConfigMap:a:9').length, 2);
  });
});

describe('audit join', () => {
  const t = (s: string) => Date.parse(`2026-12-06T10:${s}Z`);
  it('finds the write by the detail’s manager within the second managedFields names', () => {
    const writes = [
      write({ audit_id: 'early', user: 'dev-2', time: t('01:00.100') }),
      write({ audit_id: 'it', user: 'dev-1', time: t('02:03.250') }),
      write({ audit_id: 'other-manager', user: 'dev-3', manager: 'helm', time: t('02:03.300') }),
      write({ audit_id: 'later', user: 'dev-4', time: t('05:00.000') }),
    ];
    assert.equal(whoChanged(writes, record())?.audit_id, 'it');
    // No write in that second: the newest one by that manager up to the analysis.
    assert.equal(whoChanged(writes.slice(0, 1), record())?.audit_id, 'early');
    // None by that manager: nobody.
    assert.equal(whoChanged([writes[2] as AuditWrite], record()), null);
    // The live resourceVersion names the write exactly.
    const rv = [write({ audit_id: 'rv', resource_version: '7', time: t('01:30.000') }), ...writes];
    assert.equal(whoChanged(rv, record(), '7')?.audit_id, 'rv');
  });

  it('matches kubectl scale, which names no fieldManager, by its user agent (kubectl → kubectl-scale)', () => {
    const scale = auditWrite(
      event({ requestURI: '/apis/apps/v1/namespaces/shop/deployments/web/scale' }),
      kindOf,
    );
    assert.ok(scale);
    assert.deepEqual([scale.manager, scale.explicit_manager], ['kubectl', false]);
    assert.equal(whoChanged([scale], record())?.audit_id, 'a1');
    // A request that named another manager does not match.
    assert.equal(whoChanged([write({ manager: 'kubectl', explicit_manager: true })], record()), null);
    const att = new AuditAttribution(new AuditJournal(), 0);
    att.journal.add(scale);
    assert.equal(att.attribute(record(), null, null).changed_by?.manager, 'kubectl-scale');
  });

  it('blames a delete for Missing, and the newest write when no manager is known', () => {
    const writes = [
      write({ audit_id: 'make', verb: 'create', time: t('00:00.000') }),
      write({ audit_id: 'gone', verb: 'delete', manager: null, user: 'ops', time: t('03:00.000') }),
    ];
    assert.equal(
      whoChanged(writes, record({ drift_type: 'Missing', last_checked: '2026-12-06T10:03:01Z' }))?.audit_id,
      'gone',
    );
    const unmanaged = record({ drift_type: 'Unmanaged', drift_details: [] });
    assert.equal(whoChanged(writes.slice(0, 1), unmanaged)?.audit_id, 'make');
  });

  it('says who in one line', () => {
    const w = whoChanged([write({})], record());
    assert.ok(w);
    const att = new AuditAttribution(new AuditJournal(), 0);
    att.journal.add(w);
    const r = att.attribute(record(), null, null);
    assert.equal(
      r.changed_by && changedByText(r.changed_by),
      'changed by dev-1@example.com with kubectl-scale at 10:02',
    );
  });
});

describe('audit attribution', () => {
  it('keeps the episode’s author, drops it for a new episode, and adds no key without one', () => {
    const att = new AuditAttribution(new AuditJournal(), 0);
    assert.equal('changed_by' in att.attribute(record(), null, null), false);
    att.journal.add(write({}));
    const first = att.attribute(record(), null, null);
    assert.equal(first.changed_by?.user, 'dev-1@example.com');
    const att2 = new AuditAttribution(new AuditJournal(), 0); // the journal forgot (restart)
    assert.equal(att2.attribute(record(), first, null).changed_by?.user, 'dev-1@example.com');
    const resolved = record({ drift_status: 'resolved', resolved_at: '2026-12-06T10:09:00Z' });
    assert.equal(att2.attribute(resolved, first, null).changed_by?.user, 'dev-1@example.com');
    const next = record({ first_detected: '2026-12-06T11:00:00.000Z' });
    assert.equal('changed_by' in att2.attribute(next, resolved, null), false);
  });

  it('holds a detection until its audit event arrives, or until the wait is over', async () => {
    const att = new AuditAttribution(new AuditJournal(), 60_000);
    const told: DriftRecord[] = [];
    att.whenKnown(record(), (r) => told.push(r));
    assert.equal(told.length, 0);
    att.journal.add(write({ resource_id: 'ConfigMap:shop:other', audit_id: 'o' }));
    assert.equal(told.length, 0, 'another object’s write releases nothing');
    att.journal.add(write({}));
    assert.equal(told.length, 1);
    assert.equal(told[0]?.changed_by?.user, 'dev-1@example.com');

    const quick = new AuditAttribution(new AuditJournal(), 20);
    quick.whenKnown(record(), (r) => told.push(r));
    await sleep(100);
    assert.equal(told.length, 2);
    assert.equal(told[1]?.changed_by, undefined, 'sent without an author after the wait');
  });
});

describe('audit receiver', () => {
  it('takes an EventList, keeps the writes to watched kinds, and refuses what is not one', () => {
    const r = new AuditReceiver(new AuditJournal(), kindOf);
    const list = {
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: [event(), event({ id: 'g', verb: 'get' }), { nonsense: true }],
    };
    assert.deepEqual(r.list(list), { received: 3, kept: 1 });
    assert.equal(r.unreadable, 1);
    assert.throws(() => r.list({ kind: 'List', items: [] }), /audit\.k8s\.io\/v1 EventList/);
    assert.throws(() => r.list(null), /EventList/);
  });

  it('tails a log file across appends and a rotation, from its recent end at start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftguard-audit-'));
    const path = join(dir, 'audit.log');
    const line = (id: string) => `${JSON.stringify(event({ id }))}\n`;
    writeFileSync(path, line('old-1') + line('old-2'));
    const seen: string[] = [];
    const problems: string[] = [];
    const stop = tailAuditLog(path, (e) => seen.push((e as { auditID: string }).auditID), {
      intervalMs: 10,
      backlogBytes: line('old-2').length + 5,
      onProblem: (m) => problems.push(m),
    });
    try {
      const until = async (n: number) => {
        for (let i = 0; i < 500 && seen.length < n; i++) await sleep(10);
      };
      await until(1);
      appendFileSync(path, line('new-1').slice(0, 20));
      await sleep(50);
      appendFileSync(path, line('new-1').slice(20) + 'not json\n');
      await until(2);
      renameSync(path, `${path}.1`);
      writeFileSync(path, line('rotated-1'));
      await until(3);
      assert.deepEqual(seen, ['old-2', 'new-1', 'rotated-1']);
      assert.match(problems.join('\n'), /a line is not JSON/);
    } finally {
      stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
