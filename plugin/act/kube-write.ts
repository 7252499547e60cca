// The only writes DriftGuard makes to user objects, with the user's own kubeconfig: a permission
// check (SelfSubjectAccessReview), a JSON patch that removes fields Git does not set (on request),
// and a server-side apply of the desired object with field manager `driftguard-revert`.
import type { KubeConfig } from '@kubernetes/client-node';
import { isClusterScoped, jsonPointer } from '../../shared/engine/index.ts';
import type { JsonValue, KubeObject, RevertPlan } from '../../shared/types.ts';
import { CliError } from '../errors.ts';
import { apiPrefix, Discovery, type ApiResource } from '../../shared/node/kube/discovery.ts';
import { KubeApiError, kubeGet, kubeRequest } from '../../shared/node/kube/rest.ts';

export const FIELD_MANAGER = 'driftguard-revert';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface Located extends ObjectRef {
  resource: ApiResource;
  /** `/apis/apps/v1/namespaces/shop/deployments/web` */
  path: string;
  /** `deployments.apps` */
  display: string;
}

export async function locate(kc: KubeConfig, ref: ObjectRef): Promise<Located> {
  const resource = await new Discovery(kc).resource(ref.apiVersion, ref.kind);
  if (!resource) throw new CliError(`the cluster does not serve ${ref.kind} (${ref.apiVersion})`);
  const ns =
    resource.namespaced && !isClusterScoped(ref.kind)
      ? `/namespaces/${encodeURIComponent(ref.namespace)}`
      : '';
  const group = ref.apiVersion.includes('/') ? (ref.apiVersion.split('/')[0] ?? '') : '';
  return {
    ...ref,
    resource,
    path: `${apiPrefix(ref.apiVersion)}${ns}/${resource.name}/${encodeURIComponent(ref.name)}`,
    display: group ? `${resource.name}.${group}` : resource.name,
  };
}

/** The live object, or undefined when it does not exist. */
export async function readLive(kc: KubeConfig, at: Located): Promise<KubeObject | undefined> {
  const res = await kubeGet(kc, at.path);
  return res.status === 404 ? undefined : (res.body as KubeObject);
}

/**
 * Whether the kubeconfig's user may do `verb` on the object, as the API server's authorizer says.
 * Returns the missing permission spelled like RBAC (`patch deployments.apps "web" in namespace shop`) or null.
 */
export async function missingPermission(kc: KubeConfig, at: Located, verb: string): Promise<string | null> {
  const group = at.apiVersion.includes('/') ? (at.apiVersion.split('/')[0] ?? '') : '';
  const namespaced = at.resource.namespaced;
  const review = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: {
        verb,
        group,
        resource: at.resource.name,
        name: at.name,
        ...(namespaced ? { namespace: at.namespace } : {}),
      },
    },
  };
  const res = await kubeRequest(kc, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    method: 'POST',
    body: review,
  });
  const status = (res.body as { status?: { allowed?: boolean } } | null)?.status;
  if (status?.allowed === true) return null;
  return `${verb} ${at.display} "${at.name}"${namespaced ? ` in namespace ${at.namespace}` : ''}`;
}

function query(dryRun: boolean, force: boolean): string {
  const q = new URLSearchParams({ fieldManager: FIELD_MANAGER });
  if (force) q.set('force', 'true');
  if (dryRun) q.set('dryRun', 'All');
  return `?${q.toString()}`;
}

/** One field of a server-side apply conflict, as the API server names it. */
export interface Conflict {
  /** `.spec.template.spec.containers[name="web"].image` */
  field: string;
  /** `"kubectl" (scale)`: the manager, and its subresource when it wrote through one. */
  manager: string;
}

/** A 409 of a server-side apply: the fields other managers own with other values. */
export class ApplyConflict extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(`apply conflicts on ${conflicts.map((c) => `${c.field} (${c.manager})`).join(', ')}`);
    this.name = 'ApplyConflict';
  }
}

function conflictsOf(err: KubeApiError): Conflict[] {
  const causes =
    (err.body as { details?: { causes?: { field?: string; message?: string }[] } } | null)?.details?.causes ??
    [];
  return causes.map((c) => {
    const m = /conflict with "([^"]+)"(?: with subresource "([^"]+)")?/.exec(c.message ?? '');
    const manager = m ? `"${m[1] ?? ''}"${m[2] ? ` (${m[2]})` : ''}` : (c.message ?? 'another manager');
    return { field: c.field ?? '?', manager };
  });
}

export async function serverSideApply(
  kc: KubeConfig,
  at: Located,
  object: KubeObject,
  opts: { dryRun: boolean; force: boolean },
): Promise<KubeObject> {
  try {
    const res = await kubeRequest(kc, at.path + query(opts.dryRun, opts.force), {
      method: 'PATCH',
      body: object,
      contentType: 'application/apply-patch+yaml',
    });
    return res.body as KubeObject;
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 409) throw new ApplyConflict(conflictsOf(err));
    throw err;
  }
}

/** Later list indices first, so removing one item does not shift the index of the next. */
function comparePointers(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(y) - Number(x);
    return x < y ? -1 : 1;
  }
  return pb.length - pa.length;
}

/**
 * Removes the plan's prune fields from the live object with one JSON patch, guarded by the
 * resourceVersion it was computed from. Returns the paths removed.
 */
export async function pruneFields(
  kc: KubeConfig,
  at: Located,
  live: KubeObject,
  plan: Pick<RevertPlan, 'prune' | 'kind'>,
  opts: { dryRun: boolean },
): Promise<string[]> {
  const found = plan.prune
    .map((p) => ({ path: p.path, pointer: jsonPointer(live as JsonValue, p.segments, plan.kind) }))
    .filter((p): p is { path: string; pointer: string } => p.pointer !== null)
    .sort((a, b) => comparePointers(a.pointer, b.pointer));
  // A field inside another one being removed goes with it.
  const ops = found.filter((p) => !found.some((q) => q !== p && p.pointer.startsWith(`${q.pointer}/`)));
  if (ops.length === 0) return [];
  const patch = [
    { op: 'test', path: '/metadata/resourceVersion', value: live.metadata['resourceVersion'] ?? null },
    ...ops.map((p) => ({ op: 'remove', path: p.pointer })),
  ];
  const q = new URLSearchParams({ fieldManager: FIELD_MANAGER });
  if (opts.dryRun) q.set('dryRun', 'All');
  await kubeRequest(kc, `${at.path}?${q.toString()}`, {
    method: 'PATCH',
    body: patch,
    contentType: 'application/json-patch+json',
  });
  return ops.map((p) => p.path);
}
