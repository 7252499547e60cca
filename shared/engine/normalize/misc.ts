// Smaller per-kind defaults: Namespace finalizer and name label, PVC volume mode and binding.
import { dropIfEqual, obj } from '../json.ts';
import type { Normalizer } from './types.ts';

export const miscNormalizer: Normalizer = {
  name: 'misc-kind-defaults',
  normalize(desired, live) {
    for (const o of live ? [desired, live] : [desired]) {
      if (o.kind === 'Namespace') {
        dropIfEqual(obj(o, 'spec'), 'finalizers', ['kubernetes']);
        // The API server labels every namespace with its own name (since 1.21).
        dropIfEqual(obj(o.metadata, 'labels'), 'kubernetes.io/metadata.name', o.metadata['name'] ?? null);
      }
      if (o.kind === 'PersistentVolumeClaim') dropIfEqual(obj(o, 'spec'), 'volumeMode', 'Filesystem');
    }
    if (live?.kind === 'PersistentVolumeClaim') {
      // The binder and the default StorageClass fill these in when Git leaves them out.
      const ds = obj(desired, 'spec') ?? {};
      const ls = obj(live, 'spec');
      for (const k of ['volumeName', 'storageClassName']) if (ls && ds[k] === undefined) delete ls[k];
    }
  },
};
