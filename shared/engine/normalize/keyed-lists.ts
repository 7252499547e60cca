// Lists with a merge key (containers, ports, volumes, ...) are sorted by key so that both the hash
// and the diff ignore their order, as the API server's strategic merge does. Ordered keyed lists
// (env, initContainers: see isOrderedList) keep their order.
import type { JsonValue } from '../../types.ts';
import { isObject } from '../json.ts';
import { isOrderedList, keyedItems, type Segment } from '../path.ts';
import { eachSide } from './types.ts';

export function sortKeyedLists(node: JsonValue, segs: Segment[], kind: string): void {
  if (Array.isArray(node)) {
    const items = keyedItems(node, segs, kind);
    if (items) {
      if (!isOrderedList(segs)) items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      items.forEach((it, i) => {
        node[i] = it.value;
        sortKeyedLists(it.value, [...segs, it.seg], kind);
      });
    }
    return;
  }
  if (isObject(node))
    for (const [k, v] of Object.entries(node)) sortKeyedLists(v, [...segs, { field: k }], kind);
}

export const keyedListsNormalizer = eachSide('keyed-list-order', (o) => sortKeyedLists(o, [], o.kind));
