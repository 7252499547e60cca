// Reads every page of a record list endpoint (the API pages at up to 1000 records).
import type { RecordFilter } from '../../shared/api/client.ts';
import type { DriftRecordList } from '../../shared/types.ts';

const PAGE = 1000;
const MAX_PAGES = 100;

export async function allPages(fetchPage: (f: RecordFilter) => Promise<DriftRecordList>, filter: RecordFilter): Promise<DriftRecordList> {
  const records: DriftRecordList['drift_records'] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await fetchPage({ ...filter, limit: PAGE, offset: page * PAGE });
    records.push(...res.drift_records);
    if (res.drift_records.length < PAGE) break;
  }
  return { drift_records: records, count: records.length };
}
