// Kept list tables come back exactly as kept, only for the very document URL (which carries the
// document's hash), and a damaged or foreign file is ignored.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ListTable } from '../../shared/engine/index.ts';
import { ListTableCache, MAX_TABLE_FILES } from './list-table-cache.ts';

const TABLES = new Map<string, ListTable>([
  ['Deployment', { 'spec.template.spec.containers': { type: 'map', keys: ['name'] } }],
  ['Pod', { 'spec.tolerations': { type: 'atomic', keys: [] } }],
]);
const KEY = 'https://127.0.0.1:6443 apps/v1';
const URL = '/openapi/v3/apis/apps/v1?hash=ABC';

describe('list table cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'driftguard-list-tables-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back what was kept, for that URL only', () => {
    assert.equal(new ListTableCache(dir).get(KEY, URL), undefined);
    new ListTableCache(dir).set(KEY, URL, TABLES);
    assert.deepEqual(new ListTableCache(dir).get(KEY, URL), TABLES);
    assert.equal(new ListTableCache(dir).get(KEY, '/openapi/v3/apis/apps/v1?hash=DEF'), undefined);
    assert.equal(new ListTableCache(dir).get('https://other:6443 apps/v1', URL), undefined);
  });

  it('ignores a damaged or foreign file', () => {
    new ListTableCache(dir).set(KEY, URL, TABLES);
    const [file] = readdirSync(dir);
    assert.ok(file);
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    for (const bad of [
      text.replace('"name"', '"nome"'),
      text.slice(0, 40),
      'x',
      text.replace('"format":1', '"format":9'),
    ]) {
      writeFileSync(path, bad);
      assert.equal(new ListTableCache(dir).get(KEY, URL), undefined);
    }
  });

  it(`keeps the newest ${MAX_TABLE_FILES} files`, () => {
    for (let i = 0; i < MAX_TABLE_FILES + 2; i++) new ListTableCache(dir).set(`${KEY}${i}`, URL, TABLES);
    assert.equal(readdirSync(dir).length, MAX_TABLE_FILES);
  });
});
