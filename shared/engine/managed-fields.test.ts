// FieldsV1 reading and attribution: exact owners, keyed items, atomic leaves, removed fields, newest wins.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../types.ts';
import { attribute } from './attribution.ts';
import { isOwned, parseManagedFields, reach } from './managed-fields.ts';
import type { Segment } from './path.ts';

const f = (...names: string[]): Segment[] => names.map((field) => ({ field }));
const live: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    managedFields: [
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        time: '2026-11-20T09:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:template': {
              'f:spec': {
                'f:containers': {
                  'k:{"name":"web"}': {
                    '.': {},
                    'f:image': {},
                    'f:args': {},
                    'f:ports': {
                      'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                    },
                  },
                },
              },
            },
          },
        },
      },
      {
        manager: 'kubectl-scale',
        operation: 'Update',
        subresource: 'scale',
        time: '2026-11-21T09:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      },
      {
        manager: 'kubectl-label',
        operation: 'Update',
        time: '2026-11-22T09:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } },
      },
      { manager: 'broken' },
      'not an entry',
    ],
  },
};
const entries = parseManagedFields(live);
const web: Segment = { key: { name: 'web' }, label: 'name=web' };
const containers = [...f('spec', 'template', 'spec', 'containers'), web];

describe('managedFields', () => {
  it('parses entries, skipping malformed ones', () => {
    assert.deepEqual(
      entries.map((e) => [e.manager, e.subresource]),
      [
        ['kubectl-client-side-apply', null],
        ['kubectl-scale', 'scale'],
        ['kubectl-label', null],
        ['broken', null],
      ],
    );
    assert.deepEqual(parseManagedFields(undefined), []);
  });
  it('reach: exact, keyed, atomic leaf, partial', () => {
    const cm = entries[0]?.fields ?? {};
    assert.deepEqual(reach(cm, f('spec', 'replicas')), { owns: true, exact: true, depth: 2 });
    assert.deepEqual(reach(cm, [...containers, { field: 'image' }]), { owns: true, exact: true, depth: 6 });
    assert.deepEqual(
      reach(cm, [...containers, { field: 'args' }, { field: 'deeper' }]),
      { owns: true, exact: false, depth: 6 },
      'atomic leaf owns what is below',
    );
    assert.deepEqual(reach(cm, [...containers, { field: 'env' }]), { owns: false, exact: false, depth: 5 });
    assert.equal(
      reach(cm, [
        ...containers,
        { field: 'ports' },
        { key: { containerPort: 80, protocol: 'TCP' }, label: 'containerPort=80' },
      ]).owns,
      true,
    );
    assert.equal(
      reach(cm, [
        ...containers,
        { field: 'ports' },
        { key: { containerPort: 81, protocol: 'TCP' }, label: 'containerPort=81' },
      ]).owns,
      false,
    );
    assert.equal(isOwned(entries, f('metadata', 'labels', 'team')), true);
    assert.equal(isOwned(entries, f('metadata', 'labels', 'other')), false);
  });
  it('attribution: newest owner of the exact path', () => {
    assert.deepEqual(attribute(entries, f('spec', 'replicas')), {
      manager: 'kubectl-scale',
      changed_at: '2026-11-21T09:00:00Z',
      subresource: 'scale',
    });
    assert.equal(attribute(entries, f('metadata', 'labels', 'team')).manager, 'kubectl-label');
  });
  it('attribution: within the same second, the manager naming the item beats a leaf ancestor', () => {
    // As kube-apiserver records `kubectl patch` of a Service port right after a client-side apply:
    // the apply's entry keeps `f:ports: {}`, the patch's entry names the new item; both times equal.
    const t = '2026-11-27T11:35:40Z';
    const same = parseManagedFields({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 's',
        managedFields: [
          {
            manager: 'kubectl-client-side-apply',
            operation: 'Update',
            time: t,
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:spec': { 'f:ports': {}, 'f:selector': {} } },
          },
          {
            manager: 'kubectl-patch',
            operation: 'Update',
            time: t,
            fieldsType: 'FieldsV1',
            fieldsV1: {
              'f:spec': { 'f:ports': { 'k:{"port":81,"protocol":"TCP"}': { '.': {}, 'f:port': {} } } },
            },
          },
        ],
      },
    });
    const item = [
      { field: 'spec' },
      { field: 'ports' },
      { key: { port: 81, protocol: 'TCP' }, label: 'port=81' },
    ];
    assert.equal(attribute(same, item).manager, 'kubectl-patch');
    assert.equal(
      attribute([...same].reverse(), item).manager,
      'kubectl-patch',
      'whatever the order of the entries',
    );
  });
  it('attribution: a removed field goes to the newest owner of its nearest ancestor', () => {
    assert.equal(attribute(entries, [...containers, { field: 'env' }]).manager, 'kubectl-client-side-apply');
    // Both own something under metadata.labels; the label writer is newer.
    assert.equal(attribute(entries, f('metadata', 'labels', 'gone')).manager, 'kubectl-label');
  });
  it('attribution: nobody when there are no managedFields', () => {
    assert.deepEqual(attribute([], f('spec', 'replicas')), {
      manager: null,
      changed_at: null,
      subresource: null,
    });
  });
});
