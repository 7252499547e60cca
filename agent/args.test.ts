// The agent's arguments: the first wrong one is named, help and version win where they appear.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs, type Args } from './args.ts';

describe('driftguard-agent arguments', () => {
  const cases: [string[], Args][] = [
    [[], { kind: 'run' }],
    [['--config', 'c.yaml'], { kind: 'run', config: 'c.yaml' }],
    [['-c', 'c.yaml'], { kind: 'run', config: 'c.yaml' }],
    [['--config=c.yaml'], { kind: 'run', config: 'c.yaml' }],
    [['--config=-odd.yaml'], { kind: 'run', config: '-odd.yaml' }],
    [['-h'], { kind: 'help' }],
    [['--version'], { kind: 'version' }],
    [['-c', 'c.yaml', '--help'], { kind: 'help' }],
    [['--config'], { kind: 'error', message: '--config needs a file name' }],
    [['-c', '--help'], { kind: 'error', message: '-c needs a file name' }],
    [['--bogus'], { kind: 'error', message: 'unknown argument "--bogus"' }],
    [['--bogus', '--help'], { kind: 'error', message: 'unknown argument "--bogus"' }],
    [['extra'], { kind: 'error', message: 'unknown argument "extra"' }],
    [['--help=1'], { kind: 'error', message: 'unknown argument "--help=1"' }],
  ];
  for (const [argv, expected] of cases) {
    it(JSON.stringify(argv), () => assert.deepEqual(parseArgs(argv), expected));
  }
});
