// Child process for agent/spawn-guard.test.ts: uses up its file descriptors, then runs git through
// simple-git (as the agent's GitRepo does), with or without the agent's guard (argv[2] = 'guard').
// Prints one JSON line once the failed task has settled and the process has outlived the spawn's
// 'error' event: what the task rejected with, and what the guard saw.
import { openSync } from 'node:fs';
import { simpleGit } from 'simple-git';
import { guardSpawnExhaustion } from '../../agent/spawn-guard.ts';

const seen: string[] = [];
if (process.argv[2] === 'guard') guardSpawnExhaustion((err) => seen.push(`${err.code} ${err.syscall}`));
const held: number[] = [];
try {
  for (;;) held.push(openSync('/dev/null', 'r'));
} catch {
  // out of descriptors now: the next spawn cannot make its pipes
}
const task = await simpleGit({ baseDir: process.cwd() })
  .raw(['rev-parse', 'HEAD'])
  .then(
    () => 'resolved',
    (err: unknown) => `rejected: ${err instanceof Error ? err.message : String(err)}`,
  );
await new Promise((r) => setTimeout(r, 200));
console.log(JSON.stringify({ task, seen, held: held.length }));
