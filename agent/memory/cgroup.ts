// The memory limit of the container the agent runs in, read from its cgroup: what the kernel's
// OOM killer enforces (the Deployment's resources.limits.memory), so the agent can say it is near
// it before it is killed. cgroup v2 (`memory.max`) and v1 (`memory.limit_in_bytes`), at the
// process's own cgroup path (/proc/self/cgroup) or, in a container with its own cgroup namespace,
// at the mount's root. No limit (v2 `max`, v1's page-rounded 2^63) reads as null.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupPaths {
  /** Where cgroupfs is mounted (default /sys/fs/cgroup). */
  root: string;
  /** The process's cgroup membership file (default /proc/self/cgroup). */
  self: string;
}

const DEFAULT_PATHS: CgroupPaths = { root: '/sys/fs/cgroup', self: '/proc/self/cgroup' };

/** v1 writes "no limit" as the largest page-aligned signed 64-bit value; anything that large is none. */
const UNLIMITED_FROM = 2 ** 60;

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** A limit file's value in bytes; null for no limit or an unreadable/odd value. */
export function parseLimit(text: string | null): number | null {
  if (text === null || text === '' || text === 'max') return null;
  if (!/^\d+$/.test(text)) return null;
  const bytes = Number(text);
  return bytes > 0 && bytes < UNLIMITED_FROM ? bytes : null;
}

/** The cgroup path of a controller in /proc/self/cgroup ("" = the v2 unified hierarchy). */
export function cgroupPathOf(selfText: string, controller: string): string | null {
  for (const line of selfText.split('\n')) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line.trim()) ?? [];
    if (path === undefined || controllers === undefined) continue;
    if (controllers.split(',').includes(controller)) return path;
  }
  return null;
}

/** The first limit found among candidate files, innermost cgroup first. */
function firstLimit(files: string[]): number | null {
  for (const f of files) {
    const limit = parseLimit(readText(f));
    if (limit !== null) return limit;
  }
  return null;
}

/** The container's memory limit in bytes, or null when there is none (or no cgroup to read). */
export function memoryLimitBytes(paths: CgroupPaths = DEFAULT_PATHS): number | null {
  const self = readText(paths.self) ?? '';
  const v2Path = cgroupPathOf(self, '');
  const v1Path = cgroupPathOf(self, 'memory');
  const candidates: string[] = [];
  if (v2Path !== null) candidates.push(join(paths.root, v2Path, 'memory.max'));
  candidates.push(join(paths.root, 'memory.max'));
  if (v1Path !== null) candidates.push(join(paths.root, 'memory', v1Path, 'memory.limit_in_bytes'));
  candidates.push(join(paths.root, 'memory', 'memory.limit_in_bytes'));
  return firstLimit(candidates);
}
