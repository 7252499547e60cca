// The classification table, path by path (values matter only for whole items with a secret/configMap ref).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DriftType, JsonValue } from '../types.ts';
import { classify, severityOf, worst } from './classify.ts';

const C = 'spec.template.spec.containers[name=web]';
const rows: [string, string, DriftType, JsonValue?][] = [
  ['Deployment', 'spec.replicas', 'Scaling'],
  ['HorizontalPodAutoscaler', 'spec.maxReplicas', 'Scaling'],
  ['Deployment', `${C}.image`, 'VersionChange'],
  ['Deployment', 'spec.template.spec.initContainers[name=init].image', 'VersionChange'],
  ['Deployment', `${C}.resources.limits.memory`, 'ResourceChange'],
  ['Deployment', `${C}.resources`, 'ResourceChange'],
  ['Deployment', `${C}.env[name=A].value`, 'ConfigurationChange'],
  ['Deployment', `${C}.args`, 'ConfigurationChange'],
  ['Deployment', `${C}.command`, 'ConfigurationChange'],
  ['Deployment', 'spec.strategy.type', 'ConfigurationChange'],
  ['Deployment', 'metadata.labels.team', 'LabelChange'],
  ['Deployment', 'spec.template.metadata.labels.version', 'LabelChange'],
  ['Deployment', 'metadata.annotations["example.com/x"]', 'AnnotationChange'],
  ['Deployment', `${C}.ports[containerPort=80]`, 'PortChange'],
  ['Service', 'spec.ports[port=80].targetPort', 'PortChange'],
  ['Deployment', 'spec.template.spec.volumes[name=tmp]', 'VolumeChange', { name: 'tmp', emptyDir: {} }],
  ['Deployment', `${C}.volumeMounts[mountPath=/data]`, 'VolumeChange'],
  ['StatefulSet', 'spec.volumeClaimTemplates[name=data]', 'VolumeChange'],
  ['Secret', 'data.password', 'SecretChange'],
  ['Deployment', `${C}.env[name=P].valueFrom.secretKeyRef.key`, 'SecretChange'],
  [
    'Deployment',
    `${C}.env[name=P]`,
    'SecretChange',
    { name: 'P', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
  ],
  ['Deployment', `${C}.envFrom[secretRef=s]`, 'SecretChange', { secretRef: { name: 's' } }],
  ['Deployment', 'spec.template.spec.volumes[name=tls].secret.secretName', 'SecretChange'],
  ['Deployment', 'spec.template.spec.volumes[name=secret-looking-name].emptyDir', 'VolumeChange'],
  ['ConfigMap', 'data.LOG_LEVEL', 'ConfigMapChange'],
  ['ConfigMap', 'binaryData.blob', 'ConfigMapChange'],
  ['Deployment', `${C}.env[name=L].valueFrom.configMapKeyRef.key`, 'ConfigMapChange'],
  ['Deployment', `${C}.envFrom[configMapRef=c]`, 'ConfigMapChange', { configMapRef: { name: 'c' } }],
  ['Deployment', 'spec.template.spec.volumes[name=cfg].configMap.name', 'ConfigMapChange'],
];

describe('classify', () => {
  for (const [kind, path, type, value] of rows) {
    it(`${kind} ${path} → ${type}`, () =>
      assert.equal(classify({ kind, path, desired: value, live: undefined }), type));
  }
  it('default severities and overrides', () => {
    assert.deepEqual(
      (
        [
          'Scaling',
          'VersionChange',
          'ResourceChange',
          'ConfigurationChange',
          'LabelChange',
          'AnnotationChange',
          'PortChange',
          'VolumeChange',
          'SecretChange',
          'ConfigMapChange',
          'Missing',
        ] as const
      ).map((t) => severityOf(t, undefined)),
      ['medium', 'high', 'medium', 'medium', 'low', 'low', 'medium', 'medium', 'high', 'medium', 'high'],
    );
    assert.equal(severityOf('LabelChange', { LabelChange: 'high' }), 'high');
  });
  it('worst: highest severity, then type priority', () => {
    assert.deepEqual(
      worst([
        { type: 'LabelChange', severity: 'low' },
        { type: 'ConfigurationChange', severity: 'medium' },
        { type: 'Scaling', severity: 'medium' },
      ]),
      { type: 'Scaling', severity: 'medium' },
    );
    assert.deepEqual(
      worst([
        { type: 'LabelChange', severity: 'high' },
        { type: 'SecretChange', severity: 'high' },
      ]),
      { type: 'SecretChange', severity: 'high' },
    );
    assert.equal(worst([]), null);
  });
});
