import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Segment } from '../path.ts';
import { parsePathPattern, pathPatternProblem, patternMatches } from './path-pattern.ts';

const f = (field: string): Segment => ({ field });
const k = (key: Record<string, string | number>): Segment => ({
  key,
  label: Object.entries(key)
    .map(([a, b]) => `${a}=${b}`)
    .join(','),
});
const proxy = [f('spec'), f('template'), f('spec'), f('containers'), k({ name: 'istio-proxy' }), f('image')];

describe('field path patterns', () => {
  it('parses fields, quoted keys, item keys, content conditions and [*]', () => {
    assert.deepEqual(parsePathPattern('spec.replicas'), [{ field: 'spec' }, { field: 'replicas' }]);
    assert.deepEqual(parsePathPattern('metadata.labels["app.kubernetes.io/name"]'), [
      { field: 'metadata' },
      { field: 'labels' },
      { field: 'app.kubernetes.io/name' },
    ]);
    assert.deepEqual(parsePathPattern('webhooks[*].clientConfig.caBundle'), [
      { field: 'webhooks' },
      { anyItem: true },
      { field: 'clientConfig' },
      { field: 'caBundle' },
    ]);
    assert.deepEqual(parsePathPattern('spec.ports[port=80,protocol=UDP]').at(-1), {
      where: [
        { key: 'port', value: '80' },
        { key: 'protocol', value: 'UDP' },
      ],
    });
    assert.deepEqual(parsePathPattern('x[mountPath=/data]').at(-1), {
      where: [{ key: 'mountPath', value: '/data' }],
    });
    assert.deepEqual(parsePathPattern('x[name="a,b]"]').at(-1), { where: [{ key: 'name', value: 'a,b]' }] });
  });

  it('says where a bad path goes wrong', () => {
    const cases: [string, RegExp][] = [
      ['', /the path is empty/],
      ['spec..replicas', /unexpected "\." at character 6/],
      ['spec.', /a field name is missing at the end/],
      ['spec.containers[name=web', /unclosed \[ at character 16/],
      ['spec.containers[0].image', /a list index \(\[0\]\) is not supported/],
      [
        'spec.containers[web]',
        /expected key=value, \[\*\] or a quoted name inside \[\.\.\.\] at character 17/,
      ],
      ['metadata.labels["team', /unterminated quoted name/],
      ['spec]', /unexpected "\]" at character 5/],
      ['spec[*]x', /expected \] but found|unexpected "x"/],
    ];
    for (const [text, re] of cases) assert.match(pathPatternProblem(text) ?? 'parsed', re, text);
  });

  it('names a field and everything under it', () => {
    assert.ok(patternMatches(parsePathPattern('spec.template'), proxy));
    assert.ok(patternMatches(parsePathPattern('spec.template.spec.containers[name=istio-proxy]'), proxy));
    assert.ok(patternMatches(parsePathPattern('spec.template.spec.containers[name=istio-*].image'), proxy));
    assert.ok(patternMatches(parsePathPattern('spec.template.spec.containers[*].image'), proxy));
    assert.ok(!patternMatches(parsePathPattern('spec.template.spec.containers[name=web]'), proxy));
    assert.ok(!patternMatches(parsePathPattern('spec.template.spec.containers[*].resources'), proxy));
    // Deeper than the drifted field: it does not name it.
    assert.ok(!patternMatches(parsePathPattern('spec.template.spec.containers[*].image.tag'), proxy));
    // [*] picks list items, not map keys.
    assert.ok(!patternMatches(parsePathPattern('spec[*]'), proxy));
  });

  it('picks items by content through the item lookup', () => {
    const item = { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.0' };
    const at = (n: number) => (n === 5 ? item : undefined);
    assert.ok(
      patternMatches(parsePathPattern('spec.template.spec.containers[image=*/proxyv2:*]'), proxy, at),
    );
    assert.ok(!patternMatches(parsePathPattern('spec.template.spec.containers[image=nginx*]'), proxy, at));
    // Without a lookup a content condition holds for nothing.
    assert.ok(!patternMatches(parsePathPattern('spec.template.spec.containers[image=*]'), proxy));
    const ports = [f('spec'), f('ports'), k({ port: 80, protocol: 'TCP' })];
    assert.ok(patternMatches(parsePathPattern('spec.ports[port=80]'), ports));
    assert.ok(!patternMatches(parsePathPattern('spec.ports[port=80,protocol=UDP]'), ports));
  });
});
