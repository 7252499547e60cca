// Waiting for the watches' first lists: wait() resolves once `synced()` holds; check() is called
// whenever that may have become true (a watch synced, discovery ran, the watches stopped).
export class SyncWaiters {
  private waiters: (() => void)[] = [];

  constructor(private readonly synced: () => boolean) {}

  wait(): Promise<void> {
    if (this.synced()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  check(): void {
    if (!this.synced()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
