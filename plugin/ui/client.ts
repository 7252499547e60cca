// The slice of the API client the drift browser uses. Kept as a structural interface so views can be
// tested with a stand-in object while `runUi` receives the real DriftGuardClient (which satisfies it).
import type { AnalysisStatus, DriftEvent, DriftRecord, DriftRecordList, Statistics } from '../../shared/types.ts';

export interface UiRecordFilter {
  namespace?: string;
}

export interface UiClient {
  active(filter?: UiRecordFilter): Promise<DriftRecordList>;
  resolved(filter?: UiRecordFilter): Promise<DriftRecordList>;
  record(resourceId: string): Promise<DriftRecord>;
  history(resourceId: string): Promise<{ resource_id: string; events: DriftEvent[]; count: number }>;
  statistics(): Promise<Statistics>;
  analyze(): Promise<{ message: string; status: string; analysis_id: string }>;
  analysis(id: string): Promise<AnalysisStatus>;
}

/** A client error as one status-line message (ApiError carries the agent's message already). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
