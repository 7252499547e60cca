import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishedByEvents } from './job-evidence.ts';

const ev = (reason: string, t: string, component = 'job-controller') => ({
  reason,
  source: { component },
  lastTimestamp: `2026-01-01T00:00:${t}Z`,
});

describe('finishedByEvents', () => {
  it('a finishing Event after the pods were created: finished', () => {
    assert.equal(finishedByEvents([ev('SuccessfulCreate', '01'), ev('Completed', '09')]), true);
    assert.equal(finishedByEvents([ev('SuccessfulCreate', '01'), ev('BackoffLimitExceeded', '09')]), true);
    assert.equal(finishedByEvents([ev('SuccessfulCreate', '05'), ev('Completed', '05')]), true);
  });
  it('only pod creations, or a creation after the last finish (run again): not finished', () => {
    assert.equal(finishedByEvents([ev('SuccessfulCreate', '01')]), false);
    assert.equal(finishedByEvents([ev('Completed', '01'), ev('SuccessfulCreate', '30')]), false);
    assert.equal(finishedByEvents([]), false);
  });
  it('ignores Events of other components', () => {
    assert.equal(finishedByEvents([ev('Completed', '09', 'someone-else')]), false);
  });
});
