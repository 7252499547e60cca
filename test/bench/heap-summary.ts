// `node --max-old-space-size=8000 --import tsx test/bench/heap-summary.ts <file.heapsnapshot> [objects]`:
// where a heap snapshot's bytes are. Two views: by kind of node (self size: what each kind holds
// itself), and by holder (retained size over the dominator tree: what would be freed with it), for
// the holders nothing else owns — the agent's long-lived structures, and shapes of objects shared
// between several of them (grouped by their property names). Given the number of tracked objects,
// each line also says its bytes per object. The scale bench writes the snapshots
// (DRIFTGUARD_BENCH_HEAP=<dir>); this finds the largest consumer without opening DevTools.
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const STRING_TYPES = new Set(['string', 'concatenated string', 'sliced string']);

/** The snapshot's flat arrays, read as nodes with edges. */
class Graph {
  readonly count: number;
  private readonly w: number;
  private readonly ew: number;
  private readonly firstEdge: Uint32Array;
  private readonly f: Record<'type' | 'name' | 'size' | 'edges' | 'etype' | 'ename' | 'eto', number>;

  constructor(private readonly s: Snapshot) {
    const m = s.snapshot.meta;
    this.w = m.node_fields.length;
    this.ew = m.edge_fields.length;
    this.f = {
      type: m.node_fields.indexOf('type'),
      name: m.node_fields.indexOf('name'),
      size: m.node_fields.indexOf('self_size'),
      edges: m.node_fields.indexOf('edge_count'),
      etype: m.edge_fields.indexOf('type'),
      ename: m.edge_fields.indexOf('name_or_index'),
      eto: m.edge_fields.indexOf('to_node'),
    };
    this.count = s.nodes.length / this.w;
    this.firstEdge = new Uint32Array(this.count + 1);
    for (let n = 0; n < this.count; n++)
      this.firstEdge[n + 1] = this.firstEdge[n]! + s.nodes[n * this.w + this.f.edges]!;
  }

  type(n: number): string {
    return this.s.snapshot.meta.node_types[0][this.s.nodes[n * this.w + this.f.type]!] ?? '?';
  }

  name(n: number): string {
    return this.s.strings[this.s.nodes[n * this.w + this.f.name]!] ?? '?';
  }

  size(n: number): number {
    return this.s.nodes[n * this.w + this.f.size]!;
  }

  /** Targets of n's strong edges, with each edge's type and name. */
  *edges(n: number): Generator<{ to: number; type: string; name: string }> {
    const types = this.s.snapshot.meta.edge_types[0];
    for (let e = this.firstEdge[n]!; e < this.firstEdge[n + 1]!; e++) {
      const b = e * this.ew;
      const type = types[this.s.edges[b + this.f.etype]!] ?? '?';
      if (type === 'weak') continue;
      const raw = this.s.edges[b + this.f.ename]!;
      const name = type === 'element' || type === 'hidden' ? `[${raw}]` : (this.s.strings[raw] ?? '?');
      yield { to: this.s.edges[b + this.f.eto]! / this.w, type, name };
    }
  }

  /** "object Foo {a,b,c}": the node's type, constructor and first property names. */
  label(n: number): string {
    const props: string[] = [];
    for (const e of this.edges(n)) if (e.type === 'property' && props.length < 6) props.push(e.name);
    return `${this.type(n)} ${this.name(n).slice(0, 50)} {${props.join(',')}}`;
  }
}

/** Self size and count per "type name" (strings of any kind together, as "(strings)"). */
function byKind(g: Graph): Map<string, { bytes: number; count: number }> {
  const kinds = new Map<string, { bytes: number; count: number }>();
  for (let n = 0; n < g.count; n++) {
    const type = g.type(n);
    const key = STRING_TYPES.has(type) ? '(strings)' : `${type} ${g.name(n).slice(0, 40)}`;
    const k = kinds.get(key) ?? { bytes: 0, count: 0 };
    k.bytes += g.size(n);
    k.count += 1;
    kinds.set(key, k);
  }
  return kinds;
}

/** Retained sizes and immediate dominators (Cooper, Harvey and Kennedy's iteration) from node 0. */
function dominators(g: Graph): { idom: Int32Array; retained: Float64Array } {
  const order = new Int32Array(g.count).fill(-1);
  const post: number[] = [];
  const preds: number[][] = Array.from({ length: g.count }, () => []);
  const stack: [number, Iterator<{ to: number }>][] = [[0, g.edges(0)]];
  order[0] = -2;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const next = top[1].next();
    if (next.done) {
      stack.pop();
      order[top[0]] = post.length;
      post.push(top[0]);
      continue;
    }
    preds[next.value.to]!.push(top[0]);
    if (order[next.value.to] === -1) {
      order[next.value.to] = -2;
      stack.push([next.value.to, g.edges(next.value.to)]);
    }
  }
  const idom = new Int32Array(g.count).fill(-1);
  idom[0] = 0;
  const meet = (a: number, b: number): number => {
    while (a !== b) {
      while (order[a]! < order[b]!) a = idom[a]!;
      while (order[b]! < order[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let i = post.length - 2; i >= 0; i--) {
      const n = post[i]!;
      let d = -1;
      for (const p of preds[n]!) if (idom[p] !== -1) d = d === -1 ? p : meet(p, d);
      if (d !== idom[n]) {
        idom[n] = d;
        changed = true;
      }
    }
  }
  const retained = new Float64Array(g.count);
  for (const n of post) {
    retained[n] = retained[n]! + g.size(n);
    const d = idom[n]!;
    if (n !== 0 && d >= 0) retained[d] = retained[d]! + retained[n]!;
  }
  return { idom, retained };
}

/**
 * The holders nothing but a root owns: by label for named objects, by shape for plain objects
 * and arrays (thousands of shared desired objects are one line).
 */
function byHolder(g: Graph): Map<string, { bytes: number; count: number }> {
  const { idom, retained } = dominators(g);
  const holders = new Map<string, { bytes: number; count: number }>();
  for (let n = 1; n < g.count; n++) {
    const d = idom[n]!;
    if (d < 0 || g.type(d) !== 'synthetic' || g.type(n) === 'synthetic') continue;
    const key = STRING_TYPES.has(g.type(n)) ? `${g.type(n)}s` : g.label(n);
    const k = holders.get(key) ?? { bytes: 0, count: 0 };
    k.bytes += retained[n]!;
    k.count += 1;
    holders.set(key, k);
  }
  return holders;
}

function print(title: string, rows: Map<string, { bytes: number; count: number }>, objects: number): void {
  const total = [...rows.values()].reduce((a, k) => a + k.bytes, 0);
  console.log(`\n${title} (${(total / 2 ** 20).toFixed(1)} MB)`);
  for (const [key, k] of [...rows].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 30)) {
    const per = objects > 0 ? `  ${(k.bytes / objects).toFixed(0).padStart(5)} B/object` : '';
    console.log(
      `${(k.bytes / 2 ** 20).toFixed(2).padStart(8)} MB ${String(k.count).padStart(9)}×${per}  ${key}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, objectsArg] = process.argv.slice(2);
  if (!file) {
    console.error('usage: heap-summary.ts <file.heapsnapshot> [tracked objects]');
    process.exit(2);
  }
  const objects = Number(objectsArg ?? 0);
  const g = new Graph(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
  print('by kind of node, self size', byKind(g), objects);
  print('by holder, retained size', byHolder(g), objects);
}
