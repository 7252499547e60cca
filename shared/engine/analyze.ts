// The engine's entry point: one desired object and its live counterpart in, one DriftResult out.
// Pure and synchronous; the agent and the plugin do all I/O around it.
import type { DriftDetail, DriftResult, JsonValue, KubeObject } from '../types.ts';
import { attribute } from './attribution.ts';
import { classify, severityOf, worst } from './classify.ts';
import { confirmFields, type ConfirmAnswer } from './confirm.ts';
import type { DriftField } from './drift-field.ts';
import { diffObjects, type RawDetail } from './diff.ts';
import { stableHash } from './hash.ts';
import { nameOf, namespaceOf, objectId } from './identity.ts';
import { emptyHits, ignoringRule, objectFacts, rulesFor, type RuleHits } from './ignore/apply.ts';
import { ruleReachesBelow } from './ignore/match.ts';
import { splitForRules } from './ignore/split.ts';
import { clone, isObject } from './json.ts';
import { cleanedUpByTtl } from './job-ttl.ts';
import { pruneEmpty } from './normalize/empty.ts';
import { normalizePair, type NormalizedPair } from './normalize/index.ts';
import { sortKeyedLists } from './normalize/keyed-lists.ts';
import type { EngineOptions } from './options.ts';
import type { DesiredObject } from './parse.ts';
import { getAt, setAt, type Segment } from './path.ts';
import { isSecretValuePath, REDACTED } from './secrets.ts';

/** Re-exported here too: tables and the agent's resolution messages use it next to analyze*. */
export { summarizeDetail } from './summary.ts';

export interface AnalyzeContext {
  gitCommit: string | null;
  /** Given: filled with the fields each ignore rule made not drift in this comparison (cleared first). */
  hits?: RuleHits;
}

function isScalar(v: JsonValue | undefined): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * What a detail shows for one side: the value as written (e.g. `0.5`, not the canonical `0.5` of `500m`)
 * when it is a scalar we can find in the raw object, else the normalised value; null when absent.
 */
function shown(
  kind: string,
  path: string,
  raw: KubeObject | undefined,
  segs: Segment[],
  normalized: JsonValue | undefined,
): JsonValue {
  if (kind === 'Secret') {
    if (normalized === undefined) return null;
    return isSecretValuePath(kind, path) || !isScalar(normalized) ? REDACTED : normalized;
  }
  // A value dropped as an API default is still shown as the cluster has it (e.g. `live: 30`).
  if ((normalized === undefined || isScalar(normalized)) && raw) {
    const r = getAt(raw as JsonValue, segs, kind);
    if (isScalar(r)) return r;
  }
  return normalized === undefined ? null : clone(normalized);
}

export type { DriftField } from './drift-field.ts';

export interface Comparison {
  norm: NormalizedPair;
  /** Drift fields, in walk order. Empty when live is absent (Missing). */
  fields: DriftField[];
  /** Fields that differ but that the rules ignore here (ignore rules, fields owned by an autoscaler). */
  ignored: Segment[][];
  /** How many of them each rule ignored. */
  hits: RuleHits;
}

/**
 * Normalise both sides, diff them, and drop what the rules ignore: the one comparison behind a
 * verdict (analyzeResource) and a revert plan (revertPlan), so both agree on what counts as drift.
 * Ignored fields are made equal on the normalised live copy, so live_hash agrees with the verdict.
 */
export function compareResource(
  desired: DesiredObject,
  live: KubeObject | undefined,
  opts: EngineOptions,
): Comparison {
  const obj = desired.object;
  const norm = normalizePair(obj, live, opts);
  const fields: DriftField[] = [];
  const ignored: Segment[][] = [];
  const hits = emptyHits();
  const nl = norm.live;
  if (!nl) return { norm, fields, ignored, hits };
  const facts = objectFacts(
    obj,
    namespaceOf(obj, opts.defaultNamespace, opts.scopes),
    nameOf(obj),
    opts.source,
  );
  const rules = rulesFor(obj, facts, opts.rules);
  const lists = norm.ctx.lists;
  // A condition on an item's content reads the item as live has it, else as Git has it.
  const itemAtFor = (segs: readonly Segment[]) => (n: number) => {
    const at = segs.slice(0, n);
    return getAt(nl, at, lists) ?? getAt(norm.desired, at, lists);
  };
  const fieldOf = (raw: RawDetail, manager = attribute(norm.ctx.managed, raw.segs).manager) => ({
    segs: raw.segs,
    manager,
    itemAt: itemAtFor(raw.segs),
  });
  const reaches = (segs: readonly Segment[]) =>
    rules.some(({ rule }) => ruleReachesBelow(rule, segs, itemAtFor(segs)));
  let synced = false;
  for (const whole of diffObjects(norm.desired, nl, lists)) {
    // Split only when a rule covers a part: otherwise the difference reads as before, whole.
    const parts = splitForRules(whole, lists, reaches);
    const units = parts?.some((p) => ignoringRule(rules, fieldOf(p))) ? parts : [whole];
    for (const raw of units) {
      const who = attribute(norm.ctx.managed, raw.segs);
      if (ignoringRule(rules, fieldOf(raw, who.manager), hits)) {
        synced = true;
        ignored.push(raw.segs);
        setAt(nl, raw.segs, lists, raw.desired === undefined ? undefined : clone(raw.desired));
        continue;
      }
      fields.push({ raw, manager: who.manager, changed_at: who.changed_at });
    }
  }
  if (synced) {
    // A sync may leave an empty map behind (annotations: {}) or append a list item out of key order.
    pruneEmpty(nl);
    sortKeyedLists(nl as JsonValue, [], norm.ctx.lists);
  }
  return { norm, fields, ignored, hits };
}

