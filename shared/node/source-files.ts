// The one rule for which files a source holds, for the agent (a Git clone) and the plugin (a
// directory or a clone): files named *.yaml, *.yml or *.json under the source's path, outside any
// dot-directory or dot-file (.git, .github, .helmignore). The agent filters its Git diffs with
// `holdsFile`; both list a tree with `listSourceFiles`, so the two can never disagree.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { RenderError } from './render/errors.ts';

const MANIFEST = /\.(ya?ml|json)$/i;

/** The source path as a clean repo-relative prefix: '' for the root, no leading ./ or trailing /. */
export function normalizeSourcePath(path: string | undefined): string {
  return (path ?? '')
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .replace(/^\.$/, '');
}

/** Does the source at `sourcePath` hold the repo-relative file `file`? */
export function holdsFile(sourcePath: string, file: string): boolean {
  const prefix = normalizeSourcePath(sourcePath);
  const inside = prefix === '' || file === prefix || file.startsWith(`${prefix}/`);
  if (!inside) return false;
  // Dot-segments count below the source path only: a source may itself live under a dot-directory.
  const rest =
    prefix === '' ? file : file === prefix ? (file.split('/').pop() ?? file) : file.slice(prefix.length + 1);
  return rest.split('/').every((p) => !p.startsWith('.')) && MANIFEST.test(file);
}

/** The absolute directory (or file) of a source path inside a checkout; refused when it leaves it. */
export function sourceRoot(repoDir: string, sourcePath: string | undefined): string {
  const root = resolve(repoDir);
  const start = resolve(root, normalizeSourcePath(sourcePath));
  if (start !== root && !start.startsWith(root + sep))
    throw new RenderError('path', `path ${sourcePath} is outside the repository`);
  try {
    statSync(start);
  } catch {
    throw new RenderError('path', `path ${sourcePath} does not exist in the repository`);
  }
  return start;
}

function walk(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    // Symlinks were vetted by checkSymlinks; follow those to files, never into directories (loops).
    const isDir = entry.isDirectory();
    const isFile = entry.isFile() || (entry.isSymbolicLink() && lstatSafeFile(full));
    if (isDir) walk(full, out);
    else if (isFile && MANIFEST.test(entry.name)) out.push(full);
  }
}

function lstatSafeFile(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink() && statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Repo-relative paths (with /) of the files the source at `sourcePath` holds, sorted. */
export function listSourceFiles(repoDir: string, sourcePath: string | undefined): string[] {
  const root = resolve(repoDir);
  const start = sourceRoot(root, sourcePath);
  const files: string[] = [];
  if (statSync(start).isDirectory()) walk(start, files);
  else files.push(start);
  return files.map((f) => relative(root, f).split(sep).join('/'));
}
