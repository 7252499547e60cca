// How describe and the terminal UI word the confirm stage: whether the API server confirmed a
// drifted field (and why not), and the differences its dry-run explains, shown as information.
import { describeValue } from '../../shared/describe.ts';
import type { DriftDetail, ExplainedField } from '../../shared/types.ts';
import { shownSides } from './redact.ts';

/** e.g. "confirmed by the API server's dry-run", "not confirmed: dry-run refused: …"; null on old records. */
export function confirmText(d: DriftDetail): string | null {
  if (d.confirmed === undefined) return null;
  return d.confirmed
    ? "confirmed by the API server's dry-run"
    : `not confirmed: ${(d.confirm_reason ?? 'no reason recorded').replace(/^not confirmed: /, '')}`;
}

/** e.g. "set on admission: spec…image = mirror.example.com/nginx:1.25 (Git: nginx:1.25)". */
export function explainedText(kind: string, e: ExplainedField): string {
  const { desired, live } = shownSides(kind, e);
  return `set on admission: ${e.path} = ${describeValue(live)} (Git: ${describeValue(desired)})`;
}
