// Record responses as JSON text, each record serialised once. Records are immutable values (a
// transition makes a new one), and the agent's in-memory copy hands out the same objects until
// they change, so their text is kept beside them (weakly: a replaced record takes its text along).
// Under load this turns a page of 100 records into string joins instead of 100 JSON.stringify calls.
import type { DriftRecord } from '../../shared/types.ts';

const texts = new WeakMap<DriftRecord, string>();

export function recordJson(record: DriftRecord): string {
  let text = texts.get(record);
  if (text === undefined) {
    text = JSON.stringify(record);
    texts.set(record, text);
  }
  return text;
}

/** The DriftRecordList body, byte for byte what JSON.stringify({ drift_records, count }) gives. */
export function recordListJson(records: readonly DriftRecord[], count: number): string {
  return `{"drift_records":[${records.map(recordJson).join(',')}],"count":${JSON.stringify(count)}}`;
}
