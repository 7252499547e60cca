// The guard against simple-git's unhandled spawn 'error' event, with the real library and a real
// descriptor shortage (a child process under `ulimit -n 64`).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isSpawnExhaustion } from './spawn-guard.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = join(ROOT, 'test', 'git', 'spawn-exhaustion.ts');

function run(mode: 'guard' | 'bare') {
  const cmd = `ulimit -n 64 && exec "${process.execPath}" --import tsx "${SCRIPT}" ${mode}`;
  return spawnSync('bash', ['-c', cmd], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

test('without the guard, a spawn that finds no descriptors ends the process (the bug it covers)', () => {
  const r = run('bare');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /spawn git EMFILE/);
  assert.equal(r.stdout.includes('"task"'), false);
});

test('with the guard, the task fails, the process lives on and the failure is reported once', () => {
  const r = run('guard');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { task: string; seen: string[] };
  assert.match(out.task, /^rejected: /);
  assert.deepEqual(out.seen, ['EMFILE spawn git']);
});

test('only resource exhaustion at spawn is let through', () => {
  const errno = (code: string, syscall: string) => Object.assign(new Error(code), { code, syscall });
  assert.equal(isSpawnExhaustion(errno('EMFILE', 'spawn git')), true);
  assert.equal(isSpawnExhaustion(errno('EAGAIN', 'spawn helm')), true);
  assert.equal(isSpawnExhaustion(errno('ENOENT', 'spawn git')), false);
  assert.equal(isSpawnExhaustion(errno('EMFILE', 'open')), false);
  assert.equal(isSpawnExhaustion(new TypeError('x')), false);
});
