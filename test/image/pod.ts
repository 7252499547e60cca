// The agent as users run it: the image built by `npm run build:image` (its agent.json in the
// cache), imported into the real node's containerd and installed with `kubectl apply -k` of the
// shipped manifests through the test overlay (overlay.ts). Helpers for the real-node suite.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../cluster/binaries.ts';
import type { Cluster } from '../cluster/cluster.ts';
import { checkNodeHost } from '../cluster/node/host.ts';
import { until } from '../kit/poll.ts';

export const AGENT_NS = 'driftguard';
export const AGENT_LABELS = 'app.kubernetes.io/name=driftguard,app.kubernetes.io/component=agent';

export interface BuiltImage {
  ref: string;
  id: string;
  archive: string;
}

/** The image build:image made, or why there is none. */
export function builtImage(): BuiltImage | string {
  const file = join(cacheDir(), 'image', 'agent.json');
  if (!existsSync(file)) return `no agent image built (${file} missing): run 'npm run build:image'`;
  const image = JSON.parse(readFileSync(file, 'utf8')) as BuiltImage;
  if (!existsSync(image.archive)) return `image archive ${image.archive} missing: run 'npm run build:image'`;
  return image;
}

/** Why the real-node suites cannot run here, or undefined when they can. */
export function realNodeSkipReason(): string | undefined {
  const host = checkNodeHost();
  if (!host.ok) return host.reason;
  const image = builtImage();
  return typeof image === 'string' ? image : undefined;
}

export interface PodInfo {
  name: string;
  uid: string;
  ready: boolean;
  restarts: number;
  nodeName: string;
  imageId: string;
}

export async function agentPods(cluster: Cluster): Promise<PodInfo[]> {
  const out = JSON.parse(
    await cluster.kubectlOk(['-n', AGENT_NS, 'get', 'pods', '-l', AGENT_LABELS, '-o', 'json']),
  ) as {
    items: {
      metadata: { name: string; uid: string; deletionTimestamp?: string };
      spec: { nodeName?: string };
      status: {
        conditions?: { type: string; status: string }[];
        containerStatuses?: { restartCount: number; imageID: string }[];
      };
    }[];
  };
  return out.items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => ({
      name: p.metadata.name,
      uid: p.metadata.uid,
      ready: p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      restarts: p.status.containerStatuses?.[0]?.restartCount ?? 0,
      nodeName: p.spec.nodeName ?? '',
      imageId: p.status.containerStatuses?.[0]?.imageID ?? '',
    }));
}

/** Polls until `pred` holds for the agent's pods; fails with the last state seen after `ms`. */
export async function waitPods(
  cluster: Cluster,
  what: string,
  pred: (pods: PodInfo[]) => boolean,
  ms = 180_000,
): Promise<PodInfo[]> {
  let pods: PodInfo[] = [];
  let describe = '';
  return until(
    what,
    async () => {
      pods = await agentPods(cluster);
      if (pred(pods)) return pods;
      return undefined;
    },
    {
      timeoutMs: ms,
      intervalMs: 250,
      detail: () => `pods ${JSON.stringify(pods)}${describe}`,
    },
  ).catch(async (err: unknown) => {
    const logs = async (previous: boolean): Promise<string> =>
      (
        await cluster.kubectl([
          '-n',
          AGENT_NS,
          'logs',
          '-l',
          AGENT_LABELS,
          '--tail=15',
          ...(previous ? ['--previous'] : []),
        ])
      ).stdout;
    describe = [
      (await cluster.kubectl(['-n', AGENT_NS, 'describe', 'pods', '-l', AGENT_LABELS])).stdout.slice(-2500),
      `logs:\n${await logs(false)}`,
      `previous container's logs:\n${await logs(true)}`,
    ].join('\n');
    throw new Error(`${(err as Error).message}\n${describe}`, { cause: err });
  });
}

/** `kubectl exec` in the agent pod (through the API server and the real kubelet). */
export async function podExec(
  cluster: Cluster,
  pod: string,
  cmd: string[],
): Promise<{ code: number; out: string }> {
  const r = await cluster.kubectl(['-n', AGENT_NS, 'exec', pod, '-c', 'agent', '--', ...cmd]);
  return { code: r.code, out: r.stdout + r.stderr };
}

/** VmRSS and VmHWM (peak) of the pod's node process (PID 1 in its PID namespace), in MiB. */
export async function podMemory(cluster: Cluster, pod: string): Promise<{ rss: number; peak: number }> {
  const { out } = await podExec(cluster, pod, ['cat', '/proc/1/status']);
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(out)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}
