// Which document of its file declares each object: what /desired serves as source_document.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultEngineOptions, parseManifests, revertPlan } from './index.ts';

const cm = (name: string, extra = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v${extra}\n`;

describe('source documents', () => {
  const opts = defaultEngineOptions({ defaultNamespace: 'demo' });
  // The plain file takes the fast reader; the non-ASCII one the yaml library: both count alike.
  for (const [how, tail] of [
    ['fast reader', ''],
    ['yaml library', ' # café'],
  ] as const)
    it(`counts non-empty documents (${how})`, () => {
      const text = `---\n# only a comment\n---\n${cm('a', tail)}---\n${cm('b')}---\napiVersion: v1\nkind: List\nitems:\n- ${cm('c').replace(/\n/g, '\n  ').trimEnd()}\n`;
      const { objects, errors } = parseManifests([{ path: 'apps/web/deploy.yaml', content: text }], opts);
      assert.deepEqual(errors, []);
      assert.deepEqual(
        objects.map((o) => [o.id, o.sourceDocument]),
        [
          ['ConfigMap:demo:a', 1],
          ['ConfigMap:demo:b', 2],
          ['ConfigMap:demo:c', 3],
        ],
      );
      const plan = revertPlan(objects[1]!, undefined, opts);
      assert.equal(plan.source_file, 'apps/web/deploy.yaml');
      assert.equal(plan.source_document, 2);
    });
});
