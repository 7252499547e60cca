// Shared set-up for the agent's process tests: a real control plane with the examples applied,
// a Git repo holding the same manifests, and an agent process watching both.
import { join } from 'node:path';
import { startCluster, type Cluster, type ClusterOptions } from '../cluster/cluster.ts';
import { exampleManifests, makeRepo, type TestRepo } from './repos.ts';
import { startAgent, type AgentProcess, type LogLine } from './agent-process.ts';
import { until } from './poll.ts';

/** Used when examples/ is missing: one of each watched kind. */
const FALLBACK: Record<string, string> = {
  'namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: demo }\n',
  'app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: demo }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: nginx, image: "nginx:1.27.3", env: [{ name: MODE, value: prod }], resources: { limits: { cpu: 200m } } }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: demo }
spec: { selector: { app: web }, ports: [{ name: http, port: 80 }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: app-config, namespace: demo }
data: { LOG_LEVEL: info }
---
apiVersion: v1
kind: Secret
metadata: { name: db-credentials, namespace: demo }
stringData: { password: demo-password-change-me }
`,
};

export interface Fixture {
  plane: Cluster;
  repo: TestRepo;
  files: Record<string, string>;
  /** Applies every manifest of the repo's working tree with kubectl. */
  applyAll(): Promise<void>;
  startAgent(extra?: {
    config?: Record<string, Record<string, unknown>>;
    env?: Record<string, string>;
    gitUrl?: string;
    bin?: string;
  }): Promise<AgentProcess>;
  stop(): Promise<void>;
}

export async function startFixture(opts: ClusterOptions = {}): Promise<Fixture> {
  const plane = await startCluster(opts);
  const files = exampleManifests(FALLBACK);
  const repo = makeRepo(Object.fromEntries(Object.entries(files).map(([p, c]) => [`manifests/${p}`, c])));
  const agents: AgentProcess[] = [];
  const applyAll = async () => {
    // The Namespace first, so the namespaced objects have somewhere to go.
    const ns = Object.keys(files).filter((p) => /namespace/i.test(p));
    for (const p of ns) await plane.kubectlOk(['apply', '-f', join(repo.dir, 'manifests', p)]);
    await plane.kubectlOk(['apply', '-f', join(repo.dir, 'manifests')]);
  };
  return {
    plane,
    repo,
    files,
    applyAll,
    startAgent: async (extra = {}) => {
      const config = extra.config ?? {};
      const agent = await startAgent({
        config: {
          ...config,
          kubernetes: { kubeconfig: plane.kubeconfig, ...config['kubernetes'] },
          git: { url: extra.gitUrl ?? repo.dir, branch: repo.branch, path: 'manifests', ...config['git'] },
          // No periodic runs: whatever finds a drift here is the watch (or the Git poll).
          drift: { periodic: false, interval: '1s', ...config['drift'] },
        },
        ...(extra.env ? { env: extra.env } : {}),
        ...(extra.bin ? { bin: extra.bin } : {}),
      });
      agents.push(agent);
      return agent;
    },
    stop: async () => {
      for (const a of agents) await a.stop();
      await plane.stop();
      repo.remove();
    },
  };
}

export interface RecordJson {
  resource_id: string;
  drift_status: string;
  drift_type: string | null;
  severity: string | null;
  drift_details: { path: string; type: string; manager: string | null; desired: unknown; live: unknown }[];
  first_detected: string | null;
  last_checked: string;
  resolved_at: string | null;
  resolution_message: string | null;
  git_commit: string | null;
  source_file: string | null;
  changed_by?: {
    user: string;
    groups: string[];
    manager: string | null;
    user_agent: string | null;
    source_ips: string[];
    verb: string;
  } | null;
}

export async function getRecord(agent: Pick<AgentProcess, 'apiUrl'>, id: string): Promise<RecordJson | null> {
  const res = await fetch(`${agent.apiUrl}/api/v1/drift-records/${encodeURIComponent(id)}`);
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET record ${id}: ${res.status} ${await res.text()}`);
  return (await res.json()) as RecordJson;
}

export async function allRecords(agent: Pick<AgentProcess, 'apiUrl'>): Promise<RecordJson[]> {
  const res = await fetch(`${agent.apiUrl}/api/v1/drift-records?limit=1000`);
  if (!res.ok) throw new Error(`GET records: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { drift_records: RecordJson[] }).drift_records;
}

/** driftguard_verdicts_total so far, by how: computed (the engine ran) or remembered (it did not). */
export async function verdictCounts(
  agent: Pick<AgentProcess, 'healthUrl'>,
): Promise<{ computed: number; remembered: number }> {
  const text = await (await fetch(`${agent.healthUrl}/metrics`)).text();
  const of = (how: string) =>
    Number(new RegExp(`^driftguard_verdicts_total\\{how="${how}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { computed: of('computed'), remembered: of('remembered') };
}

/** What /ready says of the store ("N record(s) written behind…" while a first start's inserts run). */
export async function storeReadiness(agent: Pick<AgentProcess, 'healthUrl'>): Promise<string> {
  const body = (await (await fetch(`${agent.healthUrl}/ready`)).json()) as {
    components?: { name: string; message: string }[];
  };
  return body.components?.find((c) => c.name === 'store')?.message ?? '';
}

/** Polls the record until `pred` holds (or fails after `ms`, with the last record seen). */
export async function waitForRecord(
  agent: Pick<AgentProcess, 'apiUrl'>,
  id: string,
  pred: (r: RecordJson) => boolean,
  ms = 5000,
): Promise<RecordJson> {
  let last: RecordJson | null = null;
  return until(
    `record ${id} in the expected state`,
    async () => {
      last = await getRecord(agent, id);
      return last && pred(last) ? last : undefined;
    },
    { timeoutMs: ms, intervalMs: 25, detail: () => `last: ${JSON.stringify(last)}` },
  );
}

/**
 * An agent with periodic analysis off (so whatever finds a drift is the watch), ready and past its
 * first full analysis.
 */
export async function startWatchOnlyAgent(
  fx: Fixture,
  config: Record<string, Record<string, unknown>> = {},
): Promise<AgentProcess> {
  const agent = await fx.startAgent({
    config: { ...config, drift: { periodic: false, interval: '1h', ...config['drift'] } },
  });
  await agent.waitReady(60_000);
  await agent.waitForLog(isEvent('analysis_completed'), 30_000);
  return agent;
}

export function isEvent(name: string, id?: string): (l: LogLine) => boolean {
  return (l) => l['event'] === name && (id === undefined || l['resource_id'] === id);
}
