// imagePullPolicy is defaulted from the image tag once, when the container is written: `nginx`
// gets Always. A later `kubectl set image nginx:1.27` changes the image but not the policy, so the
// live Always is no longer the default for the live image, yet nobody set it. When Git leaves the
// policy out, a live policy equal to the default of Git's image is the server's, not a change.
import type { JsonObject, KubeObject } from '../../types.ts';
import { arr, isObject, obj } from '../json.ts';
import { defaultPullPolicy } from './pod-spec.ts';
import type { Normalizer } from './types.ts';

/** The pod specs of an object, by kind (the same places the workload defaults apply). */
export function podSpecsOf(o: KubeObject): JsonObject[] {
  const spec = obj(o, 'spec');
  const found = [
    o.kind === 'Pod' ? spec : undefined,
    o.kind === 'PodTemplate' ? obj(obj(o, 'template'), 'spec') : undefined,
    obj(obj(spec, 'template'), 'spec'),
    obj(obj(obj(obj(spec, 'jobTemplate'), 'spec'), 'template'), 'spec'),
  ];
  return found.filter((s): s is JsonObject => s !== undefined);
}

export const pullPolicyNormalizer: Normalizer = {
  name: 'pull-policy-at-write',
  normalize(desired, live) {
    if (!live) return;
    const ds = podSpecsOf(desired);
    const ls = podSpecsOf(live);
    ds.forEach((d, i) => {
      const l = ls[i];
      for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
        const liveByName = new Map(
          (arr(l, key) ?? []).filter(isObject).map((c) => [String(c['name']), c] as const),
        );
        for (const c of arr(d, key) ?? []) {
          if (!isObject(c) || c['imagePullPolicy'] !== undefined || typeof c['image'] !== 'string') continue;
          const lc = liveByName.get(String(c['name']));
          if (lc && lc['imagePullPolicy'] === defaultPullPolicy(c['image'])) delete lc['imagePullPolicy'];
        }
      }
    });
  },
};
