// Delivery of drift transitions to the configured sinks. Each sink has its own bounded queue and
// one request in flight; a failed request (an error, a timeout, a non-2xx answer) is retried with
// exponential backoff and jitter, then counted as failed. A resource notified less than
// min_interval ago waits, and what arrives for it meanwhile is coalesced to the latest event, so a
// flapping object cannot storm a channel. URLs may carry secrets: they are read once from config,
// env or file and never logged. Nothing here touches /ready: a sink being down is not the agent
// being down. Events are produced once per stored transition (record-step), so a restarted agent,
// which reloads its records, does not produce (or send) them again.
import { readFileSync } from 'node:fs';
import { Backoff } from '../../shared/backoff.ts';
import type { SinkConfig } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { AgentMetrics } from '../metrics.ts';
import { body, wanted, type Notification } from './payload.ts';
import { errorMessage } from '../../shared/errors.ts';

export type SinkOutcome = 'sent' | 'failed' | 'dropped';

export interface NotifierDeps {
  log: Logger;
  metrics: AgentMetrics;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** For tests of the timing; Math.random by default. */
  random?: () => number;
}

/** The sink's URL, from exactly one of url, url_env, url_file (the schema checks there is one). */
export function sinkUrl(sink: SinkConfig, env: NodeJS.ProcessEnv): string {
  if (sink.url !== undefined) return sink.url;
  if (sink.url_env !== undefined) {
    const v = env[sink.url_env];
    if (!v)
      throw new Error(`notifications sink ${sink.name}: environment variable ${sink.url_env} is not set`);
    return v.trim();
  }
  try {
    return readFileSync(sink.url_file ?? '', 'utf8').trim();
  } catch (err) {
    throw new Error(
      `notifications sink ${sink.name}: cannot read url_file ${sink.url_file ?? ''}: ${errorMessage(err)}`,
      { cause: err },
    );
  }
}

class Sink {
  private readonly queue: Notification[] = [];
  private readonly lastSent = new Map<string, number>();
  /** Per resource: the latest notification waiting for its min_interval, and its timer. */
  private readonly deferred = new Map<string, { n: Notification; timer: NodeJS.Timeout }>();
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(
    readonly config: SinkConfig,
    private readonly url: string,
    private readonly deps: Required<Omit<NotifierDeps, 'env'>>,
  ) {}

  offer(n: Notification): void {
    if (this.stopped || !wanted(this.config, n)) return;
    const id = n.record.resource_id;
    const last = this.lastSent.get(id);
    const wait = last === undefined ? 0 : last + this.config.min_interval - Date.now();
    const pending = this.deferred.get(id);
    if (pending) {
      pending.n = n; // coalesce: only the latest state goes out
      return;
    }
    if (wait > 0) {
      const timer = setTimeout(() => {
        const d = this.deferred.get(id);
        this.deferred.delete(id);
        if (d) this.enqueue(d.n);
      }, wait);
      timer.unref();
      this.deferred.set(id, { n, timer });
      return;
    }
    this.enqueue(n);
  }

  private enqueue(n: Notification): void {
    // Counted as sent-soon from now, so a burst for one resource coalesces behind this one.
    this.lastSent.set(n.record.resource_id, Date.now());
    this.queue.push(n);
    while (this.queue.length > this.config.queue_size) {
      const dropped = this.queue.shift();
      this.count('dropped');
      this.deps.log.warn(
        { event: 'notification_dropped', sink: this.config.name, resource_id: dropped?.record.resource_id },
        `notification queue of sink ${this.config.name} full; oldest dropped`,
      );
    }
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const n = this.queue.shift();
      if (!n) return;
      await this.deliver(n);
    }
  }

  private async deliver(n: Notification): Promise<void> {
    const { contentType, json } = body(this.config, n);
    const payload = JSON.stringify(json);
    let lastError = '';
    // Doubling from `backoff`, capped at 32×; jitter keeps restarted agents out of lockstep.
    const pace = new Backoff({
      initialMs: this.config.backoff,
      maxMs: this.config.backoff * 32,
      random: this.deps.random,
    });
    for (let attempt = 0; attempt <= this.config.retries; attempt++) {
      if (this.stopped) return;
      if (attempt > 0) await this.sleep(pace.next());
      try {
        const res = await this.deps.fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body: payload,
          signal: AbortSignal.any([AbortSignal.timeout(this.config.timeout), this.abort.signal]),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.count('sent');
          this.deps.log.debug(
            { event: 'notification_sent', sink: this.config.name, resource_id: n.record.resource_id },
            'notification sent',
          );
          return;
        }
        lastError = `HTTP ${res.status}`;
      } catch (err) {
        lastError = this.describe(err);
      }
    }
    if (this.stopped) return;
    this.count('failed');
    this.deps.log.error(
      {
        event: 'notification_failed',
        sink: this.config.name,
        resource_id: n.record.resource_id,
        err: lastError,
      },
      `notification to sink ${this.config.name} failed after ${this.config.retries + 1} attempt(s): ${lastError}`,
    );
  }

  /** An error as text without the URL (it may hold a token). */
  private describe(err: unknown): string {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
      return `no answer in ${this.config.timeout} ms`;
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
    const text = `${errorMessage(err)}${cause ? `: ${cause}` : ''}`;
    return text.split(this.url).join('<url>');
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private count(outcome: SinkOutcome): void {
    this.deps.metrics.notification(this.config.name, outcome);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const d of this.deferred.values()) clearTimeout(d.timer);
    this.deferred.clear();
    this.abort.abort();
    await this.running;
  }
}

export class Notifier {
  private readonly sinks: Sink[];

  constructor(configs: readonly SinkConfig[], deps: NotifierDeps) {
    const env = deps.env ?? process.env;
    const full = {
      log: deps.log,
      metrics: deps.metrics,
      fetch: deps.fetch ?? fetch,
      random: deps.random ?? Math.random,
    };
    this.sinks = configs.map((c) => new Sink(c, sinkUrl(c, env), full));
    for (const c of configs)
      for (const o of ['sent', 'failed', 'dropped'] as const) deps.metrics.notification(c.name, o, 0);
  }

  /** Hands one stored transition to every sink that wants it; never blocks, never throws. */
  notify(n: Notification): void {
    for (const s of this.sinks) s.offer(n);
  }

  /** Stops retries and timers; the request in flight is aborted. */
  async stop(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.stop()));
  }
}
