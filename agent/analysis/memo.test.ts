// The memo key: each input of a verdict changes it (the HPAs too, on the kinds they scale), and nothing else does (a refresh that hands
// over equal objects, another kind's CRD schema). The end-to-end proof (a real API server, a
// changed rule, CRD, commit or live object invalidating exactly its records) is in
// test/agent/memo.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultEngineOptions, type EngineOptions } from '../../shared/engine/index.ts';
import type { KubeObject } from '../../shared/types.ts';
import { codeFingerprint, VerdictMemo } from './memo.ts';
import type { DesiredEntry } from '../git/desired-view.ts';

const widget = (spec: Record<string, unknown>): KubeObject =>
  ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'a' },
    spec,
  }) as KubeObject;
const entryOf = (object: KubeObject, commit = 'c1'): DesiredEntry => ({
  desired: { id: `Widget.example.com:a:w`, object, sourceFile: 'w.yaml' },
  commit,
  source: 'default',
});
const live = (rv: string, uid = 'u1'): KubeObject =>
  ({
    ...widget({ size: 1 }),
    metadata: { name: 'w', namespace: 'a', uid, resourceVersion: rv },
  }) as KubeObject;
const schemas = (widgetSchema: object, gadgetSchema: object): EngineOptions['crdSchemas'] =>
  new Map([
    ['Widget.example.com', new Map([['v1', widgetSchema]])],
    ['Gadget.example.com', new Map([['v1', gadgetSchema]])],
  ]) as EngineOptions['crdSchemas'];

describe('verdict memo key', () => {
  const memo = new VerdictMemo('code1');
  const engine = defaultEngineOptions({ crdSchemas: schemas({ type: 'object' }, { type: 'object' }) });
  const entry = entryOf(widget({ size: 1 }));
  const base = memo.key(entry, live('5'), engine);

  it('is the same for the same inputs, also when they are equal copies', () => {
    assert.equal(memo.key(entry, live('5'), engine), base);
    assert.equal(
      memo.key(entryOf(widget({ size: 1 }), 'c2'), live('5'), engine),
      base,
      'a commit that left it as it was',
    );
    const copy = defaultEngineOptions({ crdSchemas: schemas({ type: 'object' }, { type: 'object' }) });
    assert.equal(new VerdictMemo('code1').key(entryOf(widget({ size: 1 })), live('5'), copy), base);
    assert.equal(
      memo.key(entry, live('5'), { ...engine, crdSchemas: schemas({ type: 'object' }, { type: 'string' }) }),
      base,
      "another kind's schema",
    );
  });

  it('changes with each input of the verdict', () => {
    const changed: [string, string][] = [
      ['live resourceVersion', memo.key(entry, live('6'), engine)],
      ['live uid (recreated)', memo.key(entry, live('5', 'u2'), engine)],
      ['live gone', memo.key(entry, undefined, engine)],
      ['desired object', memo.key(entryOf(widget({ size: 2 })), live('5'), engine)],
      ['source', memo.key({ ...entry, source: 'other' }, live('5'), engine)],
      ['ignore rules', memo.key({ ...entry, ignore: [{ path: 'spec.size' }] }, live('5'), engine)],
      [
        'engine rules',
        memo.key(entry, live('5'), { ...engine, rules: { ...engine.rules, ignore: [{ path: 'x' }] } }),
      ],
      ['secret salt', memo.key(entry, live('5'), { ...engine, secretSalt: 'other' })],
      ['default namespace', memo.key(entry, live('5'), { ...engine, defaultNamespace: 'other' })],
      [
        "its kind's CRD schema",
        memo.key(entry, live('5'), {
          ...engine,
          crdSchemas: schemas({ type: 'string' }, { type: 'object' }),
        }),
      ],
      [
        'its kind scope',
        memo.key(entry, live('5'), { ...engine, scopes: new Map([['Widget.example.com', false]]) }),
      ],
      ['engine code', new VerdictMemo('code2').key(entry, live('5'), engine)],
    ];
    for (const [what, key] of changed) assert.notEqual(key, base, what);
    assert.equal(new Set(changed.map(([, k]) => k)).size, changed.length, 'all distinct');
    assert.equal(memo.key(entry, live('5'), engine), base, 'the first inputs again: the first key');
  });

  it('on a kind an autoscaler scales: whether the HPAs are known and scale this object', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'a' },
      spec: { replicas: 2 },
    } as KubeObject;
    const d: DesiredEntry = {
      desired: { id: 'Deployment:a:web', object: deployment, sourceFile: 'web.yaml' },
      commit: 'c1',
    };
    const liveWeb = { ...deployment, metadata: { ...deployment.metadata, uid: 'u', resourceVersion: '3' } };
    const unknown = memo.key(d, liveWeb, engine);
    const scaled = memo.key(d, liveWeb, { ...engine, autoscaled: new Set(['Deployment:a:web']) });
    const notScaled = memo.key(d, liveWeb, { ...engine, autoscaled: new Set(['Deployment:a:other']) });
    assert.equal(new Set([unknown, scaled, notScaled]).size, 3, 'HPAs unknown, scaling it, not scaling it');
    assert.equal(
      memo.key(d, liveWeb, { ...engine, autoscaled: new Set(['Deployment:a:other', 'Deployment:b:x']) }),
      notScaled,
      'HPAs on other objects only',
    );
    assert.equal(
      memo.key(entry, live('5'), { ...engine, autoscaled: new Set(['Widget.example.com:a:w']) }),
      base,
      'a kind whose replicas no autoscaler writes',
    );
  });

  it('remembers a key in memory only while the record holds another', () => {
    const m = new VerdictMemo('code1');
    assert.equal(m.remembered('id', 'stored'), 'stored');
    m.remember('id', 'newer', 'stored');
    assert.equal(m.remembered('id', 'stored'), 'newer');
    m.remember('id', 'written', 'written');
    assert.equal(m.remembered('id', 'written'), 'written');
    assert.equal(m.remembered('id', undefined), undefined, 'nothing held once the record has it');
    m.invalidate('id');
    assert.equal(m.remembered('id', 'written'), undefined, 'invalidated: the next analysis misses');
    m.remember('id', 'again', 'again');
    assert.equal(m.remembered('id', 'again'), 'again', 'until it is analysed again');
  });

  it('fingerprints the engine code from source, stable within a build', () => {
    assert.match(codeFingerprint(), /^[0-9a-f]{16}$/);
    assert.equal(codeFingerprint(), codeFingerprint());
  });
});
