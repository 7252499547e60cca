// What the renderers need from the agent: the kustomize and helm binaries (found once), the render
// cache, the cluster's capabilities for helm (asked at most every 5 minutes; an error keeps the last
// answer), the render timeout and the chart dependency fetcher (render.helm.repositories).
import {
  clusterInfo,
  findTools,
  type ClusterInfo,
  type RenderCache,
  type Tools,
} from '../shared/node/render/index.ts';
import { kubeGetOk } from '../shared/node/kube/rest.ts';
import type { AgentConfig } from './config/schema.ts';
import { dependencyFetcher } from './helm/chart-repositories.ts';
import type { RenderDeps } from './git/git-source.ts';
import type { loadKubeConfig } from './kube/client.ts';

const CAPABILITIES_TTL_MS = 5 * 60_000;

export function renderDeps(
  config: AgentConfig,
  kc: ReturnType<typeof loadKubeConfig>,
  cache: RenderCache,
): RenderDeps {
  let tools: Promise<Tools> | null = null;
  let info: { at: number; value: ClusterInfo | null } | null = null;
  return {
    tools: () => (tools ??= findTools({ kustomize: config.render.kustomize, helm: config.render.helm.path })),
    cache,
    cluster: async () => {
      if (info && Date.now() - info.at < CAPABILITIES_TTL_MS) return info.value;
      const value = await clusterInfo((path) => kubeGetOk(kc, path)).catch(() => info?.value ?? null);
      info = { at: Date.now(), value };
      return value;
    },
    timeoutMs: config.render.timeout,
    dependencies: dependencyFetcher(config, kc),
  };
}
