// What putting one object back to its desired state means, as data: two views that differ only
// where there is drift (for a diff), the object a server-side apply should send (the drifted fields
// only, in the server's spelling; the whole object when it is missing), and the fields the cluster
// added that Git does not set (removed only on request). The agent serves this for a record
// and `revert --local` computes it from a repository: one function, so both show the same diff.
import type { JsonObject, JsonValue, KubeObject, RevertPlan } from '../types.ts';
import { compareResource } from './analyze.ts';
import { canonicalForApply, foldStringData } from './canonical.ts';
import { confirmFields, type ConfirmAnswer } from './confirm.ts';
import { nameOf, namespaceOf } from './identity.ts';
import { clone, isObject } from './json.ts';
import type { EngineOptions } from './options.ts';
import type { DesiredObject } from './parse.ts';
import { keyedItems, setAt, type ListScope, type Segment } from './path.ts';
import { driftOnlyApply } from './revert-apply.ts';
import { REDACTED, SECRET_VALUE_FIELDS } from './secrets.ts';

export interface RevertPlanOptions {
  /** Leave Secret data out of `apply` (for a server that must never hand out Secret values). */
  withholdSecretValues?: boolean;
  /**
   * The server's answer to a dry-run of Git's object (as for the verdict): fields it explains
   * (set on admission) are not drift, so the diff does not show them and revert does not prune them.
   */
  confirm?: ConfirmAnswer | undefined;
}

/** kubectl diff spells a changed Secret value `*** (before)` / `*** (after)`; the same with our marker. */
export const REDACTED_BEFORE = `${REDACTED} (before)`;
export const REDACTED_AFTER = `${REDACTED} (after)`;

/** Secret values never reach a view: equal values show REDACTED, changed ones say which side is which. */
function redactSecretViews(desired: JsonObject, live: JsonObject | null): void {
  const d = isObject(desired['data']) ? desired['data'] : undefined;
  const l = live && isObject(live['data']) ? live['data'] : undefined;
  const keys = new Set([...Object.keys(d ?? {}), ...Object.keys(l ?? {})]);
  for (const k of keys) {
    const changed = d?.[k] !== undefined && l?.[k] !== undefined && d[k] !== l[k];
    if (d && d[k] !== undefined) d[k] = changed ? REDACTED_AFTER : REDACTED;
    if (l && l[k] !== undefined) l[k] = changed ? REDACTED_BEFORE : REDACTED;
  }
  for (const side of [desired, live]) {
    if (!side) continue;
    for (const f of ['stringData', 'binaryData']) {
      const m = side[f];
      if (isObject(m)) for (const k of Object.keys(m)) m[k] = REDACTED;
    }
  }
}

export function revertPlan(
  desired: DesiredObject,
  live: KubeObject | undefined,
  opts: EngineOptions,
  planOpts: RevertPlanOptions = {},
): RevertPlan {
  const obj = desired.object;
  const kind = obj.kind;
  const { norm, fields: suspected, ignored } = compareResource(desired, live, opts);
  const fields =
    planOpts.confirm && norm.live && suspected.length > 0
      ? confirmFields(obj, suspected, planOpts.confirm, opts, norm.ctx.managed).drift
      : suspected;
  const desiredView = clone(norm.desired) as JsonObject;
  let liveView: JsonObject | null = null;
  if (norm.live) {
    liveView = clone(norm.desired) as JsonObject;
    for (const f of fields)
      setAt(liveView, f.raw.segs, norm.ctx.lists, f.raw.live === undefined ? undefined : clone(f.raw.live));
  }
  if (kind === 'Secret') redactSecretViews(desiredView, liveView);

  const full = clone(obj);
  delete full['status'];
  // Never fight an autoscaler or an ignore rule: what the verdict ignores, revert does not set.
  for (const segs of ignored) setAt(full, segs, norm.ctx.lists, undefined);
  if (kind === 'Secret') foldStringData(full);
  // An object that exists gets its drifted fields only (revert-apply.ts says why); a missing one
  // is created whole.
  const apply = (
    norm.live
      ? driftOnlyApply(
          full as KubeObject,
          kind === 'Secret' ? null : norm.desired,
          fields.filter((f) => f.raw.desired !== undefined).map((f) => ({ segs: f.raw.segs })),
          kind,
        )
      : canonicalForApply(full, kind)
  ) as KubeObject;
  const withhold = planOpts.withholdSecretValues === true && kind === 'Secret';
  if (withhold) for (const f of SECRET_VALUE_FIELDS) delete apply[f];

  const prune = fields
    .filter((f) => f.raw.desired === undefined && f.raw.live !== undefined)
    .map((f) => ({ path: f.raw.path, segments: f.raw.segs }));
  return {
    resource_id: desired.id,
    kind,
    namespace: namespaceOf(obj, opts.defaultNamespace, opts.scopes),
    name: nameOf(obj),
    api_version: obj.apiVersion,
    source_file: desired.sourceFile,
    source_document: desired.sourceDocument ?? null,
    drift_detected: !norm.live || fields.length > 0,
    desired_view: desiredView,
    live_view: liveView,
    apply,
    secret_values_withheld: withhold,
    drift_paths: fields.map((f) => f.raw.path),
    prune,
  };
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The JSON pointer (RFC 6901) of `segs` in `root` (keyed segments resolved to list indices), or
 * null when the field is not there: what a JSON patch `remove` needs for a prune field.
 */
export function jsonPointer(root: JsonValue, segs: readonly Segment[], kind: ListScope): string | null {
  let cur: JsonValue | undefined = root;
  let out = '';
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] as Segment;
    if ('field' in s) {
      if (!isObject(cur) || !(s.field in cur)) return null;
      cur = cur[s.field];
      out += `/${escapePointer(s.field)}`;
    } else {
      if (!Array.isArray(cur)) return null;
      const items = keyedItems(cur, segs.slice(0, i), kind);
      const id = JSON.stringify(s.key);
      const idx = items?.findIndex((it) => it.id === id) ?? -1;
      if (idx < 0) return null;
      cur = cur[idx];
      out += `/${idx}`;
    }
  }
  return out;
}
