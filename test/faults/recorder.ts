// The fault suite's summary: every case records its outcome, the records it lost or doubled and
// the planted secrets it found, as one JSON line in the report file the runner (run.ts) names in
// DRIFTGUARD_FAULTS_REPORT. The test files run in separate processes, so a file is the one place
// they can all write to; run.ts prints the table once every file has finished.
import { appendFileSync } from 'node:fs';
import type { TestContext } from 'node:test';

export interface CaseResult {
  case: string;
  outcome: 'pass' | 'fail' | 'blocked';
  lost: number;
  duplicated: number;
  secrets: number;
  note?: string;
}

/** One recorded transition of a drift episode, as the history endpoint returns it. */
export interface RecordedEvent {
  event: string;
}

/**
 * Compares the transitions a case made (in order, oldest first: 'detected', 'resolved', ...) with
 * the history the agent recorded (newest first, as the API returns it). Lost: made but not recorded;
 * duplicated: recorded more often than made. Both count per transition kind (a multiset
 * difference), so an extra `detected` for a drift that was already active counts as a duplicate.
 */
export function compareHistory(
  made: readonly string[],
  recorded: readonly RecordedEvent[],
): { lost: number; duplicated: number } {
  const count = (xs: readonly string[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const want = count(made);
  const got = count(recorded.map((e) => e.event));
  let lost = 0;
  let duplicated = 0;
  for (const k of new Set([...want.keys(), ...got.keys()])) {
    const d = (got.get(k) ?? 0) - (want.get(k) ?? 0);
    if (d > 0) duplicated += d;
    else lost -= d;
  }
  return { lost, duplicated };
}

/** Counts how many of `secrets` (plaintext, or base64 of it) occur anywhere in `texts`. */
export function secretsIn(texts: readonly string[], secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const s of secrets) {
    const forms = [s, Buffer.from(s).toString('base64')];
    if (texts.some((t) => forms.some((f) => t.includes(f)))) found.push(s);
  }
  return found;
}

export function record(result: CaseResult): void {
  const file = process.env['DRIFTGUARD_FAULTS_REPORT'];
  if (file) appendFileSync(file, `${JSON.stringify(result)}\n`);
}

/**
 * Runs one case and records it: `body` returns the counts it measured; a thrown assertion makes
 * the outcome `fail` (and the test fails with it). Counts other than zero also fail the test.
 */
export async function faultCase(
  t: TestContext,
  name: string,
  body: () => Promise<{ lost?: number; duplicated?: number; secrets?: number; note?: string }>,
): Promise<void> {
  let counts: { lost?: number; duplicated?: number; secrets?: number; note?: string };
  try {
    counts = await body();
  } catch (err) {
    record({
      case: name,
      outcome: 'fail',
      lost: -1,
      duplicated: -1,
      secrets: -1,
      note: String(err).slice(0, 200),
    });
    throw err;
  }
  const r: CaseResult = {
    case: name,
    outcome: 'pass',
    lost: counts.lost ?? 0,
    duplicated: counts.duplicated ?? 0,
    secrets: counts.secrets ?? 0,
    ...(counts.note ? { note: counts.note } : {}),
  };
  if (r.lost || r.duplicated || r.secrets) r.outcome = 'fail';
  record(r);
  t.diagnostic(`${name}: lost ${r.lost}, duplicated ${r.duplicated}, secrets ${r.secrets}`);
  if (r.outcome === 'fail') {
    throw new Error(`${name}: lost ${r.lost}, duplicated ${r.duplicated}, secrets found ${r.secrets}`);
  }
}

/** A case that cannot run yet: recorded as blocked with the reason, and skipped. */
export function blocked(t: TestContext, name: string, reason: string): void {
  record({ case: name, outcome: 'blocked', lost: 0, duplicated: 0, secrets: 0, note: reason });
  t.skip(reason);
}
