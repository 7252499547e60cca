// The one request behind the confirm stage: a dry-run CREATE of Git's object under a generated
// name. Its answer is exactly what the server makes of Git's object now (defaults, mutating
// admission policies and webhooks), and nothing else: unlike a server-side apply dry-run, it does
// not carry over what other managers left on the live object, so a label added by hand stays
// drift while a label admission adds is explained. Nothing is stored (`dryRun=All`).
import type { KubeConfig } from '@kubernetes/client-node';
import type { ConfirmAnswer } from '../../../engine/confirm.ts';
import type { JsonObject, KubeObject } from '../../../types.ts';
import { apiPrefix, type ApiResource } from '../discovery.ts';
import { KubeApiError, kubeRequest } from '../rest.ts';

/** The field manager of every confirm request (seen in audit logs and by admission). */
export const CONFIRM_FIELD_MANAGER = 'driftguard';

/** ok: the server answered; refused: it answered with an error; error: no answer (network, timeout). */
export type DryRunOutcome = 'ok' | 'refused' | 'error';

export interface DryRunResult {
  outcome: DryRunOutcome;
  answer: ConfirmAnswer;
  seconds: number;
  /** The HTTP status of a refusal (0 otherwise). */
  status: number;
}

/** Metadata only the server sets (or that names this one object), left out of the request. */
const SERVER_METADATA = [
  'name',
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'managedFields',
  'selfLink',
];

/** Git's object as a new object: a generated name (so it never meets the live one), no status. */
export function dryRunBody(object: KubeObject): KubeObject {
  const metadata: JsonObject = { ...object.metadata };
  const name = typeof metadata['name'] === 'string' ? metadata['name'] : 'driftguard';
  for (const k of SERVER_METADATA) delete metadata[k];
  metadata['generateName'] = `${name}-`;
  const body: KubeObject = { ...object, metadata };
  delete body['status'];
  return body;
}

export function dryRunPath(apiVersion: string, resource: ApiResource, namespace: string): string {
  const ns = resource.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${apiPrefix(apiVersion)}${ns}/${resource.name}?dryRun=All&fieldManager=${CONFIRM_FIELD_MANAGER}`;
}

export async function dryRunCreate(
  kc: KubeConfig,
  object: KubeObject,
  resource: ApiResource,
  namespace: string,
  timeoutMs: number,
): Promise<DryRunResult> {
  const path = dryRunPath(object.apiVersion, resource, namespace);
  return send(kc, path, { method: 'POST', body: dryRunBody(object) }, timeoutMs, 'dry-run');
}

/**
 * The fallback when the server refuses the create for what only a new object meets (an allocated
 * nodePort or clusterIP already taken, a name admission or validation insists on): a server-side
 * apply dry-run of Git's object onto the live one (fieldManager driftguard, force). Its answer
 * keeps what other managers set, so it is trusted only for the fields Git sets (confirm.ts).
 */
export async function dryRunApply(
  kc: KubeConfig,
  object: KubeObject,
  resource: ApiResource,
  namespace: string,
  timeoutMs: number,
): Promise<DryRunResult> {
  const name = typeof object.metadata['name'] === 'string' ? object.metadata['name'] : '';
  const [collection = '', query = ''] = dryRunPath(object.apiVersion, resource, namespace).split('?');
  const path = `${collection}/${encodeURIComponent(name)}?${query}&force=true`;
  const body: KubeObject = { ...object };
  delete body['status'];
  const req = { method: 'PATCH', body, contentType: 'application/apply-patch+yaml' } as const;
  const r = await send(kc, path, req, timeoutMs, 'server-side apply dry-run');
  return r.answer.ok ? { ...r, answer: { ...r.answer, via: 'apply' } } : r;
}

/** Refusals the server makes of a *new* object only: worth the server-side apply fallback. */
export function refusedAsNew(r: DryRunResult): boolean {
  if (r.outcome !== 'refused') return false;
  if (r.status === 409 || r.status === 422) return true;
  // Admission denying it by name (a policy, not RBAC: RBAC's denial says "cannot create").
  return r.status === 403 && !/cannot create resource/.test(r.answer.ok ? '' : r.answer.reason);
}

async function send(
  kc: KubeConfig,
  path: string,
  req: Parameters<typeof kubeRequest>[2],
  timeoutMs: number,
  what: string,
): Promise<DryRunResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const res = await kubeRequest(kc, path, req, timeoutMs);
    if (res.status === 404)
      return refused(
        seconds(),
        what,
        404,
        `the server has no such collection or object at ${path.split('?')[0]}`,
      );
    const answer = res.body as KubeObject | null;
    if (!answer || typeof answer !== 'object' || typeof answer.metadata !== 'object')
      return refused(seconds(), what, res.status, 'the server answered without an object');
    return { outcome: 'ok', answer: { ok: true, object: answer }, seconds: seconds(), status: 0 };
  } catch (err) {
    if (err instanceof KubeApiError && err.status > 0)
      return refused(
        seconds(),
        what,
        err.status,
        `HTTP ${err.status}${err.reason ? ` ${err.reason}` : ''}: ${err.message}`,
      );
    const message = err instanceof Error ? err.message : String(err);
    return {
      outcome: 'error',
      answer: { ok: false, reason: `no ${what} answer: ${message}` },
      seconds: seconds(),
      status: 0,
    };
  }
}

function refused(seconds: number, what: string, status: number, why: string): DryRunResult {
  return { outcome: 'refused', answer: { ok: false, reason: `${what} refused: ${why}` }, seconds, status };
}
