// The live state as the analysis reads it (ClusterWatch implements it): declared here, with the
// watches that fill it.
import type { KubeObject } from '../../shared/types.ts';

export interface LiveView {
  /** The live object, read in `apiVersion` when that version is watched (else the watched one). */
  get(id: string, apiVersion?: string): KubeObject | undefined;
  /** Reads whole the tracked objects among `ids` that are held only as index entries. */
  ensure?(ids: Iterable<string>): Promise<number>;
  /** Drops the bodies of objects no longer tracked. */
  compact?(): number;
  /** What the Unmanaged verdict reads of an object (whole or its facts); undefined: gone or cluster-made. */
  unmanaged?(id: string): KubeObject | undefined;
  /** Ids of the untracked objects the cluster did not make. */
  unmanagedIds?(): Iterable<string>;
  /** Every change the watches announce (after their first sync). */
  onChange?(listener: (change: { id: string }) => void): void;
  /**
   * Moves with every change the watches did not announce (initial lists, a view made later): the
   * same mark twice means every change between was announced (analysis/changes.ts).
   */
  changeMark?(): number;
}
