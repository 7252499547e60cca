// Collects the manifest files of a repository (or of --path inside it): *.yaml, *.yml, *.json,
// skipping dot-directories such as .git. Paths are reported relative to the repository root.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { CliError } from '../cli/errors.ts';

export interface ManifestFile {
  path: string;
  content: string;
}

const MANIFEST = /\.(ya?ml|json)$/i;

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && MANIFEST.test(entry.name)) out.push(full);
  }
}

export function readManifestFiles(repoDir: string, subPath?: string): ManifestFile[] {
  const root = resolve(repoDir);
  const start = subPath ? resolve(root, subPath) : root;
  if (start !== root && !start.startsWith(root + sep))
    throw new CliError(`--path ${subPath} is outside the repository`);
  if (!existsSync(start)) throw new CliError(`--path ${subPath} does not exist in the repository`);
  const files: string[] = [];
  if (statSync(start).isDirectory()) walk(start, files);
  else files.push(start);
  return files.map((f) => ({
    path: relative(root, f).split(sep).join('/'),
    content: readFileSync(f, 'utf8'),
  }));
}
