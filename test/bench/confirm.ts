// The confirm stage's cost in the agent (drift.confirm: dry-run, the default the bench runs with):
// dry-run requests per full analysis in sync (must be 0: objects without suspected drift never
// cost a request) and with 100 drifted (the cached answers: 0 again), the requests and the time
// the first detection of 100 drifts at once takes through the confirm budget (QPS 5, burst 20 by
// default), read from the agent's own metric driftguard_confirm_requests_total. Asserts nothing.
import type { Cluster } from '../cluster/cluster.ts';
import type { AgentProcess } from '../kit/agent-process.ts';
import { until } from '../kit/poll.ts';
import type { BenchObject } from './objects.ts';
import { figure, note } from './report.ts';

const DRIFTED = 100;

/** Every dry-run the agent sent so far, whatever its outcome. */
export async function confirmRequests(agent: AgentProcess): Promise<number> {
  const text = await (await fetch(`${agent.healthUrl}/metrics`)).text();
  let total = 0;
  for (const m of text.matchAll(/^driftguard_confirm_requests_total\{[^}]*\} (\S+)$/gm))
    total += Number(m[1]);
  return total;
}

async function activeCount(agent: AgentProcess): Promise<number> {
  const res = await fetch(`${agent.apiUrl}/api/v1/drift-records/active?limit=1`);
  if (!res.ok) throw new Error(`GET active records: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { count: number }).count;
}

/** `kubectl scale` of the given Deployments, one command per namespace. */
async function scale(cluster: Cluster, deployments: BenchObject[], replicas: number): Promise<void> {
  const byNs = new Map<string, string[]>();
  for (const d of deployments) byNs.set(d.namespace, [...(byNs.get(d.namespace) ?? []), d.name]);
  await Promise.all(
    [...byNs].map(([ns, names]) =>
      cluster.kubectlOk([
        'scale',
        '-n',
        ns,
        `--replicas=${replicas}`,
        ...names.map((n) => `deployment/${n}`),
      ]),
    ),
  );
}

export async function confirmFigures(
  cluster: Cluster,
  agent: AgentProcess,
  objects: BenchObject[],
  section: string,
  fullRun: (agent: AgentProcess) => Promise<unknown>,
): Promise<void> {
  const sent = () => confirmRequests(agent);
  const baseline = await activeCount(agent);
  let before = await sent();
  await fullRun(agent);
  const inSync = (await sent()) - before;
  figure({
    section,
    name: 'confirm: dry-run requests per full analysis, in sync',
    value: inSync,
    unit: 'requests',
    goal: '0',
    met: inSync === 0,
    note: `${objects.length} objects, ${baseline} active records`,
  });

  // Deployments not drifted already (an earlier section may have left some changed).
  const res = await fetch(`${agent.apiUrl}/api/v1/drift-records/active?limit=1000`);
  const drifted0 = new Set(
    ((await res.json()) as { drift_records: { resource_id: string }[] }).drift_records.map(
      (r) => r.resource_id,
    ),
  );
  const deployments = objects
    .filter((o) => o.kind === 'Deployment' && !drifted0.has(`Deployment:${o.namespace}:${o.name}`))
    .slice(0, DRIFTED);
  if (deployments.length < DRIFTED)
    note(`${section}: only ${deployments.length} Deployments to drift (of ${DRIFTED} wanted)`);
  before = await sent();
  const started = performance.now();
  await scale(cluster, deployments, 4);
  const scaled = performance.now();
  await until(
    `${deployments.length} drifts recorded`,
    async () => ((await activeCount(agent)) >= baseline + deployments.length ? true : undefined),
    { timeoutMs: 180_000, intervalMs: 100 },
  );
  const detected = performance.now();
  const first = (await sent()) - before;
  figure({
    section,
    name: `confirm: ${deployments.length} drifts at once, kubectl returned → all recorded`,
    value: (detected - scaled) / 1000,
    unit: 's',
    note: `${first} dry-run requests; kubectl scale took ${((scaled - started) / 1000).toFixed(1)} s; the budget's floor at QPS 5 / burst 20 is ${Math.max(0, (deployments.length - 20) / 5).toFixed(0)} s`,
  });
  before = await sent();
  await fullRun(agent);
  const drifted = (await sent()) - before;
  figure({
    section,
    name: `confirm: dry-run requests per full analysis, ${deployments.length} drifted`,
    value: drifted,
    unit: 'requests',
    note: 'answers cached per live uid + live hash (as compared) and desired state; remembered verdicts skip confirm',
  });
  await scale(cluster, deployments, 1);
  await until(
    'the drifts resolved',
    async () => ((await activeCount(agent)) <= baseline ? true : undefined),
    { timeoutMs: 180_000, intervalMs: 200 },
  );
}
