// `npm run lint` runs this after eslint: no import cycle between product files, nor between sibling
// folders (agent/analysis → agent/records → agent/analysis is a cycle even when no two files
// import each other; see folderGraph). Type-only imports count: a cycle of types is still a knot to read.
// Test files and the test kit are left out; they may import anything they prove.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The folders whose files are product code. */
export const PRODUCT_ROOTS = ['agent', 'shared', 'plugin', 'bin'];

export type Graph = Map<string, Set<string>>;

function isProduct(file: string): boolean {
  return /\.(ts|tsx)$/.test(file) && !/\.(test|testkit)\.tsx?$/.test(file) && !file.endsWith('.d.ts');
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (isProduct(path)) out.push(path);
  }
}

/** Relative imports (static, type-only, re-exports and dynamic) of every product file under `root`. */
export function fileGraph(root: string, roots: readonly string[] = PRODUCT_ROOTS): Graph {
  const files: string[] = [];
  for (const r of roots) {
    try {
      walk(join(root, r), files);
    } catch {
      // A folder this checkout does not have.
    }
  }
  const graph: Graph = new Map();
  for (const file of files) {
    const from = relative(root, file);
    const deps = new Set<string>();
    for (const ref of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const to = relative(root, resolve(dirname(file), ref.fileName));
      if (isProduct(to)) deps.add(to);
    }
    graph.set(from, deps);
  }
  return graph;
}

/**
 * The folders as modules: an import from a/b/… into a/c/… is an edge a/b → a/c (the two sibling
 * folders under their nearest common folder). Imports between a folder's own files and its
 * subfolders are composition (agent/agent.ts wires agent/analysis/, which logs with agent/log.ts)
 * and not edges; a cycle between sibling folders (agent/analysis ⇄ agent/records) is one.
 */
export function folderGraph(files: Graph): Graph {
  const graph: Graph = new Map();
  for (const [from, deps] of files) {
    for (const to of deps) {
      const a = dirname(from).split('/');
      const b = dirname(to).split('/');
      let common = 0;
      while (common < a.length && common < b.length && a[common] === b[common]) common++;
      if (common === a.length || common === b.length) continue;
      const source = a.slice(0, common + 1).join('/');
      const target = b.slice(0, common + 1).join('/');
      const set = graph.get(source) ?? new Set<string>();
      set.add(target);
      graph.set(source, set);
    }
  }
  return graph;
}

/** Every strongly connected set of more than one node (Tarjan), each as a cycle path to show. */
export function cycles(graph: Graph): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
    }
    if (low.get(v) !== idx.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) out.push(pathThrough(graph, new Set(component)));
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** One cycle inside a strongly connected set, from its first node back to it (to print). */
function pathThrough(graph: Graph, component: Set<string>): string[] {
  const start = [...component].sort()[0] ?? '';
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift() ?? '';
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!component.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0] ?? '') ?? start);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** The report for `root`: one line per cycle; empty when there is none. */
export function cycleReport(root: string): string[] {
  const files = fileGraph(root);
  return [
    ...cycles(files).map((c) => `file import cycle: ${c.join(' → ')}`),
    ...cycles(folderGraph(files)).map((c) => `folder import cycle: ${c.join(' → ')}`),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');
  const problems = cycleReport(root);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`${problems.length} import cycle(s): break each (see ARCHITECTURE.md for the layering)`);
    process.exit(1);
  }
  console.log(`no import cycles among ${fileGraph(root).size} product files and their folders`);
}
