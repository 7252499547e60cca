// The boundary validation: typed filters from good query strings, a 400 naming the problem for
// anything else (including operator-shaped keys and values meant for MongoDB).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './errors.ts';
import { historyQuery, noParams, recordAddress, recordQuery } from './query.ts';

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(
    fn,
    (err: unknown) => err instanceof ApiError && err.status === 400 && pattern.test(err.message),
  );
}

describe('recordQuery', () => {
  it('applies the default page', () => {
    assert.deepEqual(recordQuery(''), { limit: 100, offset: 0 });
  });

  it('types every filter', () => {
    assert.deepEqual(
      recordQuery(
        'namespace=shop&kind=Deployment&drift_detected=false&severity=high&type=Scaling&limit=1000&offset=20',
      ),
      {
        namespace: 'shop',
        kind: 'Deployment',
        drift_detected: false,
        severity: 'high',
        type: 'Scaling',
        limit: 1000,
        offset: 20,
      },
    );
  });

  it('fixes the status for /active and /resolved', () => {
    assert.equal(recordQuery('', 'active').drift_status, 'active');
    assert.equal(recordQuery('', 'resolved').drift_status, 'resolved');
  });

  const bad: [string, RegExp][] = [
    ['drift_detected=maybe', /'drift_detected' must be true or false/],
    ['drift_detected=1', /true or false/],
    ['limit=-1', /'limit' must be an integer from 1 to 1000/],
    ['limit=abc', /'limit'/],
    ['limit=1e3', /'limit'/],
    ['limit=', /'limit'/],
    ['offset=99999999999999999999', /'offset'/],
    ['severity=urgent', /'severity' must be one of low, medium, high/],
    ['type=toString', /'type' must be one of/],
    ['namespace=a_b', /'namespace' must be a Kubernetes namespace name/],
    ['namespace={"$ne":null}', /'namespace'/],
    ['kind=$where', /'kind'/],
    ['namespace[$ne]=x', /unknown query parameter 'namespace\[\$ne\]'/],
    ['drift_detected[$exists]=true', /unknown query parameter/],
    ['__proto__=x', /unknown query parameter/],
    ['kind=Pod&kind=Service', /'kind' given more than once/],
  ];
  for (const [query, message] of bad) {
    it(`rejects ${query}`, () => rejects(() => recordQuery(query), message));
  }
});

describe('historyQuery, recordAddress and noParams', () => {
  it('accepts only cluster and limit on history', () => {
    assert.deepEqual(historyQuery(''), { limit: 100 });
    assert.deepEqual(historyQuery('limit=5&cluster=north'), { limit: 5, cluster: 'north' });
    rejects(() => historyQuery('offset=5'), /unknown query parameter 'offset' \(allowed: cluster, limit\)/);
  });

  it("takes one cluster's name on the endpoints of one record, never *", () => {
    assert.deepEqual(recordAddress(''), {});
    assert.deepEqual(recordAddress('cluster=west'), { cluster: 'west' });
    rejects(
      () => recordAddress('cluster=*'),
      /query parameter 'cluster' must be a cluster name .*\* is for the lists/,
    );
    rejects(() => historyQuery('cluster=*'), /\* is for the lists/);
    rejects(() => recordAddress('cluster=West'), /query parameter 'cluster' must be a cluster name/);
    rejects(() => recordAddress('namespace=x'), /unknown query parameter 'namespace' \(allowed: cluster\)/);
  });

  it('rejects any parameter where none is taken', () => {
    noParams('');
    rejects(() => noParams('x=1'), /unknown query parameter 'x' \(allowed: none\)/);
  });
});
