// Follows an audit log file (--audit-log-path: one JSON audit event per line) the way `tail -F`
// does: new lines every `intervalMs`, from the start again when the file is rotated (another
// inode) or truncated. At start only the last `backlogBytes` are read: enough for the join to
// attribute the drift already open, without reading a day of audit log.
import { open, stat } from 'node:fs/promises';
import { errorMessage } from '../../shared/errors.ts';

export interface TailOptions {
  intervalMs?: number;
  backlogBytes?: number;
  /** A line that is not JSON, or the file unreadable (it may not exist yet): logged by the caller. */
  onProblem?: (message: string) => void;
}

/** Lines read per poll at most, so one poll over a burst does not hold the event loop long. */
const CHUNK = 4 * 1024 * 1024;

export function tailAuditLog(
  path: string,
  onEvent: (event: unknown) => void,
  opts: TailOptions = {},
): () => void {
  const interval = opts.intervalMs ?? 500;
  let inode: number | null = null;
  let offset = 0;
  let partial = '';
  let first = true;
  let stopped = false;
  let problem: string | null = null;
  let timer: NodeJS.Timeout | undefined;

  const complain = (message: string): void => {
    if (message !== problem) opts.onProblem?.(message);
    problem = message;
  };

  const poll = async (): Promise<void> => {
    const st = await stat(path);
    if (st.ino !== inode || st.size < offset) {
      // New or rotated file; at the very start, only its tail.
      offset = first ? Math.max(0, st.size - (opts.backlogBytes ?? 8 * 1024 * 1024)) : 0;
      partial = '';
      if (first && offset > 0) partial = '\0'; // the first line read is cut: drop it
      inode = st.ino;
    }
    first = false;
    if (st.size <= offset) return;
    const fh = await open(path, 'r');
    try {
      const length = Math.min(st.size - offset, CHUNK);
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      offset += bytesRead;
      const lines = (partial + buf.subarray(0, bytesRead).toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      if (lines[0]?.startsWith('\0')) lines.shift();
      for (const line of lines) {
        if (line.trim() === '') continue;
        try {
          onEvent(JSON.parse(line));
        } catch {
          complain(`audit log ${path}: a line is not JSON`);
        }
      }
    } finally {
      await fh.close();
    }
  };

  const loop = (): void => {
    if (stopped) return;
    poll()
      .then(
        () => {
          problem = null;
        },
        (err: unknown) => complain(`audit log ${path}: ${errorMessage(err)}`),
      )
      .finally(() => {
        if (!stopped) {
          timer = setTimeout(loop, interval);
          timer.unref();
        }
      });
  };
  loop();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
