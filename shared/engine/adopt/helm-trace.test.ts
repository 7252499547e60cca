import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { candidateKeys, markValues, traceField, withMarkers } from './helm-trace.ts';

describe('helm marker tracing', () => {
  const { values, keys } = markValues({
    replicaCount: 1,
    image: { repository: 'ghcr.io/stefanprodan/podinfo', tag: '6.14.1', pullPolicy: 'IfNotPresent' },
    ui: { message: '' },
    faults: { delay: false },
  });
  const marker = (path: string) => keys.find((k) => k.path.join('.') === path)?.marker ?? '';
  it('gives every non-empty string and number its own marker, and leaves the rest', () => {
    assert.deepEqual(
      keys.map((k) => k.path.join('.')),
      ['replicaCount', 'image.repository', 'image.tag', 'image.pullPolicy'],
    );
    assert.equal(values['ui'] && (values['ui'] as { message: string }).message, '');
    assert.equal((values['faults'] as { delay: boolean }).delay, false);
    assert.equal(typeof values['replicaCount'], 'number');
    assert.ok((values['replicaCount'] as number) < 1e6, 'Go prints 1e6 and above as 1e+06');
  });
  it('splits a field made of two keys by its literal text', () => {
    const rendered = `${marker('image.repository')}:${marker('image.tag')}`;
    assert.deepEqual(traceField(rendered, 'ghcr.io/stefanprodan/podinfo:6.15.0', keys), [
      { path: ['image', 'repository'], value: 'ghcr.io/stefanprodan/podinfo' },
      { path: ['image', 'tag'], value: '6.15.0' },
    ]);
  });
  it('keeps a number a number', () => {
    assert.deepEqual(traceField(Number(marker('replicaCount')), 4, keys), [
      { path: ['replicaCount'], value: 4 },
    ]);
  });
  it('says null when a template writes the field or live does not fit the literal text', () => {
    assert.equal(traceField('fixed-by-template', 'x', keys), null);
    assert.equal(traceField(`docker.io/${marker('image.tag')}`, 'quay.io/x', keys), null);
  });
  it('marks one key alone, and picks the keys whose value shows in a field', () => {
    const tag = keys.find((k) => k.path.join('.') === 'image.tag')!;
    const one = withMarkers({ image: { tag: '6.14.1', repository: 'r' }, replicaCount: 1 }, [tag]);
    assert.deepEqual(one, { image: { tag: tag.marker, repository: 'r' }, replicaCount: 1 });
    assert.deepEqual(
      candidateKeys('ghcr.io/stefanprodan/podinfo:6.14.1', keys).map((k) => k.path.join('.')),
      // replicaCount's 1 shows in the text too: a candidate only, its own render rules it out.
      ['replicaCount', 'image.repository', 'image.tag'],
    );
    assert.deepEqual(candidateKeys(true, keys), []);
  });
});
