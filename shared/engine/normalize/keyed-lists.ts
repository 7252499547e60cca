// Lists with a merge key (containers, ports, volumes, ...) are sorted by key so that both the hash
// and the diff ignore their order, as the API server's strategic merge does. Ordered keyed lists
// (env, initContainers: see isOrderedList) keep their order.
import type { JsonValue } from '../../types.ts';
import { isObject } from '../json.ts';
import { isOrderedList, keyedItems, type ListScope, type Segment } from '../path.ts';
import type { Normalizer } from './types.ts';

export function sortKeyedLists(node: JsonValue, segs: Segment[], kind: ListScope): void {
  sortAt(node, [...segs], kind);
}

/** sortKeyedLists on one path stack, pushed and popped (nothing keeps it). */
function sortAt(node: JsonValue, segs: Segment[], kind: ListScope): void {
  if (Array.isArray(node)) {
    const items = keyedItems(node, segs, kind);
    if (items) {
      if (!isOrderedList(segs, kind)) items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      items.forEach((it, i) => {
        node[i] = it.value;
        segs.push(it.seg);
        sortAt(it.value, segs, kind);
        segs.pop();
      });
    }
    return;
  }
  if (isObject(node))
    for (const k of Object.keys(node)) {
      segs.push({ field: k });
      sortAt(node[k] as JsonValue, segs, kind);
      segs.pop();
    }
}

export const keyedListsNormalizer: Normalizer = {
  name: 'keyed-list-order',
  normalize(desired, live, ctx) {
    sortKeyedLists(desired, [], ctx.lists);
    if (live) sortKeyedLists(live, [], ctx.lists);
  },
};