/**
 * Does this verdict rest on suspected field drift that the confirm stage could check? (Not Missing,
 * not in sync.) Objects without it never cost a dry-run request.
 */
export function hasSuspectedDrift(result: DriftResult): boolean {
  return result.drift_detected && result.live_hash !== null && result.drift_details.length > 0;
}

/**
 * `confirm`: the API server's answer to a dry-run of Git's object (or why there is none). Without
 * it the details carry no `confirmed` flag (the engine's own tests); the agent and the plugin
 * always pass one.
 */
export function analyzeResource(
  desired: DesiredObject,
  live: KubeObject | undefined,
  opts: EngineOptions,
  context: AnalyzeContext,
  confirm?: ConfirmAnswer,
): DriftResult {
  const obj = desired.object;
  const kind = obj.kind;
  const { norm, fields: suspected, hits } = compareResource(desired, live, opts);
  if (context.hits) {
    // Set, not added to: the confirm stage compares twice, with the same rules.
    context.hits.rules = hits.rules;
    context.hits.annotation = hits.annotation;
  }
  const { drift: fields, explained } =
    confirm && norm.live && suspected.length > 0
      ? confirmFields(obj, suspected, confirm, opts, norm.ctx.managed)
      : { drift: suspected, explained: [] };
  if (explained.length > 0 && norm.live) syncFields(norm.live, explained, kind);
  const base = {
    resource_id: desired.id,
    kind,
    namespace: namespaceOf(obj, opts.defaultNamespace, opts.scopes),
    name: nameOf(obj),
    api_version: obj.apiVersion,
    desired_hash: stableHash(norm.desired as JsonValue),
    git_commit: context.gitCommit,
    source_file: desired.sourceFile,
  };

  // A finished Job its TTL removed is where Git wanted it: in sync, nothing live to hash.
  if (!norm.live && cleanedUpByTtl(obj, desired.id, opts)) {
    const none = { drift_status: 'none', drift_type: null, severity: null } as const;
    return { ...base, ...none, drift_detected: false, drift_details: [], live_hash: base.desired_hash };
  }
  if (!norm.live) {
    return {
      ...base,
      drift_detected: true,
      drift_status: 'active',
      drift_type: 'Missing',
      severity: severityOf('Missing', opts.rules.severity),
      drift_details: [],
      live_hash: null,
    };
  }
  const details: DriftDetail[] = fields.map((f) => {
    const { raw, manager, changed_at } = f;
    const type = classify({ kind, path: raw.path, desired: raw.desired, live: raw.live });
    const detail: DriftDetail = {
      path: raw.path,
      type,
      severity: severityOf(type, opts.rules.severity),
      desired: shown(kind, raw.path, obj, raw.segs, raw.desired),
      live: shown(kind, raw.path, live, raw.segs, raw.live),
      manager,
      changed_at,
    };
    if ('confirmed' in f) {
      detail.confirmed = f.confirmed;
      if (!f.confirmed) detail.confirm_reason = f.reason;
    }
    return detail;
  });
  const liveHash = stableHash(norm.live as JsonValue);
  const top = worst(details);
  const why: Pick<DriftResult, 'explained'> =
    explained.length > 0
      ? {
          explained: explained.map(({ raw }) => ({
            path: raw.path,
            desired: shown(kind, raw.path, obj, raw.segs, raw.desired),
            live: shown(kind, raw.path, live, raw.segs, raw.live),
          })),
        }
      : {};
  if (!top) {
    return {
      ...base,
      drift_detected: false,
      drift_status: 'none',
      drift_type: null,
      severity: null,
      drift_details: [],
      ...why,
      live_hash: liveHash,
    };
  }
  return {
    ...base,
    drift_detected: true,
    drift_status: 'active',
    drift_type: top.type,
    severity: top.severity,
    drift_details: details,
    ...why,
    live_hash: liveHash,
  };
}

/**
 * Make the normalised live copy equal to desired where the server explains the difference, as
 * compareResource does for ignored fields, so live_hash agrees with the verdict.
 */
function syncFields(nl: KubeObject, fields: readonly DriftField[], kind: string): void {
  for (const { raw } of fields)
    setAt(nl, raw.segs, kind, raw.desired === undefined ? undefined : clone(raw.desired));
  pruneEmpty(nl);
  sortKeyedLists(nl as JsonValue, [], kind);
}

/** Analyse every desired object against live objects (a map by resource id, or a list), in O(N). */
export function analyzeAll(
  desired: readonly DesiredObject[],
  live: ReadonlyMap<string, KubeObject> | readonly KubeObject[],
  opts: EngineOptions,
  context: AnalyzeContext,
  confirm?: ReadonlyMap<string, ConfirmAnswer>,
): DriftResult[] {
  let byId: ReadonlyMap<string, KubeObject>;
  if (Array.isArray(live)) {
    const m = new Map<string, KubeObject>();
    for (const o of live as readonly KubeObject[])
      if (isObject(o) && isObject(o.metadata)) m.set(objectId(o, opts.defaultNamespace, opts.scopes), o);
    byId = m;
  } else byId = live as ReadonlyMap<string, KubeObject>;
  return desired.map((d) => analyzeResource(d, byId.get(d.id), opts, context, confirm?.get(d.id)));
}
