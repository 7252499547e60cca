// The snapshot's chunks: split by size, read back whole, and refused whole when any part is not
// the snapshot its marker names (then a start reads the records collection instead).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DriftRecord } from '../../shared/types.ts';
import { transition } from '../records/lifecycle.ts';
import { result, scalingDetail } from '../../test/records/details.ts';
import { snapshotChunks, snapshotRecords, type SnapshotDoc } from './record-snapshot.ts';

const NOW = '2026-01-01T12:00:00.000Z';
const records: DriftRecord[] = Array.from(
  { length: 40 },
  (_, i) =>
    transition(null, result(`cm-${i}`, i % 3 === 0 ? [scalingDetail(1, 2)] : [], 'app', 'ConfigMap'), NOW)
      .record,
);

function asDocs(chunks: string[], token = 't'): { marker: SnapshotDoc; docs: SnapshotDoc[] } {
  const docs = chunks.map((data, i) => ({
    _id: `chunk/default/${token}/${i}`,
    cluster: 'default',
    token,
    data,
  }));
  return {
    marker: { _id: 'marker/default', cluster: 'default', token, chunks: docs.length, count: records.length },
    docs,
  };
}

describe('record snapshot chunks', () => {
  it('splits at the size limit and reads back every record as JSON gives it', () => {
    const chunks = snapshotChunks(records, 2000);
    assert.ok(chunks.length > 1, `${chunks.length} chunk(s)`);
    for (const c of chunks) assert.ok(c.length <= 2000 || JSON.parse(c).length === 1, `${c.length} chars`);
    const { marker, docs } = asDocs(chunks);
    assert.deepEqual(snapshotRecords(marker, docs, 'default'), JSON.parse(JSON.stringify(records)));
  });

  it('an empty cluster is one empty chunk', () => {
    const chunks = snapshotChunks([]);
    assert.deepEqual(chunks, ['[]']);
    const { docs } = asDocs(chunks);
    const marker = { _id: 'marker/default', cluster: 'default', token: 't', chunks: 1, count: 0 };
    assert.deepEqual(snapshotRecords(marker, docs, 'default'), []);
  });

  it('refuses a missing or foreign chunk, another count, another cluster or unreadable text', () => {
    const { marker, docs } = asDocs(snapshotChunks(records, 2000));
    assert.equal(snapshotRecords(marker, [docs[0]!, null, ...docs.slice(2)], 'default'), null, 'missing');
    assert.equal(snapshotRecords(marker, [{ ...docs[0]!, token: 'old' }, ...docs.slice(1)], 'default'), null);
    assert.equal(snapshotRecords({ ...marker, count: records.length + 1 }, docs, 'default'), null, 'count');
    assert.equal(snapshotRecords(marker, docs.slice(1), 'default'), null, 'a chunk fewer');
    assert.equal(snapshotRecords(marker, docs, 'other'), null, 'cluster');
    assert.equal(snapshotRecords(marker, [{ ...docs[0]!, data: '[{' }, ...docs.slice(1)], 'default'), null);
    assert.equal(snapshotRecords(marker, [{ ...docs[0]!, data: '{}' }, ...docs.slice(1)], 'default'), null);
  });
});
