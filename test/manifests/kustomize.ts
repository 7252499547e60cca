// The shipped manifests as a user gets them: `kubectl kustomize` (the kustomize built into the
// pinned kubectl, the same one `kubectl apply -k` uses) of the base or an overlay, parsed.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { binaries } from '../cluster/binaries.ts';

export const MANIFESTS = join(import.meta.dirname, '..', '..', 'manifests');
export const OVERLAYS = ['with-mongodb', 'monitoring', 'read-only', 'helm-releases'] as const;

export interface ManifestDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/** `kubectl kustomize <dir>` as YAML text. */
export async function buildYaml(dir: string): Promise<string> {
  const { stdout } = await promisify(execFile)(binaries().kubectl, ['kustomize', dir], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

export async function build(dir: string): Promise<ManifestDoc[]> {
  return parseAllDocuments(await buildYaml(dir)).map((d) => d.toJS() as ManifestDoc);
}

export function find(docs: ManifestDoc[], kind: string, name?: string): ManifestDoc {
  const doc = docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
  if (!doc) throw new Error(`no ${kind}${name ? ` ${name}` : ''} in the built manifests`);
  return doc;
}
