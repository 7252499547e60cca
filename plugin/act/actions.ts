// Diff and revert for the terminal UI, over the same functions as the `diff` and `revert` commands
// (agentPlan, planDiff, prepareRevert, executeRevert): the UI only decides when to call them.
import type { KubeConfig } from '@kubernetes/client-node';
import type { DriftGuardClient } from '../../shared/api/client.ts';
import { palette } from '../output/color.ts';
import { waiverRequest } from './waive.ts';
import { agentPlan, executeRevert, planDiff, prepareRevert, pruneNote, revertSummary } from './revert.ts';

export interface DiffText {
  /** The diff in kubectl diff's format, uncoloured (the view colours lines by their first character). */
  lines: string[];
  /** Fields only --prune-fields would remove, or ''. */
  note: string;
  /** What a revert would send and take over (revertSummary), for the confirmation. */
  summary: string;
  /** Where Git declares the object: "declared in apps/web/deploy.yaml, document 2". */
  declared: string;
}

export interface DriftActions {
  diff(resourceId: string): Promise<DiffText>;
  /** The checks of `revert` (commit, permission), then the writes; resolves with what was done. */
  revert(resourceId: string, opts: { force: boolean }): Promise<string>;
  /** `adopt` through the agent into a checkout (files written, nothing committed). */
  adopt(resourceId: string): Promise<string>;
  /** `waive` of the whole resource (every drifted field) for a while, owned by the kubeconfig user. */
  waive(resourceId: string, words: { for: string; reason: string }): Promise<string>;
}

/** "declared in FILE, document N" (no document for a Kustomize render, where it means nothing). */
export function declaredIn(plan: { source_file: string; source_document: number | null }): string {
  return `declared in ${plan.source_file}${plan.source_document !== null ? `, document ${plan.source_document}` : ''}`;
}

export function driftActions(
  client: DriftGuardClient,
  kubeConfig: () => KubeConfig,
  adopt: (resourceId: string) => Promise<string> = () =>
    Promise.reject(new Error('adopt is not available here')),
): DriftActions {
  const plan = async (id: string) => agentPlan(client, await client.record(id));
  return {
    async diff(id) {
      const source = await plan(id);
      const text = planDiff(source.plan, palette(false));
      return {
        lines: text ? text.replace(/\n$/, '').split('\n') : [],
        note: pruneNote(source.plan, false).trim(),
        summary: revertSummary(source.plan),
        declared: declaredIn(source.plan),
      };
    },
    async revert(id, opts) {
      const kc = kubeConfig();
      const prepared = await prepareRevert(kc, await plan(id));
      if (prepared.inSync) return `${id} matches Git: nothing to revert`;
      const done = await executeRevert(kc, prepared, { dryRun: false, force: opts.force, prune: false });
      return done.trim();
    },
    adopt,
    async waive(id, words) {
      const owner = currentUser(kubeConfig);
      // The CLI's path: the same checks and warnings (waiverRequest), then the agent's createWaiver.
      const { request, warnings } = await waiverRequest(client, { resource: id, ...words, owner }, undefined);
      const w = await client.createWaiver(request);
      return [
        `waiver/${w.id} created: ${id} waived until ${w.expires_at} (owner ${w.owner})`,
        ...warnings,
      ].join('; ');
    },
  };
}

/** The owner of a waiver made in the browser, as `waive` defaults --owner: the kubeconfig's user. */
function currentUser(kubeConfig: () => KubeConfig): string {
  let user: string | undefined;
  try {
    user = kubeConfig().getCurrentUser()?.name;
  } catch {
    user = undefined;
  }
  if (!user)
    throw new Error(
      'the kubeconfig names no user to own the waiver: use kubectl driftguard waive RESOURCE --owner NAME',
    );
  return user;
}
