// What the agent asks of any source of desired state: a Git checkout (git-source.ts) or Helm's
// release storage (../helm/release-source.ts). Sources merges them; readiness and statistics read them.
import type { DesiredObject, IgnoreRule } from '../../shared/engine/index.ts';
import type { GitChange, GitStatus, SourceStatus } from './git-source.ts';

export interface SourceEntry {
  desired: DesiredObject;
  commit: string;
  /** The name records carry when it is not the source's own (one per Helm release). */
  source?: string;
}

export interface DesiredSource {
  readonly name: string;
  /** Fields its config says never to compare (a discovered source's ignoreDifferences, say). */
  readonly spec: { readonly ignore?: IgnoreRule[] | undefined };
  readonly desired: { readonly loaded: boolean; entries(): Iterable<[string, SourceEntry]> };
  /** Fields never compared for this source's objects. */
  readonly unstable: IgnoreRule[];
  readonly notCompared: IgnoreRule[];
  readonly commit: string | null;
  /** Where it reads from, for the start-up log (a URL without credentials). */
  origin(): string;
  /** One sync; never throws. Null when nothing changed. */
  sync(): Promise<GitChange | null>;
  status(): GitStatus;
  sourceStatus(): SourceStatus;
  /** Its rows in /api/v1/statistics when it names its objects' sources itself (default: sourceStatus()). */
  sourceStatuses?(): SourceStatus[];
}
