// The import cycle check on small graphs, and on this repository (no cycle today).
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cycleReport, cycles, folderGraph, type Graph } from './import-cycles.ts';

const graph = (edges: Record<string, string[]>): Graph =>
  new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));

describe('import cycle check', () => {
  it('finds a file cycle and shows it as a path', () => {
    const found = cycles(graph({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts'], 'd.ts': ['a.ts'] }));
    assert.deepEqual(found, [['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('finds no cycle in a tree', () => {
    assert.deepEqual(cycles(graph({ 'a.ts': ['b.ts', 'c.ts'], 'b.ts': ['c.ts'], 'c.ts': [] })), []);
  });

  it('sees a cycle between sibling folders that no two files make', () => {
    const files = graph({
      'agent/analysis/x.ts': ['agent/records/y.ts'],
      'agent/records/z.ts': ['agent/analysis/w.ts'],
      'agent/records/y.ts': [],
      'agent/analysis/w.ts': [],
    });
    assert.deepEqual(cycles(files), []);
    assert.deepEqual(cycles(folderGraph(files)), [['agent/analysis', 'agent/records', 'agent/analysis']]);
  });

  it('treats a folder and its subfolders as composition, and deeper folders by their sibling', () => {
    const files = graph({
      'agent/agent.ts': ['agent/analysis/s.ts'],
      'agent/analysis/s.ts': ['agent/log.ts'],
      'agent/log.ts': [],
      'shared/engine/normalize/n.ts': ['shared/node/k.ts'],
      'shared/node/k.ts': ['shared/engine/e.ts'],
      'shared/engine/e.ts': [],
    });
    const folders = folderGraph(files);
    assert.deepEqual([...(folders.get('shared/engine') ?? [])], ['shared/node']);
    assert.deepEqual([...(folders.get('shared/node') ?? [])], ['shared/engine']);
    assert.equal(folders.has('agent'), false);
    assert.equal(cycles(folders).length, 1);
  });

  it('passes on this repository', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
    assert.deepEqual(cycleReport(root), []);
  });
});
