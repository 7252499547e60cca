// Test kit: reads fixture files (beside this file) and the shared corpus for the engine's tests. It
// lives under test/ because the engine itself does no I/O.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../shared/types.ts';
import { crdSchemas, type CrdSchemas } from '../../../shared/engine/crd-schema.ts';
import type { ManifestFile } from '../../../shared/engine/parse.ts';

export const TESTDATA = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(TESTDATA, '..', '..', '..');
/** Real-world manifests shared by the team; read in place, never copied into the project. */
export { CORPUS } from '../../kit/shared-data.ts';
export const EXAMPLES = join(REPO_ROOT, 'examples');

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

export function exists(path: string): boolean {
  try { statSync(path); return true; } catch { return false; }
}

/** All files under `dir` (recursive), as ManifestFiles with paths relative to `dir`. */
export function manifestFiles(dir: string): ManifestFile[] {
  const out: ManifestFile[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push({ path: relative(dir, p), content: readFileSync(p) });
    }
  };
  walk(dir);
  return out;
}

/** Live objects from a YAML fixture (several documents allowed). */
export function liveObjects(path: string): KubeObject[] {
  return parseAllDocuments(readText(path)).flatMap((d) => (Array.isArray(d) ? [] : [d.toJS() as KubeObject])).filter(Boolean);
}

/** The live CRDs' schemas, as an adapter passes them to the engine (EngineOptions.crdSchemas). */
export function liveCrdSchemas(live: readonly KubeObject[]): CrdSchemas {
  return crdSchemas(live.filter((o) => o.kind === 'CustomResourceDefinition'));
}

export function fixtureCases(): string[] {
  return readdirSync(TESTDATA, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}
