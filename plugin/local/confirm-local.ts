// The confirm stage for the plugin's --local commands, with the user's own credentials (as
// `kubectl diff` asks the server): `analyze`, `diff` and `revert` all go through one ConfirmStage,
// so they agree on what admission explains.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Discovery } from '../../shared/node/kube/discovery.ts';
import { Confirmer } from '../../shared/node/kube/confirm/index.ts';
import { ConfirmStage } from '../../shared/node/kube/confirm/stage.ts';

/** kubectl's own client budget (QPS 50, burst 300) is for reads; dry-runs run through admission. */
const PLUGIN_BUDGET = { qps: 20, burst: 50 };

export interface ConfirmStats {
  enabled: boolean;
  /** Objects whose suspected drift was checked against a server answer. */
  confirmed: number;
  /** Dry-run requests sent. */
  requests: number;
}

export function localConfirm(kc: KubeConfig, discovery: Discovery, enabled: boolean): ConfirmStage {
  return new ConfirmStage(
    enabled ? new Confirmer(kc, discovery, PLUGIN_BUDGET) : null,
    'not confirmed: --confirm=false',
  );
}

export function confirmStats(stage: ConfirmStage): ConfirmStats {
  return { enabled: stage.confirmer !== null, confirmed: stage.confirmed, requests: stage.requests };
}
