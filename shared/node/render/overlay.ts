// The transforms a GitOps controller puts on top of a source directory (KustomizeOverlay), as a
// generated kustomization in the render's temp dir whose one resource is that directory. A plain
// directory (no kustomization of its own) gets one listing its manifests first, as Flux generates
// it; the manifests are copied beside it because a kustomization may not name files outside its root.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { stringify } from 'yaml';
import { listSourceFiles } from '../source-files.ts';
import { kustomizationFile } from './safety.ts';
import type { KustomizeOverlay } from './types.ts';

/** True when the overlay changes anything (an empty one is not written). */
export function hasOverlay(o: KustomizeOverlay | undefined): o is KustomizeOverlay {
  if (!o) return false;
  return Boolean(
    o.namespace ||
    o.name_prefix ||
    o.name_suffix ||
    o.images?.length ||
    o.patches?.length ||
    Object.keys(o.labels ?? {}).length ||
    Object.keys(o.annotations ?? {}).length,
  );
}

function baseFor(tmp: string, repoDir: string, dir: string, path: string): string {
  if (kustomizationFile(dir)) return dir;
  const base = join(tmp, 'base');
  const files = listSourceFiles(repoDir, path).map((p) => relative(path, p).split(sep).join('/'));
  for (const f of files) {
    mkdirSync(dirname(join(base, f)), { recursive: true });
    copyFileSync(join(dir, f), join(base, f));
  }
  writeFileSync(join(base, 'kustomization.yaml'), stringify({ resources: files }));
  return base;
}

/** Writes the overlay kustomization; returns the directory to build. */
export function writeOverlay(
  tmp: string,
  repoDir: string,
  dir: string,
  path: string,
  o: KustomizeOverlay,
): string {
  const overlay = join(tmp, 'overlay');
  mkdirSync(overlay, { recursive: true });
  const base = baseFor(tmp, repoDir, dir, path);
  const k: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [relative(overlay, base).split(sep).join('/')],
  };
  if (o.namespace) k['namespace'] = o.namespace;
  if (o.name_prefix) k['namePrefix'] = o.name_prefix;
  if (o.name_suffix) k['nameSuffix'] = o.name_suffix;
  if (o.images?.length) k['images'] = o.images;
  if (o.patches?.length) k['patches'] = o.patches;
  // Flux's commonMetadata and Argo CD's commonLabels leave selectors alone.
  if (Object.keys(o.labels ?? {}).length) k['labels'] = [{ pairs: o.labels, includeSelectors: false }];
  if (Object.keys(o.annotations ?? {}).length) k['commonAnnotations'] = o.annotations;
  writeFileSync(join(overlay, 'kustomization.yaml'), stringify(k));
  return overlay;
}
