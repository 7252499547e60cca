// simple-git 4.0.2 reads `spawned.stdout` before it listens for the child's 'error' event. When the
// spawn itself fails for want of resources (no file descriptors or processes left), its task rejects
// with a TypeError, and the ChildProcess's 'error' event finds no listener. Node then ends the
// process. The task's rejection still reaches the caller: a failed Git sync is logged, the last good
// state is kept, and the next poll retries. So only that event is let through here. Any other
// uncaught error still ends the process, printed and with exit code 1, as Node does by default.

/** errno codes for "the machine is out of something", not "the command is wrong". */
const EXHAUSTED = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'ENOMEM']);

export function isSpawnExhaustion(err: unknown): err is NodeJS.ErrnoException {
  if (!(err instanceof Error)) return false;
  const { code, syscall } = err as NodeJS.ErrnoException;
  return (
    typeof syscall === 'string' && syscall.startsWith('spawn') && code !== undefined && EXHAUSTED.has(code)
  );
}

export function guardSpawnExhaustion(onSpawnFailure: (err: NodeJS.ErrnoException) => void): void {
  process.on('uncaughtException', (err) => {
    if (isSpawnExhaustion(err)) {
      onSpawnFailure(err);
      return;
    }
    process.stderr.write(`${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
