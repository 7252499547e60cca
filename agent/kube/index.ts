export { loadKubeConfig } from './client.ts';
export { ClusterWatch } from './cluster-watch.ts';
export { resolveKinds, RESOURCE_TYPE, type KindInfo } from './kinds.ts';
export { LiveState, liveId, type LiveChange } from './live-state.ts';
