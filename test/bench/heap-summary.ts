// `node --import tsx test/bench/heap-summary.ts <file.heapsnapshot> [objects]`: where a heap snapshot's
// bytes are, by node type and constructor name (self size: what each kind of node holds itself), and,
// given the number of tracked objects, the bytes per object each kind adds. The scale bench writes the
// snapshots (DRIFTGUARD_BENCH_HEAP=<dir>); this finds the largest consumer without opening DevTools.
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const STRING_TYPES = new Set(['string', 'concatenated string', 'sliced string']);

/** Self size and count per "type name" (strings of any kind together, as "(strings)"). */
export function heapByKind(snap: Snapshot): Map<string, { bytes: number; count: number }> {
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const kinds = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!] ?? '?';
    const name = snap.strings[snap.nodes[i + nameAt]!] ?? '?';
    const key = STRING_TYPES.has(type)
      ? '(strings)'
      : type === 'object' || type === 'closure'
        ? `${type} ${name}`
        : `${type} ${name.slice(0, 40)}`;
    const k = kinds.get(key) ?? { bytes: 0, count: 0 };
    k.bytes += snap.nodes[i + sizeAt]!;
    k.count += 1;
    kinds.set(key, k);
  }
  return kinds;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, objectsArg] = process.argv.slice(2);
  if (!file) {
    console.error('usage: heap-summary.ts <file.heapsnapshot> [tracked objects]');
    process.exit(2);
  }
  const objects = Number(objectsArg ?? 0);
  const kinds = heapByKind(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
  const total = [...kinds.values()].reduce((a, k) => a + k.bytes, 0);
  console.log(`total self size ${(total / 2 ** 20).toFixed(1)} MB`);
  for (const [key, k] of [...kinds].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 40)) {
    const per = objects > 0 ? `  ${(k.bytes / objects).toFixed(0).padStart(5)} B/object` : '';
    console.log(
      `${(k.bytes / 2 ** 20).toFixed(2).padStart(8)} MB ${String(k.count).padStart(9)}×${per}  ${key}`,
    );
  }
}
