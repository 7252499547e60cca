// Diff and revert of one object, shared by the `diff`/`revert` commands and the terminal UI's `d`
// and `R` keys: where the plan comes from (the agent's desired object at the record's commit, or a
// repository with --local), what must stop a revert, and the writes themselves.
import type { KubeConfig } from '@kubernetes/client-node';
import type { DriftGuardClient } from '../../shared/api/client.ts';
import {
  analyzeResource,
  conflictInside,
  isSecretValuePath,
  keptFields,
  mergeApply,
  revertPlan,
} from '../../shared/engine/index.ts';
import type { DesiredObjectResponse, DriftRecord, KubeObject, RevertPlan } from '../../shared/types.ts';
import { CliError } from '../errors.ts';
import { loadLocal, type LocalAnalysisOptions } from '../local/analyze-local.ts';
import { localConfirm } from '../local/confirm-local.ts';
import type { Palette } from '../output/color.ts';
import { renderObjectDiff } from '../output/unified-diff.ts';
import {
  ApplyConflict,
  FIELD_MANAGER,
  type Conflict,
  locate,
  missingPermission,
  pruneFields,
  readLive,
  serverSideApply,
  type Located,
} from './kube-write.ts';

export interface PlanSource {
  plan: RevertPlan;
  /** The agent's record and desired object, when the plan came from the agent. */
  agent?: { record: DriftRecord; desired: DesiredObjectResponse };
  /** The repository's commit, when the plan came from --local. */
  commit?: string | null;
}

/** The agent's plan for a record: the desired object it compared, at the commit it came from. */
export async function agentPlan(client: DriftGuardClient, record: DriftRecord): Promise<PlanSource> {
  const desired = await client.desired(record.resource_id);
  return { plan: desired, agent: { record, desired } };
}

/** Plans computed here from a repository (`--local --repo`), for the objects `select` keeps. */
export async function localPlans(
  kc: KubeConfig,
  opts: LocalAnalysisOptions,
  select?: (id: string, kind: string, name: string) => boolean,
): Promise<{ sources: PlanSource[]; warnings: string[]; errors: string[] }> {
  const s = await loadLocal(
    kc,
    opts,
    select ? (d) => select(d.id, d.object.kind, String(d.object.metadata['name'] ?? '')) : undefined,
  );
  // The same answer as analyze's: what admission explains is neither shown nor pruned.
  const confirm = localConfirm(kc, s.discovery, opts.confirm !== false);
  const plans = s.desired.map(async (d) => {
    const live = s.live.get(d.id);
    const first = analyzeResource(d, live, s.engine, { gitCommit: s.commit });
    const answer = await confirm.answerFor(d, live, first);
    return { plan: revertPlan(d, live, s.engine, { confirm: answer }), commit: s.commit };
  });
  return {
    sources: await Promise.all(plans),
    warnings: s.warnings,
    errors: s.errors.map((e) => `${e.file}${e.line !== null ? `:${e.line}` : ''}: ${e.message}`),
  };
}

/** The drift diff of a plan, in kubectl diff's format ('' when in sync). */
export function planDiff(plan: RevertPlan, c: Palette): string {
  return renderObjectDiff(plan, c);
}

/** Notes under a diff: which fields only --prune-fields removes. */
export function pruneNote(plan: RevertPlan, prune: boolean): string {
  if (plan.prune.length === 0) return '';
  const list = plan.prune.map((p) => p.path).join(', ');
  return prune
    ? `--prune-fields: removes ${plan.prune.length} field(s) the cluster added and Git does not set: ${list}\n`
    : `${plan.resource_id}: set in the cluster, not by Git (revert removes them only with --prune-fields): ${list}\n`;
}

export interface PreparedRevert {
  source: PlanSource;
  at: Located;
  live: KubeObject | undefined;
  /** Nothing to put back: the object matches Git. */
  inSync: boolean;
}

export interface RevertFlags {
  dryRun: boolean;
  force: boolean;
  prune: boolean;
}

/** Everything a revert needs checked before anyone is asked; throws a CliError naming what stops it. */
export async function prepareRevert(kc: KubeConfig, source: PlanSource): Promise<PreparedRevert> {
  const { plan } = source;
  if (source.agent) {
    const { record, desired } = source.agent;
    if (record.git_commit !== desired.git_commit)
      throw new CliError(
        `refusing to revert ${plan.resource_id}: its record was analysed at commit ${short(record.git_commit)}, ` +
          `but the agent now holds its desired state from commit ${short(desired.git_commit)}; ` +
          'wait for the agent to analyse it again (kubectl driftguard analyze) and retry',
      );
  }
  if (plan.secret_values_withheld && plan.drift_paths.some((p) => isSecretValuePath(plan.kind, p)))
    throw new CliError(
      `refusing to revert ${plan.resource_id}: its values drifted, and the agent never hands out Secret values; ` +
        'revert it from the repository with --local --repo PATH',
    );
  const at = await locate(kc, {
    apiVersion: plan.api_version,
    kind: plan.kind,
    namespace: plan.namespace,
    name: plan.name,
  });
  // Permission first: a user who may not patch learns that, not some later failure.
  await requirePermission(kc, at, 'patch', plan.resource_id);
  const live = await readLive(kc, at);
  // A server-side apply of an object that is not there creates it.
  if (!live) await requirePermission(kc, at, 'create', plan.resource_id);
  return { source, at, live, inSync: !plan.drift_detected };
}

