// Adopt into a plain manifest: the document that declares the object is edited in place (see
// shared/engine/adopt/yaml-edit.ts), nothing else in the file changes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { locateObject } from '../../shared/engine/adopt/locate.ts';
import {
  editYaml,
  YamlEditError,
  type DocumentAddress,
  type FieldEdit,
} from '../../shared/engine/adopt/yaml-edit.ts';
import { CliError } from '../errors.ts';

export interface Written {
  /** Repo-relative path. */
  file: string;
  /** 1-based document number in the file (as `analyze` errors count them); null for a whole new file. */
  document: number | null;
  before: string;
  after: string;
}

/** The new text of `file` with `edits` written into the object `id`; the file itself is not written. */
export function plainEdit(
  repoDir: string,
  file: string,
  id: string,
  kind: string,
  defaultNamespace: string,
  edits: readonly FieldEdit[],
): Written {
  const before = readRepoFile(repoDir, file);
  const places = locateObject(before, id, defaultNamespace);
  if (places.length === 0)
    throw new CliError(
      `${file} does not declare ${id} (is --repo the checkout the agent reads? For a Kustomize or Helm source, run adopt with --local)`,
    );
  if (places.length > 1)
    throw new CliError(`${file} declares ${id} ${places.length} times: refusing to guess`);
  return editAt(file, before, places[0] as DocumentAddress, kind, edits);
}

/** `text` (the content of `file`) with `edits` written into the object at `at`. */
export function editAt(
  file: string,
  text: string,
  at: DocumentAddress,
  kind: string,
  edits: readonly FieldEdit[],
): Written {
  try {
    return { file, document: at.document + 1, before: text, after: editYaml(text, at, kind, edits) };
  } catch (err) {
    if (err instanceof YamlEditError) throw new CliError(`cannot write into ${file}: ${err.message}`);
    throw err;
  }
}

export function readRepoFile(repoDir: string, file: string): string {
  try {
    return readFileSync(join(repoDir, file), 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file} in ${repoDir}: ${(err as Error).message}`);
  }
}

export function writeAll(repoDir: string, written: readonly Written[]): void {
  for (const w of written) {
    if (w.after === w.before) continue;
    mkdirSync(dirname(join(repoDir, w.file)), { recursive: true });
    writeFileSync(join(repoDir, w.file), w.after);
  }
}
