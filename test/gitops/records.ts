// What the sources_from suites read of an agent: its records, in a form that must be equal whoever
// named the source, and its /ready components.
import assert from 'node:assert/strict';
import type { AgentProcess } from '../kit/agent-process.ts';

export interface Rec {
  resource_id: string;
  drift_status: string;
  drift_type: string | null;
  severity: string | null;
  source?: string;
  source_file: string | null;
  git_commit: string | null;
  drift_details: { path: string; type: string; desired: unknown; live: unknown }[];
}

export interface Component {
  name: string;
  ready: boolean;
  message: string;
}

export async function records(agent: AgentProcess): Promise<Rec[]> {
  const res = await fetch(`${agent.apiUrl}/api/v1/drift-records?limit=1000`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { drift_records: Rec[] }).drift_records;
}

/** What must be equal whoever named the source (with the commit, unless told to leave it out). */
export function comparable(recs: Rec[], opts: { commit?: boolean } = {}): unknown[] {
  return recs
    .map((r) => ({
      id: r.resource_id,
      status: r.drift_status,
      type: r.drift_type,
      severity: r.severity,
      file: r.source_file,
      ...(opts.commit === false ? {} : { commit: r.git_commit }),
      details: r.drift_details.map((d) => ({ path: d.path, type: d.type, desired: d.desired, live: d.live })),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

export async function components(agent: AgentProcess): Promise<Component[]> {
  const res = await fetch(`${agent.healthUrl}/ready`);
  return ((await res.json()) as { components: Component[] }).components;
}