async function requirePermission(kc: KubeConfig, at: Located, verb: string, id: string): Promise<void> {
  const missing = await missingPermission(kc, at, verb);
  if (missing)
    throw new CliError(
      `refusing to revert ${id}: your kubeconfig's user may not ${missing} (RBAC verb "${verb}" on ${at.display} is needed)`,
    );
}

function short(commit: string | null | undefined): string {
  return commit ? commit.slice(0, 12) : '<none>';
}

/**
 * What `y` does, said before it is asked: which fields the apply sends and takes over, and that
 * everything else stays with its managers.
 */
export function revertSummary(plan: RevertPlan): string {
  if (!plan.live_view)
    return `creates ${plan.resource_id} as Git declares it (server-side apply as ${FIELD_MANAGER})`;
  const pruned = new Set(plan.prune.map((p) => p.path));
  const fields = plan.drift_paths.filter((p) => !pruned.has(p));
  if (fields.length === 0) return `sets no field (only fields Git does not set differ)`;
  return (
    `applies only the ${fields.length} drifted field${fields.length === 1 ? '' : 's'} (${fields.join(', ')}) ` +
    `as ${FIELD_MANAGER} and takes ${fields.length === 1 ? 'it' : 'them'} over from ${fields.length === 1 ? 'its' : 'their'} current manager; ` +
    'every other field and its manager stay as they are'
  );
}

/** A conflict outside the drifted fields: listed like kubectl does, with both ways to take them over. */
export function conflictMessage(display: string, conflicts: readonly Conflict[]): string {
  const lines = conflicts.map((c) => `  ${c.field}: owned by ${c.manager}`);
  return [
    `revert of ${display} conflicts with other field managers on ${conflicts.length} field${conflicts.length === 1 ? '' : 's'} that did not drift:`,
    ...lines,
    'rerun with --force-conflicts (in the drift browser: F) to take them over too',
  ].join('\n');
}

/**
 * The server-side apply of a revert. The drifted fields are what the user asked to put back, so a
 * conflict on them is taken over (force); a conflict on any other field stops the revert unless
 * `force` (--force-conflicts, F) says so. Returns the conflicts taken over.
 */
async function applyRevert(
  kc: KubeConfig,
  p: PreparedRevert,
  apply: KubeObject,
  flags: RevertFlags,
): Promise<Conflict[]> {
  const opts = { dryRun: flags.dryRun };
  try {
    await serverSideApply(kc, p.at, apply, { ...opts, force: flags.force });
    return [];
  } catch (err) {
    if (!(err instanceof ApplyConflict)) throw err;
    const outside = err.conflicts.filter((c) => !conflictInside(c.field, p.source.plan.apply));
    if (outside.length > 0)
      throw new CliError(conflictMessage(`${p.at.display}/${p.source.plan.name}`, outside));
    await serverSideApply(kc, p.at, apply, { ...opts, force: true });
    return err.conflicts;
  }
}

/** The writes: prune (when asked) then a server-side apply as driftguard-revert. Returns what was done. */
export async function executeRevert(kc: KubeConfig, p: PreparedRevert, flags: RevertFlags): Promise<string> {
  const { plan } = p.source;
  const lines: string[] = [];
  const suffix = flags.dryRun ? ' (server dry run)' : '';
  if (flags.prune && p.live && plan.prune.length > 0) {
    const removed = await pruneFields(kc, p.at, p.live, plan, { dryRun: flags.dryRun });
    if (removed.length > 0) lines.push(`removed ${removed.join(', ')}${suffix}`);
  }
  // What an earlier revert owns is sent again (at its live value), or the server would drop it.
  const base = p.live ? keptFields(p.live, FIELD_MANAGER) : {};
  const apply = mergeApply(base, plan.apply) as KubeObject;
  apply.metadata = { ...apply.metadata, name: plan.name };
  if (p.at.resource.namespaced) apply.metadata['namespace'] = plan.namespace;
  const taken = await applyRevert(kc, p, apply, flags);
  lines.push(
    `${p.at.display}/${plan.name} reverted${suffix}: server-side apply as ${FIELD_MANAGER}` +
      (p.source.agent ? ` from commit ${short(p.source.agent.desired.git_commit)}` : '') +
      (p.source.commit ? ` from commit ${short(p.source.commit)}` : ''),
  );
  if (taken.length > 0)
    lines.push(`took over ${taken.map((c) => `${c.field} from ${c.manager}`).join(', ')}`);
  if (!flags.prune && plan.prune.length > 0) lines.push(pruneNote(plan, false).trimEnd());
  return `${lines.join('\n')}\n`;
}
