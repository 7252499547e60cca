// Where the clone lives: git.work_dir; else beside the embedded database; else (MongoDB holds the
// data) a temp dir of this process, removed on stop.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { AgentConfig } from '../config/schema.ts';

export function gitWorkDir(config: AgentConfig, embeddedStore: boolean): { dir: string; temporary: boolean } {
  if (config.git.work_dir) return { dir: resolve(config.git.work_dir), temporary: false };
  if (!embeddedStore) return { dir: mkdtempSync(join(tmpdir(), 'driftguard-git-')), temporary: true };
  return { dir: join(dirname(resolve(config.database.path)), 'git-clone'), temporary: false };
}
