// The slice of the API client the drift browser uses: views take this type, so tests can hand them a
// stand-in object while `runUi` receives the real DriftGuardClient.
import type { DriftGuardClient } from '../../shared/api/client.ts';

export type UiClient = Pick<
  DriftGuardClient,
  | 'active'
  | 'resolved'
  | 'records'
  | 'record'
  | 'waivers'
  | 'revokeWaiver'
  | 'history'
  | 'statistics'
  | 'analyze'
  | 'analysis'
>;

/** A client error as one status-line message (ApiError already carries the agent's own message). */
export { errorMessage } from '../../shared/errors.ts';
