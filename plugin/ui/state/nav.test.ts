import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROOT, crumbs, pop, push, top } from './nav.ts';

test('the stack pushes details on the list, pops back, and never pops the root', () => {
  const s = push(ROOT, { view: 'detail', resourceId: 'Deployment:shop:web' });
  assert.deepEqual(top(s), { view: 'detail', resourceId: 'Deployment:shop:web' });
  assert.deepEqual(crumbs(s, 'active drifts'), ['active drifts', 'Deployment:shop:web']);
  assert.deepEqual(pop(s), ROOT);
  assert.equal(pop(ROOT), ROOT);
});
