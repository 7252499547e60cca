// One compared field: what compare hands to confirm and classify (its own file, so confirm.ts and
// analyze.ts do not import each other).
import type { RawDetail } from './diff.ts';

/** One field where desired and live differ and that no rule ignores, with who last wrote it. */
export interface DriftField {
  raw: RawDetail;
  manager: string | null;
  changed_at: string | null;
}
