// The recent analyses the API can look up by id: the newest `limit` are kept, oldest dropped.
import type { AnalysisStatus } from '../../shared/types.ts';

export class StatusLog {
  private readonly statuses = new Map<string, AnalysisStatus>();

  constructor(private readonly limit = 100) {}

  add(status: AnalysisStatus): void {
    this.statuses.set(status.analysis_id, status);
    while (this.statuses.size > this.limit) {
      const oldest = this.statuses.keys().next().value;
      if (oldest === undefined) break;
      this.statuses.delete(oldest);
    }
  }

  get(id: string): AnalysisStatus | undefined {
    const s = this.statuses.get(id);
    return s ? { ...s } : undefined;
  }
}
