// Rules come from a user's YAML file: each wrong key gives one clear message; valid parts still apply.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_IGNORE_MANAGERS, defaultEngineOptions, validateRules } from './options.ts';

describe('engine options', () => {
  it('defaults', () => {
    const o = defaultEngineOptions();
    assert.equal(o.defaultNamespace, 'default');
    assert.ok(o.secretSalt.length > 0);
    assert.deepEqual(o.rules.ignore_managers, DEFAULT_IGNORE_MANAGERS);
    assert.ok(o.rules.ignore_managers?.[0]?.managers.includes('kube-controller-manager'));
    assert.equal(defaultEngineOptions({ defaultNamespace: 'x' }).defaultNamespace, 'x');
  });

  const table: {
    name: string;
    input: unknown;
    errors: RegExp[];
    check?: (r: ReturnType<typeof validateRules>['rules']) => void;
  }[] = [
    {
      name: 'absent rules keep the defaults',
      input: undefined,
      errors: [],
      check: (r) => assert.deepEqual(r.ignore_managers, DEFAULT_IGNORE_MANAGERS),
    },
    {
      name: 'a valid full config',
      input: {
        severity: { Scaling: 'high', LabelChange: 'medium' },
        ignore: [{ kind: 'Deployment', name: 'web', path: 'spec.replicas' }],
        ignore_managers: [{ path: 'metadata.annotations', managers: ['argocd-controller'] }],
      },
      errors: [],
      check: (r) => {
        assert.deepEqual(r.severity, { Scaling: 'high', LabelChange: 'medium' });
        assert.deepEqual(r.ignore, [{ kind: 'Deployment', name: 'web', path: 'spec.replicas' }]);
        assert.deepEqual(r.ignore_managers, [
          { path: 'metadata.annotations', managers: ['argocd-controller'] },
        ]);
      },
    },
    { name: 'not a map', input: [1], errors: [/^rules: expected a map, got a list$/] },
    {
      name: 'unknown top-level key',
      input: { severities: {} },
      errors: [
        /^rules\.severities: unknown key \(expected one of severity, ignore, ignore_managers, ignore_catalog\)$/,
      ],
    },
    {
      name: 'unknown drift type',
      input: { severity: { Scale: 'high' } },
      errors: [/^rules\.severity\.Scale: unknown drift type/],
    },
    {
      name: 'bad severity',
      input: { severity: { Scaling: 'critical', VersionChange: 'low' } },
      errors: [/^rules\.severity\.Scaling: expected one of low, medium, high, got string "critical"$/],
      check: (r) => assert.deepEqual(r.severity, { VersionChange: 'low' }),
    },
    {
      name: 'ignore not a list',
      input: { ignore: { kind: 'X' } },
      errors: [/^rules\.ignore: expected a list, got a map$/],
    },
    {
      name: 'ignore item with unknown key and wrong type',
      input: { ignore: [{ knd: 'X' }, { kind: 3 }, { name: 'ok' }] },
      errors: [
        /^rules\.ignore\[0\]\.knd: unknown key/,
        /^rules\.ignore\[1\]\.kind: expected a non-empty string, got number 3$/,
      ],
      check: (r) => assert.deepEqual(r.ignore, [{ name: 'ok' }]),
    },
    {
      name: 'empty ignore rule',
      input: { ignore: [{}] },
      errors: [/^rules\.ignore\[0\]: empty rule would ignore everything/],
    },
    {
      name: 'ignore_managers problems',
      input: {
        ignore_managers: [{ path: '', managers: [] }, 'x', { path: 'spec', managers: ['a'], extra: 1 }],
      },
      errors: [
        /^rules\.ignore_managers\[0\]\.path: expected a non-empty string/,
        /^rules\.ignore_managers\[0\]\.managers: expected a non-empty list/,
        /^rules\.ignore_managers\[1\]: expected a map/,
        /^rules\.ignore_managers\[2\]\.extra: unknown key/,
      ],
    },
    {
      name: 'an explicit empty ignore_managers list turns the default off',
      input: { ignore_managers: [] },
      errors: [],
      check: (r) => assert.deepEqual(r.ignore_managers, []),
    },
  ];
  for (const t of table) {
    it(`validateRules: ${t.name}`, () => {
      const { rules, errors } = validateRules(t.input);
      assert.equal(errors.length, t.errors.length, errors.join('\n'));
      t.errors.forEach((re, i) => assert.match(errors[i] ?? '', re));
      t.check?.(rules);
    });
  }
});
