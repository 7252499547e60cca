// A Job whose manifest has no labels gets its pod template's labels, the Job controller's
// (job-name, controller-uid) included, when it is created (batch/v1 SetDefaults_Job). Those keys
// on the live Job are the server's as long as they still equal the template's, even after someone
// adds a label of their own; that label alone is the change.
import { isObject, obj } from '../json.ts';
import type { Normalizer } from './types.ts';
import { JOB_LABELS } from './workloads.ts';

export const jobLabelsNormalizer: Normalizer = {
  name: 'job-labels-from-template',
  normalize(desired, live) {
    if (desired.kind !== 'Job' || !live) return;
    const own = obj(desired.metadata, 'labels');
    if (own && Object.keys(own).length > 0) return;
    const labels = obj(live.metadata, 'labels');
    const template = obj(obj(obj(live, 'spec'), 'template'), 'metadata');
    const tl = isObject(template?.['labels']) ? template['labels'] : {};
    if (!labels) return;
    for (const [k, v] of Object.entries(labels))
      if (JOB_LABELS.includes(k) || (k in tl && tl[k] === v)) delete labels[k];
    if (Object.keys(labels).length === 0) delete live.metadata['labels'];
  },
};
