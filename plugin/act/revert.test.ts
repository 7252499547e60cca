// The words of a revert: the conflict message (fields and managers one per line, as kubectl lists
// them, with the flag and the browser key), and the wrapping that keeps it whole on a narrow screen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wrap } from '../ui/render/text.ts';
import { conflictMessage } from './revert.ts';

describe('revert words', () => {
  const message = conflictMessage('deployments.apps/web', [
    {
      field: '.spec.template.spec.containers[name="web"].resources.limits.cpu',
      manager: '"kubectl-client-side-apply"',
    },
    { field: '.spec.paused', manager: '"kubectl" (patch)' },
  ]);

  it('lists every conflicting field with its manager and names --force-conflicts and F', () => {
    assert.equal(
      message,
      [
        'revert of deployments.apps/web conflicts with other field managers on 2 fields that did not drift:',
        '  .spec.template.spec.containers[name="web"].resources.limits.cpu: owned by "kubectl-client-side-apply"',
        '  .spec.paused: owned by "kubectl" (patch)',
        'rerun with --force-conflicts (in the drift browser: F) to take them over too',
      ].join('\n'),
    );
  });

  it('wraps to any width without losing a character', () => {
    for (const width of [20, 40, 80]) {
      const lines = wrap(message, width);
      for (const l of lines) assert.ok([...l].length <= width, `${width}: ${l}`);
      assert.equal(lines.join('').replace(/\s+/g, ''), message.replace(/\s+/g, ''));
    }
  });
});
