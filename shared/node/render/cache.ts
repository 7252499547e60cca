// Rendered output, keyed by everything that can change it: tool and version, commit, path,
// the canonical parameters, and the cluster's version and API versions. The Git poll re-asks
// every 30 s; with nothing changed it gets the cached render and no tool runs.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../engine/index.ts';
import type { JsonValue } from '../../types.ts';
import type { Rendered } from './types.ts';

export interface CacheKeyParts {
  tool: string;
  version: string;
  commit: string;
  path: string;
  params: JsonValue;
  kubeVersion: string | null;
  apiVersions: string[];
}

export function cacheKey(parts: CacheKeyParts): string {
  const canonical = canonicalJson({
    ...parts,
    apiVersions: [...parts.apiVersions].sort(),
  } as unknown as JsonValue);
  return createHash('sha256').update(canonical).digest('hex');
}

export class RenderCache {
  private readonly entries = new Map<string, Rendered>();
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries = 64) {}

  get(key: string): Rendered | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Map order is insertion order: re-insert to keep the most recent last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.hits++;
    } else this.misses++;
    return hit;
  }

  set(key: string, value: Rendered): void {
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
