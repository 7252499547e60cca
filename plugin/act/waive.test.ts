// The words of `waive` and `unwaive` (pure): rules from KIND/NAMESPACE/NAME globs, the duration
// checked before the agent is asked, warnings about fields a waiver would leave active, and waiver
// ids as the table shortens them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DriftRecord } from '../../shared/types.ts';
import { CliError } from '../errors.ts';
import { coverageWarnings, matchWaiverId, parseRule, waiverDuration } from './waive.ts';

describe('waive words', () => {
  it('reads a rule as globs, with kubectl kind aliases and * for any part', () => {
    assert.deepEqual(parseRule('deploy/shop/web-*', undefined), {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web-*',
    });
    assert.deepEqual(parseRule('ConfigMap/*/cache', undefined), { kind: 'ConfigMap', name: 'cache' });
    assert.deepEqual(parseRule('deployments.apps/web', 'shop'), {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
    });
    assert.deepEqual(parseRule('*/shop/*', undefined), { namespace: 'shop' });
    assert.throws(() => parseRule('*/*/*', undefined), /every drift/);
    assert.throws(() => parseRule('web', undefined), /KIND\/NAMESPACE\/NAME/);
    assert.throws(() => parseRule('Deployment/a/web', 'b'), /-n says b/);
  });

  it('takes durations such as 7d or 2s, refusing bare numbers, zero and more than 366 days', () => {
    assert.equal(waiverDuration('7d'), '7d');
    assert.equal(waiverDuration('2s'), '2s');
    for (const bad of ['7', '0s', 'soon', '367d']) assert.throws(() => waiverDuration(bad), CliError, bad);
  });

  it('warns when the field covers none, or not all, of the drifted fields', () => {
    const rec = {
      resource_id: 'Deployment:shop:web',
      drift_details: [{ path: 'spec.replicas' }, { path: 'spec.template.spec.containers[name=web].image' }],
    } as unknown as DriftRecord;
    assert.match(coverageWarnings(rec, 'spec.replicas')[0] ?? '', /also drifts on spec\.template/);
    assert.match(coverageWarnings(rec, 'spec.rep')[0] ?? '', /none of .* drifted fields/);
    assert.deepEqual(coverageWarnings(rec, 'spec'), []);
    assert.deepEqual(coverageWarnings(rec, undefined), []);
  });

  it('finds a waiver by its id, a unique prefix or waiver/ID', () => {
    const ids = ['3f2a9c1e-1111', '3f2b0000-2222', '9a000000-3333'];
    assert.equal(matchWaiverId('9a', ids), '9a000000-3333');
    assert.equal(matchWaiverId('waiver/3f2b0000-2222', ids), '3f2b0000-2222');
    assert.equal(matchWaiverId('3f2a9c1e-1111', ids), '3f2a9c1e-1111');
    assert.throws(() => matchWaiverId('3f', ids), /ambiguous/);
    assert.throws(() => matchWaiverId('ff', ids), /no waiver ff/);
    assert.throws(() => matchWaiverId('', ids), /no waiver/);
  });
});
