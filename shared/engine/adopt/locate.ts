// Which document of a file (and which item of a List document) declares an object, by the same
// identity the engine gives it (kind, namespace defaulted as kubectl does, name).
import type { JsonValue, KubeObject } from '../../types.ts';
import { objectId, type KindScopes } from '../identity.ts';
import { isObject } from '../json.ts';
import { readByLibrary } from '../parse.ts';
import type { DocumentAddress } from './yaml-edit.ts';

function isKube(v: JsonValue): v is KubeObject {
  return (
    isObject(v) &&
    typeof v['kind'] === 'string' &&
    typeof v['apiVersion'] === 'string' &&
    isObject(v['metadata']) &&
    typeof v['metadata']['name'] === 'string'
  );
}

/** Every place in `text` that declares the object with resource id `id` (normally one). */
export function locateObject(
  text: string,
  id: string,
  defaultNamespace: string,
  scopes?: KindScopes,
): DocumentAddress[] {
  const found: DocumentAddress[] = [];
  readByLibrary(text).docs.forEach((doc, document) => {
    if (doc.errors.length > 0) return;
    const v = doc.toJS() as JsonValue;
    const matches = (o: JsonValue): boolean => isKube(o) && objectId(o, defaultNamespace, scopes) === id;
    if (isObject(v) && typeof v['kind'] === 'string' && /List$/.test(v['kind']) && Array.isArray(v['items']))
      v['items'].forEach((item, i) => {
        if (matches(item)) found.push({ document, item: i });
      });
    else if (matches(v)) found.push({ document, item: null });
  });
  return found;
}
