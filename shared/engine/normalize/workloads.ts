// Workload controller defaults (apps/v1, batch/v1) and their pod templates.
import type { JsonObject } from '../../types.ts';
import { arr, dropIfEqual, isObject, obj } from '../json.ts';
import { normalizePodSpec } from './pod-spec.ts';
import { eachSide } from './types.ts';

function rolling(
  strategy: JsonObject | undefined,
  surge: string | number,
  unavailable: string | number,
): void {
  const ru = obj(strategy, 'rollingUpdate');
  dropIfEqual(ru, 'maxSurge', surge);
  dropIfEqual(ru, 'maxUnavailable', unavailable);
  dropIfEqual(ru, 'partition', 0);
  dropIfEqual(strategy, 'rollingUpdate', {});
  dropIfEqual(strategy, 'type', 'RollingUpdate');
}

/** Labels the Job controller generates into selector and template when Git sets no selector. */
export const JOB_LABELS = [
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'batch.kubernetes.io/job-name',
];

function job(spec: JsonObject | undefined): void {
  if (!spec) return;
  // backoffLimit is MaxInt32 with a per-index limit; pods are replaced only once Failed with a failure policy.
  const perIndex = spec['backoffLimitPerIndex'] !== undefined;
  const failurePolicy = obj(spec, 'podFailurePolicy');
  for (const [k, v] of [
    ['backoffLimit', perIndex ? 2147483647 : 6],
    ['completionMode', 'NonIndexed'],
    ['completions', 1],
    ['parallelism', 1],
    ['suspend', false],
    ['manualSelector', false],
    ['podReplacementPolicy', failurePolicy ? 'Failed' : 'TerminatingOrFailed'],
  ] as const)
    dropIfEqual(spec, k, v);
  for (const rule of arr(failurePolicy, 'rules') ?? [])
    for (const c of arr(rule, 'onPodConditions') ?? []) if (isObject(c)) dropIfEqual(c, 'status', 'True');
  const sel = obj(obj(spec, 'selector'), 'matchLabels');
  const tl = obj(obj(obj(spec, 'template'), 'metadata'), 'labels');
  for (const l of JOB_LABELS) {
    if (sel) delete sel[l];
    if (tl) delete tl[l];
  }
  normalizePodSpec(obj(obj(spec, 'template'), 'spec'));
}

export const workloadsNormalizer = eachSide('workload-defaults', (o) => {
  const spec = obj(o, 'spec');
  if (!spec) return;
  const template = obj(obj(spec, 'template'), 'spec');
  switch (o.kind) {
    case 'Deployment':
      dropIfEqual(spec, 'replicas', 1);
      dropIfEqual(spec, 'revisionHistoryLimit', 10);
      dropIfEqual(spec, 'progressDeadlineSeconds', 600);
      dropIfEqual(spec, 'minReadySeconds', 0);
      rolling(obj(spec, 'strategy'), '25%', '25%');
      normalizePodSpec(template);
      break;
    case 'StatefulSet':
      dropIfEqual(spec, 'replicas', 1);
      dropIfEqual(spec, 'revisionHistoryLimit', 10);
      dropIfEqual(spec, 'podManagementPolicy', 'OrderedReady');
      dropIfEqual(spec, 'minReadySeconds', 0);
      // kube-apiserver 1.37 defaults rollingUpdate to { partition: 0, maxUnavailable: 1 }.
      rolling(obj(spec, 'updateStrategy'), '', 1);
      for (const k of ['whenDeleted', 'whenScaled'])
        dropIfEqual(obj(spec, 'persistentVolumeClaimRetentionPolicy'), k, 'Retain');
      for (const t of arr(spec, 'volumeClaimTemplates') ?? []) {
        if (!isObject(t)) continue;
        dropIfEqual(t, 'apiVersion', 'v1');
        dropIfEqual(t, 'kind', 'PersistentVolumeClaim');
        dropIfEqual(obj(t, 'spec'), 'volumeMode', 'Filesystem');
      }
      normalizePodSpec(template);
      break;
    case 'DaemonSet':
      dropIfEqual(spec, 'revisionHistoryLimit', 10);
      dropIfEqual(spec, 'minReadySeconds', 0);
      rolling(obj(spec, 'updateStrategy'), 0, 1);
      normalizePodSpec(template);
      break;
    case 'ReplicationController': {
      // An RC without a selector (or labels) gets its template's labels for both.
      const templateLabels = obj(obj(obj(spec, 'template'), 'metadata'), 'labels');
      if (templateLabels) {
        dropIfEqual(spec, 'selector', templateLabels);
        dropIfEqual(obj(o, 'metadata'), 'labels', templateLabels);
      }
      dropIfEqual(spec, 'replicas', 1);
      dropIfEqual(spec, 'minReadySeconds', 0);
      normalizePodSpec(template);
      break;
    }
    case 'ReplicaSet':
      dropIfEqual(spec, 'replicas', 1);
      dropIfEqual(spec, 'minReadySeconds', 0);
      normalizePodSpec(template);
      break;
    case 'Job': {
      job(spec);
      break;
    }
    case 'CronJob':
      for (const [k, v] of [
        ['concurrencyPolicy', 'Allow'],
        ['failedJobsHistoryLimit', 1],
        ['successfulJobsHistoryLimit', 3],
        ['suspend', false],
      ] as const)
        dropIfEqual(spec, k, v);
      job(obj(obj(spec, 'jobTemplate'), 'spec'));
      break;
    case 'Pod':
      normalizePodSpec(spec);
      break;
    case 'PodTemplate':
      normalizePodSpec(obj(obj(o, 'template'), 'spec'));
      break;
  }
});
