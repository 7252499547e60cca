import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transition } from '../records/lifecycle.ts';
import { result, scalingDetail } from '../../test/records/details.ts';
import { WriteQueue, type WriteOp } from './write-queue.ts';

const T = (m: number): string => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString();
const detected = transition(null, result('web', [scalingDetail(3, 5)]), T(0));
const checked = transition(detected.record, result('web', [scalingDetail(3, 5)]), T(1));
const resolved = transition(checked.record, result('web'), T(2));

function drainAll(q: WriteQueue): WriteOp[] {
  const out: WriteOp[] = [];
  for (let w = q.head(); w; w = q.head()) {
    out.push(w);
    q.done();
  }
  return out;
}

describe('WriteQueue', () => {
  it('merges a save without event into the pending save of the same resource, keeping the event', () => {
    const q = new WriteQueue();
    q.push({ op: 'saveRecord', ...detected });
    q.push({ op: 'saveRecord', ...checked });
    assert.equal(q.size, 1);
    assert.deepEqual(drainAll(q), [{ op: 'saveRecord', record: checked.record, event: detected.event }]);
  });

  it('keeps two events of one resource as two writes, in order', () => {
    const q = new WriteQueue();
    q.push({ op: 'saveRecord', ...detected });
    q.push({ op: 'saveRecord', ...resolved });
    const writes = drainAll(q);
    assert.deepEqual(
      writes.map((w) => (w.op === 'saveRecord' ? w.event?.event : w.op)),
      ['detected', 'resolved'],
    );
    assert.equal(q.pendingRecord('Deployment:default:web'), undefined);
  });

  it('never merges into the write in flight', () => {
    const q = new WriteQueue();
    q.push({ op: 'saveRecord', ...detected });
    q.head();
    q.push({ op: 'saveRecord', ...checked });
    assert.equal(q.size, 2);
    q.done();
    assert.equal(q.pendingRecord('Deployment:default:web'), checked.record);
  });

  it('shows the pending state of a resource: record, deleted, or nothing', () => {
    const q = new WriteQueue();
    q.push({ op: 'saveRecord', ...detected });
    assert.equal(q.pendingRecord('Deployment:default:web'), detected.record);
    q.push({ op: 'deleteRecord', resourceId: 'Deployment:default:web' });
    assert.equal(q.pendingRecord('Deployment:default:web'), null);
    assert.equal(q.pendingRecord('Deployment:default:api'), undefined);
    assert.equal(q.size, 2);
  });

  it('keeps only the newest last analysis', () => {
    const q = new WriteQueue();
    const a = { started_at: T(0), finished_at: T(1), duration_seconds: 60, resources: 1, git_commit: null };
    q.push({ op: 'saveLastAnalysis', analysis: a });
    q.push({ op: 'saveLastAnalysis', analysis: { ...a, resources: 2 } });
    assert.equal(q.size, 1);
    assert.equal(q.pendingAnalysis()?.resources, 2);
  });

  it('puts a failed head back open to merges', () => {
    const q = new WriteQueue();
    q.push({ op: 'saveRecord', ...detected });
    q.head();
    q.failed();
    q.push({ op: 'saveRecord', ...checked });
    assert.equal(q.size, 1);
  });
});
