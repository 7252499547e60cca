// `kustomize build` (or `kubectl kustomize`) of a kustomization in the checkout, RootOnly by default.
// Objects carry `config.kubernetes.io/origin` when the kustomization asks for it (buildMetadata:
// [originAnnotations]); that names the file each object came from. The annotation stays in the
// desired object: `kubectl apply -k`, Flux and Argo CD apply it as rendered, so live carries it too.
import { relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import type { DesiredObject } from '../../engine/index.ts';
import type { Tool } from './tools.ts';
import type { KustomizeOptions } from './types.ts';

export function kustomizeArgs(tool: Tool, dir: string, opts: KustomizeOptions, helm: Tool | null): string[] {
  const args = [
    ...tool.prefix,
    ...(tool.prefix.length ? [] : ['build']),
    dir,
    '--load-restrictor',
    opts.load_restrictor === 'None' ? 'LoadRestrictionsNone' : 'LoadRestrictionsRootOnly',
  ];
  if (opts.enable_helm) {
    args.push('--enable-helm');
    if (helm) args.push('--helm-command', helm.file);
  }
  return args;
}

const ORIGIN = 'config.kubernetes.io/origin';

/** Reads origin annotations into sourceFile (repo-relative). */
export function applyOrigins(objects: DesiredObject[], repoDir: string, kdir: string): void {
  for (const d of objects) {
    const annotations = d.object.metadata['annotations'];
    if (!annotations || typeof annotations !== 'object' || Array.isArray(annotations)) continue;
    const origin = annotations[ORIGIN];
    if (typeof origin === 'string') {
      try {
        const o = parse(origin) as { path?: unknown; configuredIn?: unknown } | null;
        const path =
          typeof o?.path === 'string' ? o.path : typeof o?.configuredIn === 'string' ? o.configuredIn : null;
        if (path && !/^[a-z]+:\/\//i.test(path))
          d.sourceFile = relative(repoDir, resolve(kdir, path)).split(sep).join('/');
      } catch {
        // an unreadable origin leaves the kustomization as the source file
      }
    }
  }
}
