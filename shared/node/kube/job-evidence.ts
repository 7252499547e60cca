// Evidence that a Job finished, for one that is gone (engine: EngineOptions.finishedJobs). The Job
// controller records an Event when a Job finishes (`Completed`, or the Failed condition's reason);
// Events outlive the Job for the server's --event-ttl (1 h by default), so a Job its TTL removed
// within that hour is known to have finished. Older than that, or without access to Events, there
// is no evidence and the Job stays Missing: the honest answer when nothing says it ran.
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, kubeGet } from './rest.ts';

/** Event reasons of pkg/controller/job recordJobFinished: success, and each Failed condition reason. */
export const JOB_FINISHED_REASONS: ReadonlySet<string> = new Set([
  'Completed',
  'BackoffLimitExceeded',
  'DeadlineExceeded',
  'PodFailurePolicy',
  'MaxFailedIndexesExceeded',
  'FailedIndexes',
]);

interface EventItem {
  reason?: string;
  source?: { component?: string };
  reportingComponent?: string;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  firstTimestamp?: string | null;
}

function when(e: EventItem): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp;
  const ms = typeof t === 'string' ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * Did the newest run of this Job finish? Its last Job-controller Event among pod creations and
 * finishing reasons must be a finishing one (a Job re-created and deleted mid-run shows a later
 * `SuccessfulCreate`). A finish in the same second as a creation counts as the later one.
 */
export function finishedByEvents(events: readonly EventItem[]): boolean {
  let created = -1;
  let finished = -1;
  for (const e of events) {
    const by = e.source?.component ?? e.reportingComponent;
    if (by !== 'job-controller' && by !== undefined) continue;
    if (e.reason === 'SuccessfulCreate') created = Math.max(created, when(e));
    else if (e.reason !== undefined && JOB_FINISHED_REASONS.has(e.reason))
      finished = Math.max(finished, when(e));
  }
  return finished >= 0 && finished >= created;
}

export interface JobRef {
  id: string;
  namespace: string;
  name: string;
}

export interface JobEvidence {
  finished: Set<string>;
  /** Why Events could not be read (then the Jobs without evidence stay Missing). */
  warning: string | null;
}

/** Which of these absent Jobs finished, from their Events (one request per Job). */
export async function finishedJobsFromEvents(kc: KubeConfig, jobs: readonly JobRef[]): Promise<JobEvidence> {
  const finished = new Set<string>();
  let warning: string | null = null;
  for (const j of jobs) {
    const selector = encodeURIComponent(`involvedObject.kind=Job,involvedObject.name=${j.name}`);
    try {
      const res = await kubeGet(
        kc,
        `/api/v1/namespaces/${encodeURIComponent(j.namespace)}/events?fieldSelector=${selector}`,
      );
      const items = (res.body as { items?: EventItem[] } | null)?.items ?? [];
      if (finishedByEvents(items)) finished.add(j.id);
    } catch (err) {
      if (!(err instanceof KubeApiError) || err.status === 0) throw err;
      warning = `cannot read Events (${err.message}): a Job its TTL removed after it finished is reported as Missing`;
    }
  }
  return { finished, warning };
}
