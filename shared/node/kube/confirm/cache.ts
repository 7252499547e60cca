// The confirm cache: the server's answer to a dry-run of Git's object, kept per (live object uid +
// the version of live that is compared, desired hash). The version is the verdict's live_hash (live
// as normalised: status and server metadata left out) when there is one, else resourceVersion: a
// drifted Deployment's status moves its resourceVersion several times while its pods come and go,
// and none of that changes what is compared or what the server makes of Git's object. While
// neither side changes, a drifted object is re-analysed (every watch event, tick, Git sync) without
// a new request; any change to a compared field of the live object or a new desired state asks
// again. Rules are not in the key on purpose: the answer does not depend on them (the confirm stage
// re-runs on the cached answer with the current rules, so the verdict does).
// A failure is kept for a short while only, so a webhook that comes back is asked again.
import type { ConfirmAnswer } from '../../../engine/confirm.ts';
import type { KubeObject } from '../../../types.ts';

/** The cache key, or null when live lacks a uid or any version (never cached then). */
export function confirmKey(live: KubeObject, desiredHash: string, liveHash?: string | null): string | null {
  const uid = live.metadata['uid'];
  const rv = live.metadata['resourceVersion'];
  const version = liveHash || (typeof rv === 'string' ? rv : '');
  if (typeof uid !== 'string' || !uid || !version) return null;
  return `${uid}@${version}|${desiredHash}`;
}

export interface ConfirmCacheOptions {
  /** Most answers kept (least recently used dropped first). */
  maxEntries?: number;
  /** How long a failure is kept before the server is asked again. */
  failureTtlMs?: number;
  now?: () => number;
}

interface Entry {
  answer: ConfirmAnswer;
  /** When a failure expires; answers never do (the key changes with either side). */
  expires: number;
}

export class ConfirmCache {
  private readonly entries = new Map<string, Entry>();
  private readonly max: number;
  private readonly failureTtl: number;
  private readonly now: () => number;

  constructor(opts: ConfirmCacheOptions = {}) {
    this.max = opts.maxEntries ?? 2_000;
    this.failureTtl = opts.failureTtlMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  get(key: string): ConfirmAnswer | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Map order is insertion order: re-insert to mark it recently used.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.answer;
  }

  set(key: string, answer: ConfirmAnswer): void {
    this.entries.delete(key);
    this.entries.set(key, { answer, expires: answer.ok ? Infinity : this.now() + this.failureTtl });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
