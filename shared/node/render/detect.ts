// `type: auto`, decided at the source path only: a kustomization wins over a Chart.yaml beside it;
// a Chart.yaml makes a chart; anything else is a plain directory of manifests.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { kustomizationFile } from './safety.ts';
import type { RenderedType, SourceType } from './types.ts';

export function detectType(dir: string): RenderedType {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return 'directory';
  if (kustomizationFile(dir)) return 'kustomize';
  if (existsSync(join(dir, 'Chart.yaml'))) return 'helm';
  return 'directory';
}

export function resolveType(type: SourceType, dir: string): RenderedType {
  return type === 'auto' ? detectType(dir) : type;
}
