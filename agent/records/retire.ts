// The transitions written outside a batch: a record whose object left Git goes (its active drift
// first resolves, so no episode's history ends at `detected`), and an active Unmanaged record
// resolves when a source declares its object. Both write at once, before the batch, which holds
// one write per id.
import type { DriftEvent, DriftRecord } from '../../shared/types.ts';
import { announce, type AnnounceDeps } from './announce.ts';
import { nextState, noLongerDrifting, type WritePolicy } from './next-state.ts';

/** The writes a retirement needs (the agent's Store; declared here so records/ needs no store/). */
export interface RecordWriter {
  saveRecord(record: DriftRecord, event: DriftEvent | null): Promise<void>;
  deleteRecord(resourceId: string): Promise<void>;
}

export interface RetireDeps extends AnnounceDeps, WritePolicy {
  store: RecordWriter;
}

/** Resolves an active record (an episode ends) and stores it with its `resolved` event. */
export async function resolveNow(deps: RetireDeps, previous: DriftRecord, now: string): Promise<DriftRecord> {
  const ended = nextState(deps, noLongerDrifting(previous), previous, now);
  await deps.store.saveRecord(ended.record, ended.event);
  announce(deps, ended.record, ended.event);
  return ended.record;
}

/** The object left Git: it is no longer tracked, so its record goes (its history stays). */
export async function removeRecord(deps: RetireDeps, previous: DriftRecord, now: string): Promise<void> {
  if (previous.drift_status === 'active') await resolveNow(deps, previous, now);
  await deps.store.deleteRecord(previous.resource_id);
  deps.log.info(
    { event: 'record_removed', resource_id: previous.resource_id },
    'no longer in Git; record removed',
  );
}
