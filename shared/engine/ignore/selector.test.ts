import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSelector, selectorMatches, selectorProblem } from './selector.ts';

const sel = (text: string, labels: Record<string, string>) => selectorMatches(parseSelector(text), labels);

describe('label selectors', () => {
  it('holds when every requirement does, as kubectl -l reads them', () => {
    const labels = { app: 'web', tier: 'front', 'app.kubernetes.io/part-of': 'shop' };
    assert.ok(sel('app=web', labels));
    assert.ok(sel('app==web,tier in (front, back)', labels));
    assert.ok(sel('app.kubernetes.io/part-of=shop, !legacy, tier', labels));
    assert.ok(sel('env!=prod', labels), 'an absent label is not prod');
    assert.ok(sel('env notin (prod)', labels));
    assert.ok(!sel('app=api', labels));
    assert.ok(!sel('app=web,legacy', labels));
    assert.ok(!sel('!app', labels));
    assert.ok(!sel('tier notin (front)', labels));
  });
  it('names what it cannot read', () => {
    assert.match(selectorProblem('app=web,') ?? '', /an empty requirement in selector "app=web,"/);
    assert.match(selectorProblem('app in web') ?? '', /cannot read "app in web"/);
    assert.match(selectorProblem('app=we b') ?? '', /"we b" is not a label value/);
    assert.match(selectorProblem('-app=web') ?? '', /"-app" is not a label key/);
    assert.equal(selectorProblem('app in (a,b),tier'), null);
  });
});
