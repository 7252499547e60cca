// Several sources merged into one desired state: every object names its source, an object two
// sources declare is reported naming both (the first source keeps it), and the unstable fields of
// a source travel with its objects.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeRepo } from '../../test/kit/repos.ts';
import { parseConfig } from '../config/load.ts';
import { createLogger } from '../log.ts';
import { GitSource } from './git-source.ts';
import { sourceSpecs } from './source-spec.ts';
import { Sources } from './sources.ts';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: app }\n`;

describe('sources', () => {
  const repo = makeRepo({ 'a/one.yaml': cm('one'), 'b/two.yaml': cm('two'), 'b/one-again.yaml': cm('one') });
  after(() => repo.remove());

  it('names the source of every object and reports an object declared by two sources, naming both', async () => {
    const config = parseConfig(
      `sources:\n  - { name: first, url: "${repo.dir}", path: a }\n  - { name: second, url: "${repo.dir}", path: b }\n`,
      {},
    );
    const log = createLogger({ level: 'silent', format: 'json' }, { write: () => undefined });
    const specs = sourceSpecs(config, 'default');
    assert.deepEqual(
      specs.map((s) => [s.name, s.type, s.git.path]),
      [
        ['first', 'auto', 'a'],
        ['second', 'auto', 'b'],
      ],
    );
    const sources = new Sources(
      specs.map((s) => new GitSource(s, mkdtempSync(join(tmpdir(), `dg-${s.name}-`)), log)),
    );
    const change = await sources.sync();
    assert.ok(change?.initial);
    assert.equal(sources.get('ConfigMap:app:one')?.source, 'first');
    assert.equal(sources.get('ConfigMap:app:two')?.source, 'second');
    assert.deepEqual(
      sources.crossSourceDuplicates().map((d) => d.message),
      [
        'duplicate object ConfigMap:app:one: declared by source first (a/one.yaml) and source second (b/one-again.yaml)',
      ],
    );
    assert.deepEqual(change?.newDuplicates.length, 1);
    // Nothing changed: no change, and the duplicate is not reported again.
    assert.equal(await sources.sync(), null);
  });

  it('keeps the old git: section as the source named default, beside any others', () => {
    const only = sourceSpecs(parseConfig(`git: { url: "${repo.dir}", path: a }\n`, {}), 'ns');
    assert.deepEqual(
      only.map((s) => [s.name, s.git.url, s.git.path, s.namespace]),
      [['default', repo.dir, 'a', 'ns']],
    );
    const both = sourceSpecs(
      parseConfig(
        `git: { url: "${repo.dir}" }\nsources: [{ name: x, url: "${repo.dir}", namespace: y }]\n`,
        {},
      ),
      'ns',
    );
    assert.deepEqual(
      both.map((s) => [s.name, s.namespace]),
      [
        ['default', 'ns'],
        ['x', 'y'],
      ],
    );
  });
});
