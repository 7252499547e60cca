// Repository content is untrusted. Before any tool reads a checkout: no symlink may lead out of it,
// every values file must resolve inside it, and a Kustomize tree may name neither remote bases nor
// files outside the checkout unless the source opted in. Nothing outside the checkout is read.
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { RenderError } from './errors.ts';

export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function rel(root: string, path: string): string {
  return relative(root, path).split(sep).join('/') || '.';
}

/** Refuses any symlink in the checkout (outside .git) whose target lies outside it, or dangles. */
export function checkSymlinks(repoDir: string): void {
  const root = realpathSync(repoDir);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        const target = resolve(dirname(full), readlinkSync(full));
        let real: string;
        try {
          real = realpathSync(full);
        } catch {
          real = target;
        }
        if (!isInside(root, real) || !isInside(root, target))
          throw new RenderError(
            'safety',
            `symlink ${rel(root, full)} points outside the repository; refusing to render`,
          );
      } else if (entry.isDirectory()) walk(full);
    }
  };
  walk(root);
}

/** A repo file named by the config (a values file): must exist and resolve inside the checkout. */
export function fileInside(repoDir: string, baseDir: string, file: string, what: string): string {
  const root = realpathSync(repoDir);
  const full = resolve(baseDir, file);
  if (!isInside(root, full) && !isInside(resolve(repoDir), full))
    throw new RenderError('safety', `${what} ${file} is outside the repository; refusing to read it`);
  if (!existsSync(full)) throw new RenderError('safety', `${what} ${file} does not exist in the repository`);
  if (!isInside(root, realpathSync(full)))
    throw new RenderError('safety', `${what} ${file} resolves outside the repository; refusing to read it`);
  if (!statSync(full).isFile()) throw new RenderError('safety', `${what} ${file} is not a file`);
  return full;
}

const KUSTOMIZATION = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function kustomizationFile(dir: string): string | null {
  for (const name of KUSTOMIZATION) {
    const p = join(dir, name);
    if (existsSync(p) && lstatSync(p).isFile()) return p;
  }
  return null;
}

/** What Kustomize would fetch over the network rather than read from the checkout. */
function looksRemote(ref: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) ||
    /^[^/\s]+@[^/\s:]+:/.test(ref) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) ||
    /\?(ref|version|submodules|timeout)=/.test(ref) ||
    /^[^./][^/]*\.[a-z]{2,}\/.*\/\//i.test(ref)
  );
}

type Entry = { ref: string; field: string; dirAllowed: boolean };

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function pathsOf(field: string, v: unknown): Entry[] {
  return strings(v).map((ref) => ({ ref, field, dirAllowed: false }));
}

/** Every local path a kustomization names, with the field it came from. */
function entriesOf(k: Record<string, unknown>): Entry[] {
  const out: Entry[] = [];
  for (const f of ['resources', 'bases', 'components'])
    for (const ref of strings(k[f])) out.push({ ref, field: f, dirAllowed: true });
  for (const f of [
    'crds',
    'patchesStrategicMerge',
    'transformers',
    'generators',
    'validators',
    'configurations',
  ])
    for (const ref of strings(k[f])) if (!ref.includes('\n')) out.push(...pathsOf(f, [ref]));
  for (const f of ['patches', 'patchesJson6902', 'replacements'])
    if (Array.isArray(k[f]))
      for (const p of k[f] as unknown[])
        if (p && typeof p === 'object' && typeof (p as { path?: unknown }).path === 'string')
          out.push({ ref: (p as { path: string }).path, field: f, dirAllowed: false });
  for (const f of ['configMapGenerator', 'secretGenerator'])
    if (Array.isArray(k[f]))
      for (const g of k[f] as Record<string, unknown>[]) {
        if (!g || typeof g !== 'object') continue;
        for (const file of strings(g['files']))
          out.push({
            ref: file.includes('=') ? file.slice(file.indexOf('=') + 1) : file,
            field: f,
            dirAllowed: false,
          });
        out.push(...pathsOf(f, strings(g['envs'])));
        if (typeof g['env'] === 'string') out.push(...pathsOf(f, [g['env']]));
      }
  const openapi = k['openapi'];
  if (openapi && typeof openapi === 'object' && typeof (openapi as { path?: unknown }).path === 'string')
    out.push({ ref: (openapi as { path: string }).path, field: 'openapi', dirAllowed: false });
  const globals = k['helmGlobals'];
  if (
    globals &&
    typeof globals === 'object' &&
    typeof (globals as { chartHome?: unknown }).chartHome === 'string'
  )
    out.push({ ref: (globals as { chartHome: string }).chartHome, field: 'helmGlobals', dirAllowed: true });
  return out;
}

export interface KustomizeSafety {
  /** Remote bases and `helmCharts` pulls are allowed (the source opted into the network). */
  allowNetwork: boolean;
  enableHelm: boolean;
}

/**
 * Follows the kustomization at `dir` and every local base/component it names, refusing remote
 * references (unless allowed), `helmCharts` without enable_helm or pulling from a repo without the
 * network, and any path that leaves the checkout (absolute ones included, whatever the load restrictor).
 */
export function checkKustomizeTree(repoDir: string, dir: string, opts: KustomizeSafety): void {
  const root = realpathSync(repoDir);
  const seen = new Set<string>();
  const visit = (kdir: string): void => {
    const real = realpathSync(kdir);
    if (seen.has(real)) return;
    seen.add(real);
    const file = kustomizationFile(kdir);
    if (!file) return;
    const where = rel(root, file);
    let k: unknown;
    try {
      k = parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new RenderError('parse', `${where}: cannot parse: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!k || typeof k !== 'object') return;
    const kz = k as Record<string, unknown>;
    for (const e of entriesOf(kz)) {
      if (looksRemote(e.ref) && !existsSync(resolve(kdir, e.ref))) {
        if (!opts.allowNetwork)
          throw new RenderError(
            'safety',
            `${where}: ${e.field} entry ${e.ref} is remote; remote bases are off unless the source opts into the network`,
          );
        continue;
      }
      const full = isAbsolute(e.ref) ? e.ref : resolve(kdir, e.ref);
      if (!isInside(root, full) && !isInside(resolve(repoDir), full))
        throw new RenderError('safety', `${where}: ${e.field} entry ${e.ref} is outside the repository`);
      if (existsSync(full) && !isInside(root, realpathSync(full)))
        throw new RenderError(
          'safety',
          `${where}: ${e.field} entry ${e.ref} resolves outside the repository`,
        );
      if (e.dirAllowed && existsSync(full) && statSync(full).isDirectory()) visit(full);
    }
    const charts = Array.isArray(kz['helmCharts']) ? (kz['helmCharts'] as Record<string, unknown>[]) : [];
    if (charts.length > 0 && !opts.enableHelm)
      throw new RenderError('safety', `${where}: helmCharts needs kustomize.enable_helm: true`);
    for (const c of charts)
      if (
        c &&
        typeof c === 'object' &&
        typeof c['repo'] === 'string' &&
        c['repo'] !== '' &&
        !opts.allowNetwork
      )
        throw new RenderError(
          'safety',
          `${where}: helmCharts ${String(c['name'] ?? '')} pulls from ${c['repo']}; chart pulls are off unless the source opts into the network`,
        );
  };
  visit(dir);
}
