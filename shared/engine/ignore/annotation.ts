// Per-object ignore rules written in Git, on the manifest itself:
//   metadata.annotations["driftguard.io/ignore-fields"]: "spec.replicas, metadata.labels.team"
// Each comma-separated entry is a field path pattern (path-pattern.ts) for this one object. The
// annotation is never compared (normalize/metadata.ts drops it on both sides): adding it in Git, or
// its absence live, is not drift.
import type { KubeObject } from '../../types.ts';
import { isObject } from '../json.ts';
import { fieldPathPattern } from './rule.ts';

export const IGNORE_FIELDS_ANNOTATION = 'driftguard.io/ignore-fields';

/** Splits on commas outside `[...]` and quotes (`containers[name=a,port=80]` stays whole). */
function entries(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

export interface AnnotatedFields {
  /** The paths that parse. */
  paths: string[];
  /** One message per path that does not (it is not used). */
  problems: string[];
}

/** The annotation's paths on a desired object; null when it has none. */
export function annotatedFields(object: KubeObject): AnnotatedFields | null {
  const ann = object.metadata['annotations'];
  const text = isObject(ann) ? ann[IGNORE_FIELDS_ANNOTATION] : undefined;
  if (text === undefined || text === null) return null;
  if (typeof text !== 'string')
    return { paths: [], problems: [`${IGNORE_FIELDS_ANNOTATION}: must be a string`] };
  const out: AnnotatedFields = { paths: [], problems: [] };
  for (const path of entries(text)) {
    const r = fieldPathPattern.safeParse(path);
    if (r.success) out.paths.push(path);
    else
      out.problems.push(
        `${IGNORE_FIELDS_ANNOTATION}: ${r.error.issues[0]?.message ?? 'not a path'}; not used`,
      );
  }
  return out;
}

/** The annotation's text for these paths, as `kubectl driftguard ignore` prints it. */
export function annotationText(paths: readonly string[]): string {
  return paths.join(', ');
}
