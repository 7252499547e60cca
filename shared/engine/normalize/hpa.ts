// HorizontalPodAutoscaler (autoscaling/v2) defaults: minReplicas 1, a CPU 80% metric when none is
// given, and the documented scale-up / scale-down behavior.
import type { JsonValue } from '../../types.ts';
import { dropIfEqual, obj } from '../json.ts';
import { eachSide } from './types.ts';

const DEFAULT_METRICS: JsonValue = [
  { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
];
const SCALE_UP_POLICIES: JsonValue = [
  { type: 'Pods', value: 4, periodSeconds: 15 },
  { type: 'Percent', value: 100, periodSeconds: 15 },
];
const SCALE_DOWN_POLICIES: JsonValue = [{ type: 'Percent', value: 100, periodSeconds: 15 }];

export const hpaNormalizer = eachSide('hpa-defaults', (o) => {
  if (o.kind !== 'HorizontalPodAutoscaler') return;
  const spec = obj(o, 'spec');
  dropIfEqual(spec, 'minReplicas', 1);
  dropIfEqual(spec, 'metrics', DEFAULT_METRICS);
  const behavior = obj(spec, 'behavior');
  const up = obj(behavior, 'scaleUp');
  dropIfEqual(up, 'policies', SCALE_UP_POLICIES);
  dropIfEqual(up, 'selectPolicy', 'Max');
  dropIfEqual(up, 'stabilizationWindowSeconds', 0);
  const down = obj(behavior, 'scaleDown');
  dropIfEqual(down, 'policies', SCALE_DOWN_POLICIES);
  dropIfEqual(down, 'selectPolicy', 'Max');
  dropIfEqual(down, 'stabilizationWindowSeconds', 300);
});
