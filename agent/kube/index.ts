export { loadKubeConfig } from './client.ts';
export { ClusterWatch } from './cluster-watch.ts';
export { resolveKinds, type KindInfo } from './kinds.ts';
export { LiveState, liveId, type LiveChange } from './live-state.ts';
