// Writing a file whole or not at all, for the caches the agent and the plugin keep on disk.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes `file` at once: aside, then renamed (a crash leaves the old one or none). */
export function replaceFile(file: string, data: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, data);
  renameSync(aside, file);
}
