// Server-owned metadata and status: written by the API server or controllers, never by Git.
import type { JsonObject } from '../../types.ts';
import { IGNORE_FIELDS_ANNOTATION } from '../ignore/annotation.ts';
import { isObject, obj } from '../json.ts';
import type { Normalizer } from './types.ts';

const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionGracePeriodSeconds',
  'deletionTimestamp',
  'ownerReferences',
];

/** Annotations the tooling or controllers write; last-applied also embeds Secret values in plain text. */
const SERVER_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deprecated.daemonset.template.generation',
  'autoscaling.alpha.kubernetes.io/conditions',
  'autoscaling.alpha.kubernetes.io/current-metrics',
  'endpoints.kubernetes.io/last-change-trigger-time',
  // DriftGuard's own per-object ignore rules (ignore/annotation.ts): Git's instructions to us, not state.
  IGNORE_FIELDS_ANNOTATION,
];

/**
 * Pod-template annotations that record an operator's action, not a setting: `kubectl rollout
 * restart` writes `restartedAt` (owned by its own manager, so applying Git keeps it). Never drift.
 */
const TEMPLATE_ANNOTATIONS = ['kubectl.kubernetes.io/restartedAt'];

/** Annotations controllers add to live objects only; dropped from live unless Git sets them. */
const CONTROLLER_ANNOTATIONS = [
  'pv.kubernetes.io/bind-completed',
  'pv.kubernetes.io/bound-by-controller',
  'volume.beta.kubernetes.io/storage-provisioner',
  'volume.kubernetes.io/storage-provisioner',
  'volume.kubernetes.io/selected-node',
];

/** Finalizers that admission plugins and controllers add on their own (PVC protection, LB cleanup, ...). */
const SYSTEM_FINALIZERS = new Set([
  'kubernetes.io/pvc-protection',
  'kubernetes.io/pv-protection',
  'service.kubernetes.io/load-balancer-cleanup',
  'batch.kubernetes.io/job-tracking',
  'foregroundDeletion',
  'orphan',
]);

function strip(meta: JsonObject | undefined, template = false): void {
  if (!meta) return;
  for (const k of SERVER_METADATA) delete meta[k];
  const ann = obj(meta, 'annotations');
  if (ann) for (const k of SERVER_ANNOTATIONS) delete ann[k];
  if (ann && template) for (const k of TEMPLATE_ANNOTATIONS) delete ann[k];
}

export const metadataNormalizer: Normalizer = {
  name: 'server-metadata',
  normalize(desired, live) {
    for (const o of live ? [desired, live] : [desired]) {
      strip(o.metadata);
      delete o['status'];
      // Pod templates and claim templates carry `creationTimestamp: null` after a round trip.
      const spec = obj(o, 'spec');
      strip(obj(obj(spec, 'template'), 'metadata'), true);
      strip(obj(obj(obj(obj(spec, 'jobTemplate'), 'spec'), 'template'), 'metadata'), true);
      const vcts = spec?.['volumeClaimTemplates'];
      if (Array.isArray(vcts))
        for (const t of vcts)
          if (isObject(t)) {
            strip(obj(t, 'metadata'));
            delete t['status'];
          }
    }
    if (live) {
      const la = obj(live.metadata, 'annotations');
      const da = obj(desired.metadata, 'annotations');
      if (la) for (const k of CONTROLLER_ANNOTATIONS) if (!da || !(k in da)) delete la[k];
      const lf = live.metadata['finalizers'];
      const df = desired.metadata['finalizers'];
      if (Array.isArray(lf)) {
        const wanted = new Set(Array.isArray(df) ? df : []);
        live.metadata['finalizers'] = lf.filter(
          (f) => typeof f !== 'string' || !SYSTEM_FINALIZERS.has(f) || wanted.has(f),
        );
      }
    }
  },
};
