// Kubernetes Events on drifted objects (config drift.events): DriftDetected (Warning) and
// DriftResolved (Normal), on the object itself, so `kubectl describe` and `kubectl events` show
// drift where users already look. An Event carries the drift type, severity and field managers and
// the names of the drifted fields; for a Secret never a value (not even a hash). Each Event's name
// is derived from the drift event's id, so a retried create is a 409, not a second Event. A failed
// create is logged and dropped: Events are a courtesy, the store is the record.
import { createHash } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import type { DriftEvent, DriftRecord, KubeObject } from '../../shared/types.ts';
import type { Logger } from '../log.ts';
import { changedByText } from '../../shared/changed-by.ts';
import type { EventSink } from '../records/announce.ts';
import { fieldName } from '../records/wording.ts';
import { KubeApiError, kubeRequest } from '../../shared/node/kube/rest.ts';
import { errorMessage } from '../../shared/errors.ts';

export const REASONS = { detected: 'DriftDetected', resolved: 'DriftResolved' } as const;

/** Kubernetes caps an Event's message at 1 KiB in practice (kubectl shows it on one line). */
const MAX_MESSAGE = 1024;

/** The Event's message: who changed what, by type and severity; values only for non-Secrets. */
export function eventMessage(record: DriftRecord, event: DriftEvent): string {
  const details = record.drift_details;
  const managers = [...new Set(details.map((d) => d.manager).filter((m): m is string => !!m))];
  const head =
    event.event === 'detected'
      ? `${event.drift_type ?? 'Drift'} drift (severity ${event.severity ?? 'unknown'}${
          record.changed_by
            ? `, ${changedByText(record.changed_by)}`
            : managers.length > 0
              ? `, by ${managers.join(', ')}`
              : ''
        }) from Git${record.git_commit ? ` ${record.git_commit.slice(0, 7)}` : ''}`
      : `${event.drift_type ?? 'Drift'} drift (severity ${event.severity ?? 'unknown'}) resolved: back in line with Git`;
  const secret = record.kind === 'Secret';
  const body =
    secret || !event.message ? [...new Set(details.map((d) => fieldName(d.path)))].join(', ') : event.message;
  const text = body ? `${head}: ${body}` : head;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

/** The core/v1 Event for one drift transition (pure, for tests and the recorder). */
export function driftEventObject(
  record: DriftRecord,
  event: DriftEvent,
  live: KubeObject | undefined,
  instance: string,
): KubeObject & { metadata: { name: string; namespace: string } } {
  const reason = event.event === 'resolved' ? REASONS.resolved : REASONS.detected;
  // Cluster-scoped objects get their Events in "default", as the kubelet and controllers do.
  const namespace = record.namespace || 'default';
  const hash = createHash('sha256').update(event.event_id).digest('hex').slice(0, 16);
  const name = `${record.name.slice(0, 253 - 18)}.${hash}`;
  const uid = live?.metadata['uid'];
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/name': 'driftguard' },
      annotations: { 'driftguard.io/cluster': record.cluster, 'driftguard.io/event-id': event.event_id },
    },
    involvedObject: {
      apiVersion: record.api_version,
      kind: record.kind,
      name: record.name,
      ...(record.namespace ? { namespace: record.namespace } : {}),
      ...(typeof uid === 'string' ? { uid } : {}),
    },
    reason,
    type: event.event === 'resolved' ? 'Normal' : 'Warning',
    message: eventMessage(record, event),
    source: { component: 'driftguard-agent' },
    reportingComponent: 'driftguard.io/agent',
    reportingInstance: instance.slice(0, 128),
    firstTimestamp: event.time,
    lastTimestamp: event.time,
    count: 1,
  };
}

export class EventRecorder implements EventSink {
  constructor(
    private readonly kc: KubeConfig,
    private readonly log: Logger,
    private readonly instance: string,
  ) {}

  emit(record: DriftRecord, event: DriftEvent, live: KubeObject | undefined): void {
    if (event.event === 'updated') return;
    const obj = driftEventObject(record, event, live, this.instance);
    const path = `/api/v1/namespaces/${encodeURIComponent(obj.metadata.namespace)}/events`;
    kubeRequest(this.kc, path, { method: 'POST', body: obj }, 10_000).then(
      (res) => {
        if (res.status === 404) this.failed(record, `namespace ${obj.metadata.namespace} not found`);
      },
      (err: unknown) => {
        // 409: this transition's Event exists already (a retried write): nothing to add.
        if (err instanceof KubeApiError && err.status === 409) return;
        this.failed(record, errorMessage(err));
      },
    );
  }

  private failed(record: DriftRecord, message: string): void {
    this.log.warn(
      { event: 'kube_event_failed', resource_id: record.resource_id, err: message },
      'could not create the Kubernetes Event (the drift is recorded)',
    );
  }
}
